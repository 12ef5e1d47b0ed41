package io.roam.benchmarks;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code roam cp}, run by the {@code roam} script at the root of the repository exactly as a user runs
 * it (so with its JVM options), with the storage profiles in a configuration file and a fixed maximum
 * heap added to the script's JVM options through {@code ROAM_JAVA_OPTIONS}.
 */
final class RoamTool implements CopyTool {

    private final Path command;
    private final Path configuration;
    private final String maximumHeap;
    private final int concurrentFiles;
    private final String s3HttpClient;
    private final Path home;

    /**
     * @param command the {@code roam} script
     * @param maximumHeap the JVM's {@code -Xmx}, such as {@code 256m}
     * @param s3HttpClient the {@code http-client} the configuration gives the S3 profiles, for the settings
     * @param home the {@code user.home} of the process, so that no configuration of the user's is read
     */
    RoamTool(Path command, Path configuration, String maximumHeap, int concurrentFiles, String s3HttpClient, Path home) {
        this.command = requireNonNull(command, "command is null");
        this.configuration = requireNonNull(configuration, "configuration is null");
        this.maximumHeap = requireNonNull(maximumHeap, "maximumHeap is null");
        this.concurrentFiles = concurrentFiles;
        this.s3HttpClient = requireNonNull(s3HttpClient, "s3HttpClient is null");
        this.home = requireNonNull(home, "home is null");
    }

    @Override
    public String name() {
        return "Roam";
    }

    /** The heap, after any options of the benchmark's own environment, so that experiments can add some. */
    String javaOptions() {
        String inherited = System.getenv("ROAM_JAVA_OPTIONS");
        return (inherited == null || inherited.isBlank() ? "" : inherited + " ") + "-Xmx" + maximumHeap;
    }

    @Override
    public String settings() {
        return "roam cp --concurrent-files %d (JVM %s, ROAM_JAVA_OPTIONS=%s); S3 part-size 8MiB, upload-concurrency %d, http-client %s, sign-payloads false (as rclone); Azure block-size 8MiB, upload-concurrency %d; GCS chunk-size 16MiB; SFTP defaults; local sync=false (a scratch disk)"
                .formatted(concurrentFiles, Runtime.version(), javaOptions(), concurrentFiles, s3HttpClient, concurrentFiles);
    }

    @Override
    public MeasuredProcess.Result copy(BenchmarkStore source, String sourceDirectory, BenchmarkStore target, String targetDirectory, Path log,
            Duration timeout) throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>();
        arguments.add(command.toString());
        arguments.add("-Duser.home=" + home);
        arguments.addAll(copyArguments(source, sourceDirectory, target, targetDirectory));
        return MeasuredProcess.run(arguments, Set.of(), Map.of("ROAM_JAVA_OPTIONS", javaOptions()), log, timeout);
    }

    /** The {@code roam} script at the root of the repository. */
    Path command() {
        return command;
    }

    Path home() {
        return home;
    }

    /** {@code cp} and its arguments, the target last. */
    List<String> copyArguments(BenchmarkStore source, String sourceDirectory, BenchmarkStore target, String targetDirectory) {
        return List.of("cp", "--config", configuration.toString(), "--concurrent-files", Integer.toString(concurrentFiles),
                source.roamLocation(sourceDirectory), target.roamLocation(targetDirectory));
    }
}
