package io.roam.worker;

import io.roam.contracts.messages.ManifestChunks;
import io.roam.contracts.messages.ManifestEntry;
import io.roam.contracts.messages.TransferError;
import io.roam.contracts.messages.TransferEvent;
import io.roam.contracts.messages.TransferProgress;
import io.roam.contracts.messages.TransferRequest;
import io.roam.storage.InvalidLocationException;
import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageErrors;
import io.roam.storage.StorageException;
import io.roam.transfer.CopiedFile;
import io.roam.transfer.TransferCancellation;
import io.roam.transfer.TransferCancelledException;
import io.roam.transfer.TransferEngine;
import io.roam.transfer.TransferPlan;
import io.roam.transfer.TransferProgressTracker;
import io.roam.transfer.VerificationFailedException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Runs one transfer request to its outcome and reports it: STARTED once the work is known, PROGRESS at
 * a steady rate while copying, the manifest in MANIFEST chunks of bounded size, then SUCCEEDED with the
 * number of manifest entries, or FAILED with the classified error. A failure of the transfer itself is
 * an outcome, not an error of the consumer: it never reaches the dead-letter topic.
 *
 * <p>Copies (replication, staging) go through the {@link TransferEngine}. Verifications and deletions,
 * which the catalog asks for, work on one existing replica through the {@link ReplicaReader}: a
 * verification reports as its manifest what it read; a deletion reports an empty one.
 */
@ApplicationScoped
public class TransferExecutor {

    private static final Logger LOG = Logger.getLogger(TransferExecutor.class);
    private static final String CANCELLED = "CANCELLED";

    private final TransferEngine engine;
    private final ReplicaReader replicas;
    private final TransferEventPublisher publisher;
    private final WorkerConfiguration configuration;
    private final RunningTransfers runningTransfers;

    public TransferExecutor(TransferEngine engine, ReplicaReader replicas, TransferEventPublisher publisher,
            WorkerConfiguration configuration, RunningTransfers runningTransfers) {
        this.engine = engine;
        this.replicas = replicas;
        this.publisher = publisher;
        this.configuration = configuration;
        this.runningTransfers = runningTransfers;
    }

    public void execute(TransferRequest request) {
        long startNanos = System.nanoTime();
        TransferProgressTracker tracker = new TransferProgressTracker();
        TransferCancellation cancellation = runningTransfers.start(request.transferId());
        try {
            if (cancellation.isCancelled()) {
                throw new TransferCancelledException("transfer " + request.transferId() + " was cancelled before it started");
            }
            List<ManifestEntry> manifest = switch (request.purpose()) {
                case REPLICATION, STAGING -> copy(request, tracker, cancellation);
                case VERIFICATION -> verify(request, cancellation);
                case DELETION -> delete(request, cancellation);
            };
            TransferProgress progress = finalProgress(tracker, startNanos);
            for (List<ManifestEntry> chunk : ManifestChunks.split(manifest, ManifestChunks.DEFAULT_MAXIMUM_CHUNK_BYTES)) {
                publisher.publish(TransferEvent.manifestChunk(request, progress, chunk));
            }
            publisher.publish(TransferEvent.succeeded(request, progress, manifest.size()));
        }
        catch (TransferCancelledException cancelled) {
            // The catalog already records the transfer as cancelled and ignores this outcome; it is sent
            // so that the event stream tells the whole story.
            fail(request, tracker, startNanos, new TransferError(CANCELLED, cancelled.getMessage(), false));
            LOG.infof("transfer %s cancelled: %s", request.transferId(), cancelled.getMessage());
        }
        catch (InvalidLocationException invalid) {
            fail(request, tracker, startNanos, new TransferError(StorageErrorKind.INVALID_LOCATION.name(), invalid.getMessage(), false));
            LOG.warnf("transfer %s failed: %s", request.transferId(), invalid.getMessage());
        }
        catch (RuntimeException failure) {
            StorageException classified = StorageErrors.classify(failure);
            fail(request, tracker, startNanos, toError(classified));
            LOG.warnf("transfer %s failed (%s): %s", request.transferId(), classified.kind(), classified.getMessage());
        }
        finally {
            runningTransfers.finish(request.transferId());
        }
    }

    private List<ManifestEntry> copy(TransferRequest request, TransferProgressTracker tracker, TransferCancellation cancellation) {
        TransferPlan plan = engine.plan(Location.parse(request.source()), Location.parse(request.target()));
        publisher.publish(TransferEvent.started(request, new TransferProgress(0, plan.totalBytes(), 0, plan.files().size(), 0)));
        List<CopiedFile> copied;
        try (ProgressReporter ignored = ProgressReporter.start(request, tracker, publisher, configuration.progressInterval())) {
            copied = engine.execute(plan, tracker, cancellation);
        }
        LOG.infof("transfer %s succeeded: %d files, %d bytes from %s to %s", request.transferId(), copied.size(),
                tracker.bytesDone(), request.source(), request.target());
        return copied.stream()
                .map(file -> new ManifestEntry(file.relativePath(), file.size(), file.digest().algorithm(), file.digest().value()))
                .toList();
    }

    private List<ManifestEntry> verify(TransferRequest request, TransferCancellation cancellation) {
        publisher.publish(TransferEvent.started(request, TransferProgress.NONE));
        List<ManifestEntry> found = replicas.digestAll(Location.parse(request.target()), cancellation);
        LOG.infof("transfer %s read %d files at %s for verification", request.transferId(), found.size(), request.target());
        return found;
    }

    private List<ManifestEntry> delete(TransferRequest request, TransferCancellation cancellation) {
        publisher.publish(TransferEvent.started(request, TransferProgress.NONE));
        long deleted = replicas.deleteAll(Location.parse(request.target()), cancellation);
        LOG.infof("transfer %s deleted %d files at %s", request.transferId(), deleted, request.target());
        return List.of();
    }

    private void fail(TransferRequest request, TransferProgressTracker tracker, long startNanos, TransferError error) {
        publisher.publish(TransferEvent.failed(request, finalProgress(tracker, startNanos), error));
    }

    private static TransferError toError(StorageException failure) {
        String code = failure instanceof VerificationFailedException ? "VERIFICATION_FAILED" : failure.kind().name();
        return new TransferError(code, failure.getMessage(), failure.retryable());
    }

    private static TransferProgress finalProgress(TransferProgressTracker tracker, long startNanos) {
        long elapsedNanos = Math.max(1, System.nanoTime() - startNanos);
        long bytesPerSecond = tracker.bytesDone() * 1_000_000_000L / elapsedNanos;
        return new TransferProgress(tracker.bytesDone(), tracker.bytesTotal(), tracker.filesDone(), tracker.filesTotal(),
                bytesPerSecond);
    }
}
