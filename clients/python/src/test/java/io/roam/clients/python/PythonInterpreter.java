package io.roam.clients.python;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Python 3 interpreter that can import kafka-python, found on this machine, running modules of the client as
 * child processes.
 *
 * <p>Debian's {@code /usr/bin/python3} is tried before {@code python3} on the PATH, which may be a pyenv shim
 * without Debian's {@code python3-kafka}; {@code ROAM_PYTHON}, when set, is tried first.
 */
record PythonInterpreter(String executable) {

    /** ROAM_* variables of the developer's shell would change what the client does; each run sets its own. */
    private static final List<String> CLIENT_VARIABLES =
            List.of("ROAM_KAFKA_BOOTSTRAP_SERVERS", "ROAM_GATEWAY_URL", "ROAM_TOKEN", "ROAM_PROJECT");
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

    PythonInterpreter {
        requireNonNull(executable, "executable is null");
    }

    /**
     * The first candidate interpreter that can {@code import kafka}.
     *
     * @throws AssertionError naming every candidate and why it was refused, and how to install kafka-python, when
     *         none can
     */
    static PythonInterpreter withKafkaPython(Path workDirectory) {
        List<String> candidates = new ArrayList<>();
        String configured = System.getenv("ROAM_PYTHON");
        if (configured != null && !configured.isBlank()) {
            candidates.add(configured);
        }
        candidates.add("/usr/bin/python3");
        candidates.add("python3");
        List<String> refusals = new ArrayList<>();
        for (String candidate : candidates) {
            PythonInterpreter interpreter = new PythonInterpreter(candidate);
            try {
                PythonRun probe = interpreter.run(workDirectory, workDirectory, Map.of(), PROBE_TIMEOUT, "-c", "import kafka");
                if (probe.exitCode() == 0) {
                    return interpreter;
                }
                refusals.add(candidate + ": " + probe.lastLineOfErrors());
            }
            catch (UncheckedIOException notRunnable) {
                refusals.add(candidate + ": " + notRunnable.getCause().getMessage());
            }
        }
        throw new AssertionError("No Python 3 interpreter here can import kafka (kafka-python), which the Roam Python "
                + "client's Kafka emitter needs. Install it with: apt-get install python3-kafka (or point ROAM_PYTHON "
                + "at an interpreter that has kafka-python). Tried: " + String.join("; ", refusals));
    }

    /**
     * Runs the interpreter with {@code arguments} in {@code directory} and waits for it to end.
     *
     * @param outputDirectory where the run's standard output and error are kept
     * @param environment variables added to the inherited environment, without its ROAM_* variables
     * @throws AssertionError when it does not end within {@code timeout} (it is killed)
     */
    PythonRun run(Path directory, Path outputDirectory, Map<String, String> environment, Duration timeout, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(executable);
        command.addAll(List.of(arguments));
        try {
            Path standardOutput = Files.createTempFile(outputDirectory, "python-", ".out");
            Path standardError = Files.createTempFile(outputDirectory, "python-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectOutput(standardOutput.toFile())
                    .redirectError(standardError.toFile());
            Map<String, String> childEnvironment = builder.environment();
            CLIENT_VARIABLES.forEach(childEnvironment::remove);
            // Keeps __pycache__ directories out of the source tree.
            childEnvironment.put("PYTHONDONTWRITEBYTECODE", "1");
            childEnvironment.putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(command + " did not end within " + timeout + "; it printed:\n"
                        + Files.readString(standardOutput, StandardCharsets.UTF_8)
                        + Files.readString(standardError, StandardCharsets.UTF_8));
            }
            return new PythonRun(command, process.exitValue(), Files.readString(standardOutput, StandardCharsets.UTF_8),
                    Files.readString(standardError, StandardCharsets.UTF_8));
        }
        catch (IOException exception) {
            throw new UncheckedIOException("could not run " + command, exception);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, interrupted);
        }
    }
}
