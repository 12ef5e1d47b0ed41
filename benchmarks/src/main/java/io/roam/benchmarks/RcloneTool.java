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
 * {@code rclone copy} with the same parallelism budget as Roam: as many files in flight, as many parts
 * of one file in flight, and the same part size. Everything else is rclone's default, including its
 * checks (size, and MD5 where both sides have one).
 */
final class RcloneTool implements CopyTool {

    private final Path configuration;
    private final int parallelism;
    private final String version;

    RcloneTool(Path configuration, int parallelism, String version) {
        this.configuration = requireNonNull(configuration, "configuration is null");
        this.parallelism = parallelism;
        this.version = requireNonNull(version, "version is null");
    }

    @Override
    public String name() {
        return "rclone";
    }

    @Override
    public String settings() {
        // rclone 1.60 has no GCS chunk size option: its client library uploads in 16 MiB chunks.
        return "rclone copy (%s) %s; GCS chunk 16MiB (fixed); SFTP defaults".formatted(version, String.join(" ", budgetFlags()));
    }

    private List<String> budgetFlags() {
        String budget = Integer.toString(parallelism);
        return List.of("--transfers", budget, "--checkers", budget, "--multi-thread-streams", budget,
                "--s3-upload-concurrency", budget, "--s3-chunk-size", "8M",
                "--azureblob-upload-concurrency", budget, "--azureblob-chunk-size", "8M");
    }

    @Override
    public MeasuredProcess.Result copy(BenchmarkStore source, String sourceDirectory, BenchmarkStore target, String targetDirectory, Path log,
            Duration timeout) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("rclone", "copy", "--config", configuration.toString()));
        command.addAll(budgetFlags());
        command.addAll(List.of(source.rcloneLocation(sourceDirectory), target.rcloneLocation(targetDirectory)));
        // rclone's S3 backend fails when the environment names a CA bundle (see shared/infra.md).
        return MeasuredProcess.run(command, Set.of("AWS_CA_BUNDLE"), Map.of(), log, timeout);
    }
}
