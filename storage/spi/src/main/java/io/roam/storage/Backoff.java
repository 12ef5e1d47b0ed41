package io.roam.storage;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before trying a failed operation again: exponential backoff with full jitter, a random
 * pause between zero and {@code initial × 2^(failedAttempts - 1)}, at most {@code maximum}. The jitter
 * keeps many writers that failed together (a throttled bucket, a restarted server) from trying again
 * together.
 */
public record Backoff(Duration initial, Duration maximum) {

    public Backoff {
        requireNonNull(initial, "initial is null");
        requireNonNull(maximum, "maximum is null");
        if (initial.isNegative() || maximum.isNegative()) {
            throw new IllegalArgumentException("backoff durations must not be negative: %s, %s".formatted(initial, maximum));
        }
    }

    /** The pause after {@code failedAttempts} failed attempts (at least one). */
    public Duration delay(int failedAttempts) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("failedAttempts must be at least 1: " + failedAttempts);
        }
        long ceiling = Math.min(maximum.toMillis(), initial.toMillis() << Math.min(failedAttempts - 1, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    /**
     * Sleeps for {@link #delay}. A plain sleep is right here: the wait is the point, there is no
     * condition to wait for, and callers run on their own (virtual) threads.
     */
    public void pause(int failedAttempts) throws InterruptedException {
        Thread.sleep(delay(failedAttempts));
    }
}
