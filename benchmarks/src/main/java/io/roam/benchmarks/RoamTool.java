package io.roam.benchmarks;

import static java.util.Objects.requireNonNull;

import io.roam.cli.RoamCommandLine;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code roam cp}, as {@code ./roam} runs it: its own JVM with the command line's class path, the
 * storage profiles in a configuration file, and a fixed maximum heap.
 */
final class RoamTool implements CopyTool {

    private final String classPath;
    private final Path configuration;
    private final String maximumHeap;
    private final int concurrentFiles;
    private final Path home;

    /**
     * @param classPath the class path of the command line ({@code cli/target/roam-cli.jar:cli/target/lib/*})
     * @param maximumHeap the JVM's {@code -Xmx}, such as {@code 256m}
     * @param home the {@code user.home} of the process, so that no configuration of the user's is read
     */
    RoamTool(String classPath, Path configuration, String maximumHeap, int concurrentFiles, Path home) {
        this.classPath = requireNonNull(classPath, "classPath is null");
        this.configuration = requireNonNull(configuration, "configuration is null");
        this.maximumHeap = requireNonNull(maximumHeap, "maximumHeap is null");
        this.concurrentFiles = concurrentFiles;
        this.home = requireNonNull(home, "home is null");
    }

    @Override
    public String name() {
        return "Roam";
    }

    @Override
    public String settings() {
        return "roam cp --concurrent-files %d (JVM %s, -Xmx%s); S3 part-size 8MiB, upload-concurrency %d; Azure block-size 8MiB, upload-concurrency %d; GCS chunk-size 8MiB; SFTP defaults"
                .formatted(concurrentFiles, Runtime.version(), maximumHeap, concurrentFiles, concurrentFiles);
    }

    @Override
    public MeasuredProcess.Result copy(BenchmarkStore source, String sourceDirectory, BenchmarkStore target, String targetDirectory, Path log,
            Duration timeout) throws IOException, InterruptedException {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maximumHeap,
                "-Duser.home=" + home,
                "-cp", classPath,
                RoamCommandLine.class.getName(),
                "cp", "--config", configuration.toString(), "--concurrent-files", Integer.toString(concurrentFiles),
                source.roamLocation(sourceDirectory), target.roamLocation(targetDirectory));
        return MeasuredProcess.run(command, Set.of(), Map.of(), log, timeout);
    }
}
