package io.roam.worker;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How a transfer-worker copies and reports. */
@ConfigMapping(prefix = "roam.worker")
public interface WorkerConfiguration {

    /**
     * How many files of one transfer are copied at once. Each small file in flight holds one buffer of
     * {@link #bufferSize()} bytes; large ones take part buffers from the shared pool ({@link #bufferedParts()}).
     */
    @WithDefault("4")
    int concurrentFiles();

    /** The buffer each small file in flight streams through, in bytes. */
    @WithDefault("1048576")
    int bufferSize();

    /**
     * The size of each ranged read of a large file, in bytes; files of at least two parts are read in
     * parts, several at once. Independent of the part or block size the target backend uploads (a
     * property of its storage profile).
     */
    @WithDefault("8388608")
    int partSize();

    /** How many parts of one large file are read at once, ahead of the writer. */
    @WithDefault("4")
    int readsPerFile();

    /**
     * The most part buffers the worker holds, across all its transfers and files: with {@link #partSize()},
     * the bound on the memory large files take for reading (96 MiB by default).
     */
    @WithDefault("12")
    int bufferedParts();

    /** How often a running transfer publishes a progress event. */
    @WithDefault("1s")
    Duration progressInterval();

    /** Retries of a failed file copy; only retryable (transient or throttled) failures are retried. */
    Retry retry();

    interface Retry {

        /** Tries in all, the first included. */
        @WithDefault("5")
        int maxAttempts();

        /** The ceiling of the random pause before the first retry; it doubles for each further retry. */
        @WithDefault("200ms")
        Duration initialBackoff();

        /** The largest pause between two tries. */
        @WithDefault("10s")
        Duration maxBackoff();
    }
}
