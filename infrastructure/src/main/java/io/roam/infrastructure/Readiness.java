package io.roam.infrastructure;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waits, polling at a fixed interval, for a launched process to become ready or to die. */
final class Readiness {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private Readiness() {
    }

    /**
     * Polls {@code ready} until it returns {@code true}; fails as soon as {@code process} exits, or once
     * {@code timeout} has passed, with the process's diagnostics in the message. The caller stops the process
     * after a failure.
     */
    static void await(ManagedProcess process, Duration timeout, BooleanSupplier ready) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Start-up failed: " + process.diagnostics());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("Not ready within " + timeout + ": " + process.diagnostics());
            }
            try {
                TimeUnit.NANOSECONDS.sleep(POLL_INTERVAL.toNanos());
            }
            catch (InterruptedException exception) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for start-up: " + process.diagnostics(),
                        exception);
            }
        }
    }
}
