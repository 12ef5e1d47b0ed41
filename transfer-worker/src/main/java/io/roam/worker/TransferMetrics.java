package io.roam.worker;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.roam.contracts.messages.TransferError;
import io.roam.contracts.messages.TransferProgress;
import io.roam.contracts.messages.TransferPurpose;
import io.roam.contracts.messages.TransferRequest;
import io.roam.storage.Location;
import io.roam.storage.StorageException;
import io.roam.storage.StorageRouter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker's Prometheus series. Every label has a small, fixed set of values (backend names, purposes,
 * outcomes, error codes): never an id, a location or anything a request chooses freely.
 *
 * <ul>
 * <li>{@code roam_transfer_bytes_total{source_backend, target_backend}}: bytes copied, counted as they are copied</li>
 * <li>{@code roam_transfer_throughput_bytes_per_second}: the sum of the current rates of the transfers running</li>
 * <li>{@code roam_transfer_duration_seconds{purpose, outcome}}: how long transfers took, as a histogram</li>
 * <li>{@code roam_transfer_failures_total{code, retryable}}: failed transfers by error class</li>
 * <li>{@code roam_transfers_in_flight}: transfers running now</li>
 * <li>{@code roam_dead_letters_total{topic}}: records sent to the dead-letter topic</li>
 * </ul>
 */
@ApplicationScoped
public class TransferMetrics {

    private static final String DEAD_LETTERS = "roam.dead.letters";
    /** Histogram buckets from a small file's seconds to a large checkpoint's hours: few, so that the series stay cheap. */
    private static final Duration[] DURATION_BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1),
            Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(4), Duration.ofHours(12)};
    /** The backend label of a location no profile serves (such a transfer fails with INVALID_LOCATION). */
    private static final String UNKNOWN_BACKEND = "unknown";

    private final MeterRegistry registry;
    private final StorageRouter router;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<UUID, Long> currentRates = new ConcurrentHashMap<>();

    public TransferMetrics(MeterRegistry registry, StorageRouter router) {
        this.registry = registry;
        this.router = router;
        Gauge.builder("roam.transfers.in.flight", inFlight, AtomicInteger::get)
                .description("Transfers this worker runs now")
                .register(registry);
        Gauge.builder("roam.transfer.throughput.bytes.per.second", currentRates,
                        rates -> rates.values().stream().mapToLong(Long::longValue).sum())
                .description("Bytes per second this worker copies now: the sum of the last progress rates of its running transfers")
                .register(registry);
    }

    /** Starts measuring one transfer; the caller must {@link Measurement#finish(Outcome, long) finish} it. */
    Measurement start(TransferRequest request) {
        requireNonNull(request, "request is null");
        inFlight.incrementAndGet();
        Counter bytes = Counter.builder("roam.transfer.bytes")
                .description("Bytes copied, by the backends of the source and the target")
                .baseUnit("bytes")
                .tag("source_backend", backendOf(request.source()))
                .tag("target_backend", backendOf(request.target()))
                .register(registry);
        return new Measurement(request.transferId(), request.purpose(), isCopy(request.purpose()) ? bytes : null, System.nanoTime());
    }

    /** Counts a record sent to {@code topic}, a dead-letter topic of this worker. */
    void deadLettered(String topic) {
        registry.counter(DEAD_LETTERS, "topic", topic).increment();
    }

    private static boolean isCopy(TransferPurpose purpose) {
        return switch (purpose) {
            case REPLICATION, STAGING -> true;
            case VERIFICATION, DELETION -> false;
        };
    }

    private String backendOf(String location) {
        try {
            return router.profileFor(Location.parse(location)).backend();
        }
        catch (StorageException | IllegalArgumentException unserved) {
            return UNKNOWN_BACKEND;
        }
    }

    /** How a measured transfer ended. */
    enum Outcome {
        SUCCEEDED,
        FAILED,
        CANCELLED,
        /** Stopped by the worker's shutdown and left for another worker: it has not ended, so no duration is recorded. */
        LEFT_FOR_ANOTHER_WORKER
    }

    /** One running transfer's share of the series. Its methods are called from the transfer's thread and its progress sampler. */
    final class Measurement {

        private final UUID transferId;
        private final TransferPurpose purpose;
        private final Counter bytes;
        private final long startNanos;
        private long bytesCounted;

        private Measurement(UUID transferId, TransferPurpose purpose, Counter bytes, long startNanos) {
            this.transferId = transferId;
            this.purpose = purpose;
            this.bytes = bytes;
            this.startNanos = startNanos;
        }

        /** Counts the bytes copied since the previous sample, and takes the sample's rate as the transfer's current one. */
        synchronized void progress(TransferProgress progress) {
            countBytes(progress.bytesDone());
            currentRates.put(transferId, progress.bytesPerSecond());
        }

        /** Records a failure by its error class; then {@link #finish(Outcome, long)} with {@link Outcome#FAILED}. */
        void failed(TransferError error) {
            registry.counter("roam.transfer.failures", "code", error.code(), "retryable", String.valueOf(error.retryable())).increment();
        }

        /** Counts the last bytes, and records the duration unless the transfer is left for another worker. */
        synchronized void finish(Outcome outcome, long bytesDone) {
            countBytes(bytesDone);
            currentRates.remove(transferId);
            inFlight.decrementAndGet();
            if (outcome != Outcome.LEFT_FOR_ANOTHER_WORKER) {
                Timer.builder("roam.transfer.duration")
                        .description("How long transfers took, from the request's arrival at a worker to the outcome")
                        .tag("purpose", purpose.name().toLowerCase(Locale.ROOT))
                        .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                        .serviceLevelObjectives(DURATION_BUCKETS)
                        .register(registry)
                        .record(Duration.ofNanos(System.nanoTime() - startNanos));
            }
        }

        private void countBytes(long bytesDone) {
            if (bytes != null && bytesDone > bytesCounted) {
                bytes.increment(bytesDone - bytesCounted);
                bytesCounted = bytesDone;
            }
        }
    }
}
