package io.roam.worker;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.instrumentation.annotations.WithSpan;
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
import io.roam.transfer.FailureCodes;
import io.roam.transfer.TransferCancellation;
import io.roam.transfer.TransferCancelledException;
import io.roam.transfer.TransferEngine;
import io.roam.transfer.TransferPlan;
import io.roam.transfer.TransferProgressTracker;
import io.roam.worker.TransferMetrics.Measurement;
import io.roam.worker.TransferMetrics.Outcome;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Runs one transfer request to its outcome and reports it: STARTED once the work is known, PROGRESS at
 * a steady rate while copying, the manifest in MANIFEST chunks of bounded size, then SUCCEEDED with the
 * number of manifest entries, or FAILED with the classified error. A failure of the transfer itself is
 * an outcome, not an error of the consumer: it never reaches the dead-letter topic.
 *
 * <p>Copies (replication, staging) go through the {@link TransferEngine}. Verifications and deletions,
 * which the catalog asks for, work on one existing replica through the {@link ReplicaReader}: a
 * verification reports as its manifest what it read; a deletion reports an empty one.
 *
 * <p>While a transfer runs, its log lines carry {@code transferId} and {@code artifactId} (the MDC), its
 * trace span ({@code roam.transfer}) continues the trace of the request, and {@link TransferMetrics}
 * counts it.
 */
@ApplicationScoped
public class TransferExecutor {

    private static final Logger LOG = Logger.getLogger(TransferExecutor.class);
    private static final String CANCELLED = "CANCELLED";
    private static final String TRANSFER_ID = "transferId";
    private static final String ARTIFACT_ID = "artifactId";

    /** What became of a request. */
    public enum Completion {
        /** Its outcome was published: the request is done with. */
        REPORTED,
        /** Not run, or stopped, because the worker is shutting down: no outcome was published, another worker must run it. */
        LEFT_FOR_ANOTHER_WORKER
    }

    private final TransferEngine engine;
    private final ReplicaReader replicas;
    private final TransferEventPublisher publisher;
    private final WorkerConfiguration configuration;
    private final RunningTransfers runningTransfers;
    private final TransferMetrics metrics;

    public TransferExecutor(TransferEngine engine, ReplicaReader replicas, TransferEventPublisher publisher,
            WorkerConfiguration configuration, RunningTransfers runningTransfers, TransferMetrics metrics) {
        this.engine = engine;
        this.replicas = replicas;
        this.publisher = publisher;
        this.configuration = configuration;
        this.runningTransfers = runningTransfers;
        this.metrics = metrics;
    }

    @WithSpan("roam.transfer")
    public Completion execute(TransferRequest request) {
        Span.current().setAttribute("roam.transfer.id", request.transferId().toString())
                .setAttribute("roam.artifact.id", request.artifactId().toString())
                .setAttribute("roam.transfer.purpose", request.purpose().name());
        Optional<TransferCancellation> admitted = runningTransfers.start(request.transferId());
        if (admitted.isEmpty()) {
            LOG.infof("transfer %s not started: the worker is shutting down", request.transferId());
            return Completion.LEFT_FOR_ANOTHER_WORKER;
        }
        MDC.put(TRANSFER_ID, request.transferId().toString());
        MDC.put(ARTIFACT_ID, request.artifactId().toString());
        try {
            return run(request, admitted.get());
        }
        finally {
            runningTransfers.finish(request.transferId());
            MDC.remove(TRANSFER_ID);
            MDC.remove(ARTIFACT_ID);
        }
    }

