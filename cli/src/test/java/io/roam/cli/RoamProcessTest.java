package io.roam.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code roam cp} as its own process, as {@code ./roam} does: what it prints, and Ctrl-C mid-copy. */
class RoamProcessTest {

    /** Far more than can be copied before the interrupt; sparse, so it takes no disk and reads fast. */
    private static final long LARGE_FILE_SIZE = 16L << 30;
    /** Written and synced in a few hundred milliseconds: the copy is killed while it writes, by a poll every 10 ms. */
    private static final int RESUMED_FILE_SIZE = 48 << 20;

    @TempDir
    Path directory;

    private Process roam;

    @AfterEach
    void stopRoam() throws InterruptedException {
        if (roam != null && roam.isAlive()) {
            roam.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void ctrlCCancelsTheCopyAbortsTheWriteInFlightAndExitsWith130() throws Exception {
        Path source = Files.createDirectories(directory.resolve("source"));
        byte[] config = randomBytes(1024 * 1024);
        Files.write(source.resolve("a-config.bin"), config);
        try (RandomAccessFile weights = new RandomAccessFile(source.resolve("b-weights.bin").toFile(), "rw")) {
            weights.setLength(LARGE_FILE_SIZE);
        }
        Path target = directory.resolve("target");
        Path errors = directory.resolve("roam.err");

        // One file at a time, in path order: a-config.bin is done before b-weights.bin starts.
        roam = startRoam(errors, "cp", "--concurrent-files", "1", source + "/", target + "/");
        await("a-config.bin copied and b-weights.bin being written")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .failFast("roam cp exited before it was interrupted", () -> !roam.isAlive())
                .until(() -> Files.exists(target.resolve("a-config.bin")) && entries(target).size() > 1);
        sendSigint(roam);

        assertThat(roam.waitFor(60, TimeUnit.SECONDS)).as("roam cp exited after the interrupt").isTrue();
        String errorOutput = Files.readString(errors, UTF_8);
        assertThat(roam.exitValue()).as(errorOutput).isEqualTo(RoamCommandLine.INTERRUPTED);
        assertThat(errorOutput).contains("roam cp: interrupted: 1 of 2 files copied and verified; "
                + "the writes in flight were aborted, no partial file was published");
        assertThat(entries(target)).as("what is visible at the target").containsExactly(target.resolve("a-config.bin"));
        assertThat(Files.readAllBytes(target.resolve("a-config.bin"))).isEqualTo(config);
    }

    @Test
    void aCopyKilledMidFileIsResumedByTheNextRunWhichKeepsWhatTheDeadOneStored() throws Exception {
        Path source = Files.createDirectories(directory.resolve("source"));
        byte[] shard = randomBytes(RESUMED_FILE_SIZE);
        Files.write(source.resolve("shard.bin"), shard);
        Path target = directory.resolve("target");

        roam = startRoam(directory.resolve("killed.err"), "cp", "--quiet", source + "/", target + "/");
        await("a quarter of shard.bin stored in its partial file")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(10))
                .failFast("roam cp exited before it was killed", () -> !roam.isAlive())
                .until(() -> partialFileSize(target) >= RESUMED_FILE_SIZE / 4);
        roam.destroyForcibly();
        assertThat(roam.waitFor(30, TimeUnit.SECONDS)).as("roam cp killed").isTrue();
        long storedWhenKilled = partialFileSize(target);
        assertThat(storedWhenKilled).as("bytes the killed copy left").isBetween((long) RESUMED_FILE_SIZE / 4, RESUMED_FILE_SIZE - 1L);

        roam = startRoam(directory.resolve("roam.err"), "cp", source + "/", target + "/");

        assertThat(roam.waitFor(120, TimeUnit.SECONDS)).as("roam cp exited").isTrue();
        assertThat(roam.exitValue()).as(Files.readString(directory.resolve("roam.err"), UTF_8)).isEqualTo(RoamCommandLine.SUCCESS);
        assertThat(Files.readAllBytes(target.resolve("shard.bin"))).isEqualTo(shard);
        assertThat(entries(target)).as("no partial file left").containsExactly(target.resolve("shard.bin"));
        // What the killed copy stored, in whole mebibytes, is kept; the write it had in flight may not have arrived.
        long resumedMebibytes = storedWhenKilled >> 20;
        assertThat(Files.readString(directory.resolve("roam.out"), UTF_8))
                .containsPattern("Copied 1 file, 48\\.0 MiB in .*; (%d|%d)\\.0 MiB of it was stored by an interrupted copy and not sent again"
                        .formatted(resumedMebibytes - 1, resumedMebibytes));
    }

    @Test
    void theErrorStreamCarriesRoamsOwnMessagesOnlyEvenWhenAnSdkStarts() throws Exception {
        Path source = Files.createDirectories(directory.resolve("source"));
        Files.write(source.resolve("weights.bin"), randomBytes(1024));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Path configuration = directory.resolve("roam.properties");
        // An S3 store that is not there: the AWS SDK starts, and its logging with it, and the copy fails.
        Files.writeString(configuration, """
                roam.storage.profiles.lab.backend=s3
                roam.storage.profiles.lab.roots=s3://checkpoints/
                roam.storage.profiles.lab.region=us-east-1
                roam.storage.profiles.lab.properties.endpoint=http://127.0.0.1:%d
                roam.storage.profiles.lab.properties.credentials=anonymous
                """.formatted(closedPort));
        Path errors = directory.resolve("roam.err");

        roam = startRoam(errors, "cp", "--quiet", "--config", configuration.toString(), source + "/", "s3://checkpoints/run-1/");

        assertThat(roam.waitFor(120, TimeUnit.SECONDS)).as("roam cp exited").isTrue();
        List<String> errorLines = Files.readAllLines(errors, UTF_8);
        assertThat(roam.exitValue()).as(errorLines.toString()).isEqualTo(RoamCommandLine.COPY_FAILED);
        assertThat(errorLines).singleElement().asString().startsWith("roam cp: ").contains("s3://checkpoints/run-1/");
    }

    @Test
    void localPathsWithoutASchemeAreRelativeToTheDirectoryRoamRunsIn() throws Exception {
        Path source = Files.createDirectories(directory.resolve("data/run-1"));
        byte[] weights = randomBytes(64 * 1024);
        Files.write(source.resolve("weights.bin"), weights);

        roam = startRoam(directory.resolve("roam.err"), "cp", "--quiet", "data/run-1/", "replicas/run-1/");

        assertThat(roam.waitFor(120, TimeUnit.SECONDS)).as("roam cp exited").isTrue();
        assertThat(roam.exitValue()).as(Files.readString(directory.resolve("roam.err"), UTF_8)).isEqualTo(RoamCommandLine.SUCCESS);
        assertThat(Files.readAllBytes(directory.resolve("replicas/run-1/weights.bin"))).isEqualTo(weights);
    }

    /**
     * {@code roam} as {@code ./roam} runs it, in a JVM of its own working in the test's directory, with the default
     * SIGINT handling restored.
     */
    private Process startRoam(Path errors, String... arguments) throws IOException {
        // A shell starting tests in the background may ignore SIGINT, and the ignored disposition is inherited:
        // env --default-signal gives the command the default handling Ctrl-C relies on.
        List<String> command = Stream.concat(Stream.of("env", "--default-signal=INT",
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-Duser.home=" + directory,
                        "-cp", System.getProperty("java.class.path"),
                        RoamCommandLine.class.getName()),
                Stream.of(arguments)).toList();
        return new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectOutput(directory.resolve("roam.out").toFile())
                .redirectError(errors.toFile())
                .start();
    }

    private static void sendSigint(Process process) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("exit code of kill -INT").isZero();
    }

    /** Every entry of a directory, hidden ones included, as a reader listing it would see them. */
    private static List<Path> entries(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.sorted().toList();
        }
    }

    /** The size of the partial file a resumable write of {@code shard.bin} keeps in {@code directory}, or 0 while there is none. */
    private static long partialFileSize(Path directory) throws IOException {
        for (Path entry : entries(directory)) {
            if (entry.getFileName().toString().startsWith(".shard.bin.roam-partial-resumable-")) {
                return Files.size(entry);
            }
        }
        return 0;
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        return bytes;
    }
}
