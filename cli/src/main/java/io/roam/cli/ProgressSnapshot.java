package io.roam.cli;

/**
 * The counters of a running copy at one moment.
 *
 * @param bytesPerSecond the recent throughput, 0 when unknown
 */
public record ProgressSnapshot(long bytesDone, long bytesTotal, long filesDone, long filesTotal, long bytesPerSecond) {
}
