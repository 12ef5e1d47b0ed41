package io.roam.worker;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How a transfer-worker copies and reports. */
@ConfigMapping(prefix = "roam.worker")
public interface WorkerConfiguration {

    /**
     * How many files of one transfer are copied at once. Each file in flight holds one buffer of
     * {@link #bufferSize()} bytes.
     */
    @WithDefault("4")
    int concurrentFiles();

    /** The buffer each file in flight streams through, in bytes. */
    @WithDefault("1048576")
    int bufferSize();

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
