package io.roam.worker;

import io.roam.transfer.TransferCancellation;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The transfers this worker runs, each with the cancellation its engine watches, and the ids of
 * transfers cancelled recently, so that a request still waiting in Kafka when its cancellation arrived
 * is not started at all.
 *
 * <p>On shutdown it stops admitting transfers, lets the running ones finish for a while, then hands the
 * rest over ({@link TransferCancellation#handOver()}): they stop, keeping the parts their resumable writes
 * stored, and their executors leave their requests for another worker, which continues them, instead of
 * reporting an outcome.
 */
@ApplicationScoped
public class RunningTransfers {

    /** Enough to cover the requests waiting in a worker's partitions; the catalog ignores the rest. */
    private static final int REMEMBERED_CANCELLATIONS = 10_000;

    private final Map<UUID, TransferCancellation> running = new ConcurrentHashMap<>();
    private final Set<UUID> cancelled = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
            return size() > REMEMBERED_CANCELLATIONS;
        }
    }));
    private volatile boolean stopping;

    /**
     * Registers a transfer about to run; the returned cancellation is already cancelled if it was asked for.
     * Empty when the worker is shutting down: the transfer must not start.
     */
    synchronized Optional<TransferCancellation> start(UUID transferId) {
        if (stopping) {
            return Optional.empty();
        }
        TransferCancellation cancellation = new TransferCancellation();
        running.put(transferId, cancellation);
        if (cancelled.contains(transferId)) {
            cancellation.cancel();
        }
        return Optional.of(cancellation);
    }

    synchronized void finish(UUID transferId) {
        running.remove(transferId);
        notifyAll();
    }

    /** From now on no transfer starts here. */
    synchronized void stopAdmitting() {
        stopping = true;
    }

    /**
     * Waits until no transfer runs here, or the timeout passes.
     *
     * @return whether none runs
     */
    synchronized boolean awaitNoneRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!running.isEmpty()) {
            long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (remainingMillis <= 0) {
                return false;
            }
            wait(remainingMillis);
        }
        return true;
    }

    /**
     * Stops every running transfer so that another worker continues it ({@link TransferCancellation#handOver()}:
     * a transfer a user has cancelled stays cancelled, and is reported so).
     *
     * @return how many transfers were running
     */
    synchronized int handOverAll() {
        running.values().forEach(TransferCancellation::handOver);
        return running.size();
    }

    /** Cancels the transfer if it runs here, and remembers it in case its request has not arrived yet. */
    void cancel(UUID transferId) {
        cancelled.add(transferId);
        TransferCancellation cancellation = running.get(transferId);
        if (cancellation != null) {
            cancellation.cancel();
        }
    }
}
