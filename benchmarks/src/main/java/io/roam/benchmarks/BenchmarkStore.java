package io.roam.benchmarks;

/**
 * A storage location of the benchmark: how Roam and rclone name a directory there. Directories are
 * relative paths ending in {@code /}, such as {@code source/large/}.
 */
interface BenchmarkStore {

    /** For the table: {@code local}, {@code S3}, {@code Azure}, {@code GCS}, {@code SFTP}. */
    String name();

    /** The directory as a Roam location, such as {@code s3://bench-a/source/large/}. */
    String roamLocation(String directory);

    /** The directory as an rclone path, such as {@code s3a:bench-a/source/large/}. */
    String rcloneLocation(String directory);
}
