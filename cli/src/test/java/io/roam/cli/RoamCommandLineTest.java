package io.roam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the whole command, as {@code ./roam} does, on local directories. */
class RoamCommandLineTest {

    @TempDir
    Path directory;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Path source;

    @BeforeEach
    void writeSourceTree() throws IOException {
        source = Files.createDirectories(directory.resolve("source"));
        Files.createDirectories(source.resolve("shards/nested"));
        Files.write(source.resolve("weights.bin"), randomBytes(3 * 1024 * 1024 + 17, 1));
        Files.write(source.resolve("shards/0.bin"), randomBytes(70_000, 2));
        Files.write(source.resolve("shards/nested/config.json"), "{\"layers\": 12}".getBytes(StandardCharsets.UTF_8));
        Files.write(source.resolve("shards/empty"), new byte[0]);
    }

    @Test
    void copiesATreeThroughTheImplicitLocalProfile() throws IOException {
        Path target = directory.resolve("target");

        int exitCode = run("cp", "--concurrent-files", "2", "--buffer-size", "64KiB", source + "/", target + "/");

        assertThat(exitCode).as(err.toString()).isEqualTo(RoamCommandLine.SUCCESS);
        assertSameTree(source, target);
        assertThat(out.toString()).startsWith("Copied 4 files, 3.1 MiB in ");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void copyingAgainWritesOnlyWhatChangedAndSaysWhatWasAlreadyThere() throws IOException {
        Path target = directory.resolve("target");
        assertThat(run("cp", source + "/", target + "/")).as(err.toString()).isEqualTo(RoamCommandLine.SUCCESS);
        out.reset();

        assertThat(run("cp", source + "/", target + "/")).as(err.toString()).isEqualTo(RoamCommandLine.SUCCESS);
        assertThat(out.toString()).startsWith("Nothing copied: 4 files (3.1 MiB) were already at the target with the same bytes (checked in ");
        out.reset();

        Files.write(source.resolve("shards/0.bin"), randomBytes(70_000, 3));
        assertThat(run("cp", source + "/", target + "/")).as(err.toString()).isEqualTo(RoamCommandLine.SUCCESS);
        assertThat(out.toString()).startsWith("Copied 1 file, 68.4 KiB in ").contains("; 3 files (3.0 MiB) were already at the target with the same bytes");
        assertSameTree(source, target);
    }

    @Test
    void warningsLoggedThroughTheJdkReachTheErrorStreamAsOneLineEach() {
        String formatProperty = "java.util.logging.SimpleFormatter.format";
        String formatBefore = System.getProperty(formatProperty);
        System.clearProperty(formatProperty);
        try {
            RoamCommandLine.logWarningsOnOneLine();
            LogRecord warning = new LogRecord(Level.WARNING, "could not abort multipart upload 7 of 's3://bucket/key'");
            warning.setThrown(new IOException("connection refused"));

            assertThat(new SimpleFormatter().format(warning))
                    .isEqualTo("roam: WARNING: could not abort multipart upload 7 of 's3://bucket/key'" + System.lineSeparator());
        }
        finally {
            if (formatBefore == null) {
                System.clearProperty(formatProperty);
            }
            else {
                System.setProperty(formatProperty, formatBefore);
            }
        }
    }

    @Test
    void copiesATreeThroughAProfileFromTheConfigurationFile() throws IOException {
        Path target = directory.resolve("target");
        Path configuration = directory.resolve("roam.properties");
        Files.writeString(configuration, """
                roam.storage.profiles.work.backend=local
                roam.storage.profiles.work.roots=file://%s/
                """.formatted(directory));

        int exitCode = run("cp", "--config", configuration.toString(), "--quiet", "file://" + source + "/", "file://" + target + "/");

        assertThat(exitCode).as(err.toString()).isEqualTo(RoamCommandLine.SUCCESS);
        assertSameTree(source, target);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void theConfigurationFileIsReadAndAnInvalidOneIsAUsageError() throws IOException {
        Path configuration = directory.resolve("roam.properties");
        Files.writeString(configuration, "roam.storage.profiles.work.backend=floppy\nroam.storage.profiles.work.roots=%s/\n".formatted(directory));

        int exitCode = run("cp", "--config", configuration.toString(), source + "/", directory.resolve("target") + "/");

        assertThat(exitCode).isEqualTo(RoamCommandLine.USAGE_ERROR);
        assertThat(err.toString()).startsWith("roam: invalid storage configuration: storage profile 'work' uses backend 'floppy', which is not available");
    }

    @Test
    void aMissingConfigurationFileIsAUsageError() {
        int exitCode = run("cp", "--config", directory.resolve("absent.properties").toString(), source + "/", directory + "/target/");

        assertThat(exitCode).isEqualTo(RoamCommandLine.USAGE_ERROR);
        assertThat(err.toString()).startsWith("roam: configuration file '%s' does not exist".formatted(directory.resolve("absent.properties")));
    }

    @Test
    void copiesASingleFileIntoADirectory() throws IOException {
        Path target = directory.resolve("target");

        int exitCode = run("cp", source.resolve("weights.bin").toString(), target + "/");

        assertThat(exitCode).as(err.toString()).isEqualTo(RoamCommandLine.SUCCESS);
        assertThat(Files.readAllBytes(target.resolve("weights.bin"))).isEqualTo(Files.readAllBytes(source.resolve("weights.bin")));
        assertThat(out.toString()).startsWith("Copied 1 file, 3.0 MiB in ");
    }

    @Test
    void aMissingSourceFailsWithSourceNotFoundOnOneLine() {
        int exitCode = run("cp", directory + "/absent/", directory + "/target/");

        assertThat(exitCode).isEqualTo(RoamCommandLine.COPY_FAILED);
        assertThat(err.toString()).isEqualTo("roam cp: SOURCE_NOT_FOUND: source '%s/absent/' does not exist: no file there and no files under it%n"
                .formatted(directory));
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void verbosePrintsTheStackTraceOfAFailure() {
        int exitCode = run("cp", "--verbose", directory + "/absent/", directory + "/target/");

        assertThat(exitCode).isEqualTo(RoamCommandLine.COPY_FAILED);
        assertThat(err.toString()).startsWith("roam cp: SOURCE_NOT_FOUND: ").contains("io.roam.transfer.SourceNotFoundException", "\tat io.roam.transfer.TransferEngine.plan");
    }

    @Test
    void aBadCommandLineIsAUsageError() {
        int exitCode = run("cp", "/only-one");

        assertThat(exitCode).isEqualTo(RoamCommandLine.USAGE_ERROR);
        assertThat(err.toString()).isEqualTo("roam: expected SOURCE and TARGET, got 1 location: /only-one%nRun 'roam --help' or 'roam cp --help' for usage.%n".formatted());
    }

    @Test
    void helpIsPrintedOnTheOutputStream() {
        assertThat(run("cp", "--help")).isEqualTo(RoamCommandLine.SUCCESS);
        assertThat(out.toString()).isEqualTo(ArgumentParser.COPY_USAGE);
    }

    private int run(String... arguments) {
        RoamCommandLine commandLine = new RoamCommandLine(directory.resolve("no-default.properties"), false);
        return commandLine.run(arguments, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static void assertSameTree(Path expected, Path actual) throws IOException {
        try (var files = Files.walk(expected)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path copy = actual.resolve(expected.relativize(file));
                assertThat(copy).as("copy of " + file).isRegularFile();
                assertThat(Files.readAllBytes(copy)).as("bytes of " + copy).isEqualTo(Files.readAllBytes(file));
            }
        }
        try (var copies = Files.walk(actual)) {
            assertThat(copies.filter(Files::isRegularFile).count()).isEqualTo(4);
        }
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
