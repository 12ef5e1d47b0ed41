package io.roam.cli;

import io.roam.transfer.TransferProgressTracker;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples a running copy's counters on a scheduled thread (the engine does not call back) and prints
 * them: on a terminal, one line redrawn in place about four times a second; otherwise a line every five
 * seconds. The throughput shown is the rate over the last five seconds. Closing it stops the sampling;
 * on a terminal it first draws the final state and ends the line.
 */
final class ProgressMonitor implements AutoCloseable {

    private static final Duration TERMINAL_INTERVAL = Duration.ofMillis(250);
    private static final Duration LOG_INTERVAL = Duration.ofSeconds(5);
    private static final long THROUGHPUT_WINDOW_NANOS = Duration.ofSeconds(5).toNanos();

    private record Sample(long nanos, long bytesDone) {
    }

    private final TransferProgressTracker tracker;
    private final PrintStream stream;
    private final boolean terminal;
    private final long startNanos;
    private final ScheduledExecutorService scheduler;
    private final Deque<Sample> recentSamples = new ArrayDeque<>();
    private int lastLineLength;

    private ProgressMonitor(TransferProgressTracker tracker, PrintStream stream, boolean terminal, long startNanos) {
        this.tracker = tracker;
        this.stream = stream;
        this.terminal = terminal;
        this.startNanos = startNanos;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("roam-progress").factory());
        recentSamples.add(new Sample(startNanos, 0));
    }

    /**
     * Starts printing the progress of a copy.
     *
     * @param terminal whether {@code stream} is a terminal, where the line is redrawn in place
     * @param startNanos when the copy started, by {@link System#nanoTime()}
     */
    static ProgressMonitor start(TransferProgressTracker tracker, PrintStream stream, boolean terminal, long startNanos) {
        ProgressMonitor monitor = new ProgressMonitor(tracker, stream, terminal, startNanos);
        long interval = (terminal ? TERMINAL_INTERVAL : LOG_INTERVAL).toMillis();
        monitor.scheduler.scheduleAtFixedRate(monitor::print, interval, interval, TimeUnit.MILLISECONDS);
        return monitor;
    }

    private synchronized void print() {
        long now = System.nanoTime();
        String line = ProgressFormatter.progressLine(sample(now), Duration.ofNanos(now - startNanos), terminal);
        if (terminal) {
            // Spaces erase what is left of a longer previous line.
            stream.print("\r" + line + " ".repeat(Math.max(0, lastLineLength - line.length())));
            lastLineLength = line.length();
        }
        else {
            stream.println(line);
        }
        stream.flush();
    }

    private ProgressSnapshot sample(long now) {
        long bytesDone = tracker.bytesDone();
        while (recentSamples.size() > 1 && now - recentSamples.peekFirst().nanos() > THROUGHPUT_WINDOW_NANOS) {
            recentSamples.removeFirst();
        }
        Sample oldest = recentSamples.peekFirst();
        long bytesPerSecond = Math.max(0, (bytesDone - oldest.bytesDone()) * 1_000_000_000L / Math.max(1, now - oldest.nanos()));
        recentSamples.addLast(new Sample(now, bytesDone));
        return new ProgressSnapshot(bytesDone, tracker.bytesTotal(), tracker.filesDone(), tracker.filesTotal(), bytesPerSecond);
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
        if (terminal) {
            print();
            stream.println();
        }
    }
}
