package io.roam.transfer;

/**
 * A request, from any thread, that a transfer stop. Give one to {@link TransferEngine#execute(TransferPlan,
 * TransferProgressTracker, TransferCancellation)} and call {@link #cancel()} when the transfer is no
 * longer wanted; the engine checks it before every file and between buffers, and then fails with a
 * {@link TransferCancelledException}. Cancelling cannot be undone, and cancelling again does nothing.
 * Thread safe; one cancellation may stop several transfers.
 */
public final class TransferCancellation {

    private volatile boolean cancelled;

    /** Asks every transfer given this cancellation to stop. Returns at once; it does not wait for them. */
    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * For work done outside the engine under the same cancellation (reading a replica back, say): stops it
     * the way the engine stops.
     *
     * @throws TransferCancelledException when {@link #cancel()} has been called
     */
    public void throwIfCancelled() {
        if (cancelled) {
            throw new TransferCancelledException("the transfer was cancelled");
        }
    }
}
