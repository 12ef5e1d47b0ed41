package io.roam.worker;

import io.roam.transfer.TransferCancellation;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The transfers this worker runs, each with the cancellation its engine watches, and the ids of
 * transfers cancelled recently, so that a request still waiting in Kafka when its cancellation arrived
 * is not started at all.
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

    /** Registers a transfer about to run; the returned cancellation is already cancelled if it was asked for. */
    TransferCancellation start(UUID transferId) {
        TransferCancellation cancellation = new TransferCancellation();
        running.put(transferId, cancellation);
        if (cancelled.contains(transferId)) {
            cancellation.cancel();
        }
        return cancellation;
    }

    void finish(UUID transferId) {
        running.remove(transferId);
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
