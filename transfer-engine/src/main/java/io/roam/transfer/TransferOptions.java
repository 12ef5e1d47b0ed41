package io.roam.transfer;

/**
 * How the engine copies.
 *
 * @param concurrentFiles how many files are copied at once; each one in flight holds one buffer
 * @param bufferSize the size of the buffer each file in flight streams through, in bytes
 * @param retryPolicy how failed file copies are retried
 */
public record TransferOptions(int concurrentFiles, int bufferSize, RetryPolicy retryPolicy) {

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
    }
}
