package io.roam.benchmarks;

import java.io.IOException;

/**
 * A store the benchmark writes with plain SDK calls, to measure the write side of a ceiling, to put
 * source datasets in, and to check and remove what the copies wrote.
 */
interface WritableStore extends BenchmarkStore {

    /**
     * Writes file {@code fileIndex} of {@code content}, {@code size} bytes, to {@code file}. Safe to call
     * from several threads at once.
     *
     * @param partConcurrency how many parts (blocks, ranges) of this one file go at once, where the
     *     API can write a file in parts; 1 for a plain sequential write
     */
    void write(String file, long size, GeneratedContent content, int fileIndex, int partConcurrency) throws IOException;

    /** How many files are under {@code directory}, and their bytes. */
    DirectorySummary summarize(String directory) throws IOException;

    /** Removes everything under {@code directory}. */
    void delete(String directory) throws IOException;

    /** What a directory holds. */
    record DirectorySummary(long fileCount, long totalBytes) {
    }
}
