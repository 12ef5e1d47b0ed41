package io.roam.worker;

import io.opentelemetry.context.Context;
import io.roam.contracts.messages.TransferEvent;
import io.roam.contracts.messages.TransferProgress;
import io.roam.contracts.messages.TransferRequest;
import io.roam.transfer.TransferProgressTracker;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples a running transfer's counters at a steady rate and publishes them as progress events, with
 * the throughput over the last interval, and hands each sample to the transfer's metrics. Closing it stops the sampling before the outcome is published,
 * so that no progress event follows the outcome.
 */
final class ProgressReporter implements AutoCloseable {

    private final TransferRequest request;
    private final TransferProgressTracker tracker;
    private final TransferEventPublisher publisher;
    private final TransferMetrics.Measurement measurement;
    private final ScheduledExecutorService scheduler;
    private long lastBytesDone;
    private long lastSampleNanos;

    private ProgressReporter(TransferRequest request, TransferProgressTracker tracker, TransferEventPublisher publisher,
            TransferMetrics.Measurement measurement) {
        this.request = request;
        this.tracker = tracker;
        this.publisher = publisher;
        this.measurement = measurement;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("progress-" + request.transferId()).factory());
        this.lastSampleNanos = System.nanoTime();
    }

    static ProgressReporter start(TransferRequest request, TransferProgressTracker tracker, TransferEventPublisher publisher,
            TransferMetrics.Measurement measurement, Duration interval) {
        ProgressReporter reporter = new ProgressReporter(request, tracker, publisher, measurement);
        // Progress events continue the transfer's trace although they are sent from the sampler's thread.
        reporter.scheduler.scheduleAtFixedRate(Context.current().wrap(reporter::report), interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return reporter;
    }

    /** The counters now, with the average rate since the previous sample. */
    synchronized TransferProgress sample() {
        long now = System.nanoTime();
        long bytesDone = tracker.bytesDone();
        long elapsedNanos = Math.max(1, now - lastSampleNanos);
        long bytesPerSecond = Math.max(0, (bytesDone - lastBytesDone) * 1_000_000_000L / elapsedNanos);
        lastBytesDone = bytesDone;
        lastSampleNanos = now;
        return new TransferProgress(bytesDone, tracker.bytesTotal(), tracker.filesDone(), tracker.filesTotal(), bytesPerSecond,
                tracker.bytesSkipped(), tracker.bytesResumed());
    }

    private void report() {
        TransferProgress progress = sample();
        measurement.progress(progress);
        publisher.publishProgress(TransferEvent.progress(request, progress));
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
