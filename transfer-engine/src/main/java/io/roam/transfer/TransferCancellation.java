package io.roam.transfer;

/**
 * A request, from any thread, that a transfer stop. Give one to {@link TransferEngine#execute(TransferPlan,
 * TransferProgressTracker, TransferCancellation)}; the engine checks it before every file and between
 * buffers, and then fails with a {@link TransferCancelledException}. There are two ways to stop:
 * {@link #cancel()} when the transfer is no longer wanted, which discards every write in flight, and
 * {@link #handOver()} when the transfer is to be continued elsewhere (its worker is shutting down or its
 * node preempted), which keeps what resumable writes in flight have stored for the run that continues
 * it. Stopping cannot be undone; a cancellation overrides an earlier hand-over, and a hand-over after a
 * cancellation does nothing. Thread safe; one cancellation may stop several transfers.
 */
public final class TransferCancellation {

    private volatile boolean handedOver;
    private volatile boolean cancelled;

    /**
     * Asks every transfer given this cancellation to stop for good: writes in flight are aborted, publishing
     * nothing and discarding their stored parts. Returns at once; it does not wait for them.
     */
    public synchronized void cancel() {
        handedOver = false;
        cancelled = true;
    }

    /**
     * Asks every transfer given this cancellation to stop so that another run continues it: like {@link
     * #cancel()}, except that writes in flight that can be resumed ({@link io.roam.storage.ResumableOutputStream}:
     * S3 multipart uploads, Azure staged blocks) are left with the parts they stored, which the next run
     * reuses instead of sending them again. Other writes in flight are aborted as on a cancellation. Does
     * nothing once cancelled: a transfer no longer wanted is not continued. Returns at once; it does not
     * wait for them.
     */
    public synchronized void handOver() {
        if (cancelled) {
            return;
        }
        // Set first: a writer that sees the stop sees how to stop.
        handedOver = true;
        cancelled = true;
    }

    /** Whether the transfers were asked to stop, by {@link #cancel()} or by {@link #handOver()}. */
    public boolean isCancelled() {
        return cancelled;
    }

    /** Whether the transfers were asked to stop for another run to continue them ({@link #handOver()}). */
    public boolean isHandedOver() {
        return cancelled && handedOver;
    }

    /**
     * For work done outside the engine under the same cancellation (reading a replica back, say): stops it
     * the way the engine stops.
     *
     * @throws TransferCancelledException when the transfers were asked to stop
     */
    public void throwIfCancelled() {
        if (cancelled) {
            throw stopped();
        }
    }

    /** What a transfer stopped by this cancellation fails with. */
    TransferCancelledException stopped() {
        return new TransferCancelledException(isHandedOver()
                ? "the transfer was stopped, to be continued by another run"
                : "the transfer was cancelled");
    }
}
