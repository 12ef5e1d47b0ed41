package io.roam.transfer;

import static java.util.Objects.requireNonNull;

import io.roam.storage.Backoff;
import io.roam.storage.StorageErrors;
import io.roam.storage.StorageException;
import java.time.Duration;

/**
 * The one place where Roam decides whether to try a failed operation again: only failures whose
 * classified kind is retryable are, with exponential backoff and full jitter, up to {@code
 * maxAttempts} tries in all.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(10));

    public RetryPolicy {
        requireNonNull(initialBackoff, "initialBackoff is null");
        requireNonNull(maxBackoff, "maxBackoff is null");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
    }

    /** An operation that may fail with any exception; failures are classified by {@link StorageErrors}. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code attempt} until it succeeds, fails with a non-retryable error, or runs out of tries.
     *
     * @throws StorageException the classified last failure
     */
    public <T> T run(Attempt<T> attempt) {
        for (int attemptNumber = 1; ; attemptNumber++) {
            try {
                return attempt.run();
            }
            catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw StorageErrors.classify(interrupted);
            }
            catch (Exception failure) {
                StorageException classified = StorageErrors.classify(failure);
                if (!classified.retryable() || attemptNumber >= maxAttempts) {
                    throw classified;
                }
                pause(attemptNumber);
            }
        }
    }

    /** The pause after {@code failedAttempts} failed attempts; see {@link Backoff}. */
    Duration backoff(int failedAttempts) {
        return backoffs().delay(failedAttempts);
    }

    private Backoff backoffs() {
        return new Backoff(initialBackoff, maxBackoff);
    }

    private void pause(int failedAttempts) {
        try {
            backoffs().pause(failedAttempts);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw StorageErrors.classify(interrupted);
        }
    }
}
