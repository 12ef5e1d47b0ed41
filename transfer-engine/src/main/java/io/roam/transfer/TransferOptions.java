package io.roam.transfer;

/**
 * How the engine copies.
 *
 * <p>Memory: every file in flight holds one buffer of {@code bufferSize} bytes, reused by the next file; a
 * large one (at least two parts) is read as parts of {@code partSize} bytes, up to {@code readsPerFile}
 * ranged reads at once, into part buffers taken from one pool of {@code bufferedParts} buffers that every
 * transfer of the engine shares. So the engine's own buffers never exceed {@code concurrentFiles ×
 * bufferSize} per transfer plus {@code bufferedParts × partSize} in all, whatever the sizes and number of
 * the files; the target backend adds its own bounded upload buffers per file in flight (see each
 * backend's README).
 *
 * @param concurrentFiles how many files of one transfer are copied at once
 * @param bufferSize the buffer a small file streams through, in bytes
 * @param retryPolicy how failed file copies are retried
 * @param partSize the size of each ranged read of a large file, in bytes; files of at least two parts
 *     are read in parts
 * @param readsPerFile how many parts of one large file are read at once (ahead of the writer)
 * @param bufferedParts how many part buffers the whole engine holds at most, across files and transfers
 */
public record TransferOptions(int concurrentFiles, int bufferSize, RetryPolicy retryPolicy, int partSize, int readsPerFile,
        int bufferedParts) {

    public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;
    public static final int DEFAULT_READS_PER_FILE = 4;
    public static final int DEFAULT_BUFFERED_PARTS = 12;
    public static final TransferOptions DEFAULT = new TransferOptions(4, 1024 * 1024, RetryPolicy.DEFAULT);

    public TransferOptions {
        if (concurrentFiles < 1) {
            throw new IllegalArgumentException("concurrentFiles must be at least 1: " + concurrentFiles);
        }
        if (bufferSize < 4096) {
            throw new IllegalArgumentException("bufferSize must be at least 4096 bytes: " + bufferSize);
        }
        if (retryPolicy == null) {
            throw new NullPointerException("retryPolicy is null");
        }
        if (partSize < 64 * 1024) {
            throw new IllegalArgumentException("partSize must be at least 65536 bytes: " + partSize);
        }
        if (readsPerFile < 1) {
            throw new IllegalArgumentException("readsPerFile must be at least 1: " + readsPerFile);
        }
        if (bufferedParts < readsPerFile) {
            throw new IllegalArgumentException("bufferedParts must be at least readsPerFile (%d): %d".formatted(readsPerFile, bufferedParts));
        }
    }

    /** Options with the default part size, reads per file and part buffers. */
    public TransferOptions(int concurrentFiles, int bufferSize, RetryPolicy retryPolicy) {
        this(concurrentFiles, bufferSize, retryPolicy, DEFAULT_PART_SIZE, DEFAULT_READS_PER_FILE, DEFAULT_BUFFERED_PARTS);
    }
}
