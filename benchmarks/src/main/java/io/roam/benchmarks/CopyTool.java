package io.roam.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** A program that copies a directory from one store to another, run as its own process. */
interface CopyTool {

    /** For the table: {@code Roam} or {@code rclone}. */
    String name();

    /** One line saying how it is run: its version and the settings the comparison depends on. */
    String settings();

    /** Copies {@code sourceDirectory} of {@code source} to {@code targetDirectory} of {@code target}, stopped past {@code timeout}. */
    MeasuredProcess.Result copy(BenchmarkStore source, String sourceDirectory, BenchmarkStore target, String targetDirectory, Path log,
            Duration timeout) throws IOException, InterruptedException;
}