    private Completion run(TransferRequest request, TransferCancellation cancellation) {
        long startNanos = System.nanoTime();
        TransferProgressTracker tracker = new TransferProgressTracker();
        Measurement measurement = metrics.start(request);
        try {
            if (cancellation.isCancelled()) {
                throw new TransferCancelledException("transfer " + request.transferId() + " was cancelled before it started");
            }
            List<ManifestEntry> manifest = switch (request.purpose()) {
                case REPLICATION, STAGING -> copy(request, tracker, cancellation, measurement);
                case VERIFICATION -> verify(request, cancellation);
                case DELETION -> delete(request, cancellation);
            };
            TransferProgress progress = finalProgress(tracker, startNanos);
            for (List<ManifestEntry> chunk : ManifestChunks.split(manifest, ManifestChunks.DEFAULT_MAXIMUM_CHUNK_BYTES)) {
                publisher.publish(TransferEvent.manifestChunk(request, progress, chunk));
            }
            publisher.publish(TransferEvent.succeeded(request, progress, manifest.size()));
            measurement.finish(Outcome.SUCCEEDED, tracker.bytesDone());
            return Completion.REPORTED;
        }
        catch (RuntimeException failure) {
            if (cancellation.isHandedOver()) {
                // Stopped by the shutdown, whatever the engine threw while stopping: no outcome, another worker finishes it.
                measurement.finish(Outcome.LEFT_FOR_ANOTHER_WORKER, tracker.bytesDone());
                LOG.infof("transfer %s stopped by the worker's shutdown after %d bytes; left for another worker", request.transferId(),
                        tracker.bytesDone());
                return Completion.LEFT_FOR_ANOTHER_WORKER;
            }
            TransferError error = report(request, failure);
            fail(request, tracker, startNanos, error);
            if (error.code().equals(CANCELLED)) {
                measurement.finish(Outcome.CANCELLED, tracker.bytesDone());
            }
            else {
                measurement.failed(error);
                measurement.finish(Outcome.FAILED, tracker.bytesDone());
                Span.current().setStatus(StatusCode.ERROR, error.code());
            }
            return Completion.REPORTED;
        }
    }

    /** Classifies a failure once, logs it, and returns the error to report. */
    private static TransferError report(TransferRequest request, RuntimeException failure) {
        if (failure instanceof TransferCancelledException cancelled) {
            // The catalog already records the transfer as cancelled and ignores this outcome; it is sent
            // so that the event stream tells the whole story.
            LOG.infof("transfer %s cancelled: %s", request.transferId(), cancelled.getMessage());
            return new TransferError(CANCELLED, cancelled.getMessage(), false);
        }
        if (failure instanceof InvalidLocationException invalid) {
            LOG.warnf("transfer %s failed: %s", request.transferId(), invalid.getMessage());
            return new TransferError(StorageErrorKind.INVALID_LOCATION.name(), invalid.getMessage(), false);
        }
        StorageException classified = StorageErrors.classify(failure);
        LOG.warnf("transfer %s failed (%s): %s", request.transferId(), classified.kind(), classified.getMessage());
        return toError(classified);
    }

    private List<ManifestEntry> copy(TransferRequest request, TransferProgressTracker tracker, TransferCancellation cancellation,
            Measurement measurement) {
        TransferPlan plan = engine.plan(Location.parse(request.source()), Location.parse(request.target()));
        publisher.publish(TransferEvent.copyStarted(request, new TransferProgress(0, plan.totalBytes(), 0, plan.files().size(), 0, 0, 0),
                plan.target().toString()));
        List<CopiedFile> copied;
        try (ProgressReporter ignored = ProgressReporter.start(request, tracker, publisher, measurement,
                configuration.progressInterval())) {
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
        return new TransferError(FailureCodes.of(failure), failure.getMessage(), failure.retryable());
    }

    private static TransferProgress finalProgress(TransferProgressTracker tracker, long startNanos) {
        long elapsedNanos = Math.max(1, System.nanoTime() - startNanos);
        long bytesPerSecond = tracker.bytesDone() * 1_000_000_000L / elapsedNanos;
        return new TransferProgress(tracker.bytesDone(), tracker.bytesTotal(), tracker.filesDone(), tracker.filesTotal(),
                bytesPerSecond, tracker.bytesSkipped(), tracker.bytesResumed());
    }
}
