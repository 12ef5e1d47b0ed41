package io.roam.cli;

import static java.util.Objects.requireNonNull;

import io.roam.storage.StorageErrors;
import io.roam.storage.StorageException;
import io.roam.storage.StorageProfile;
import io.roam.storage.StorageRouter;
import io.roam.transfer.CopiedFile;
import io.roam.transfer.FailureCodes;
import io.roam.transfer.RetryPolicy;
import io.roam.transfer.TransferCancellation;
import io.roam.transfer.TransferEngine;
import io.roam.transfer.TransferOptions;
import io.roam.transfer.TransferPlan;
import io.roam.transfer.TransferProgressTracker;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code roam cp}: plans and runs one copy with the transfer engine, as the transfer-worker does,
 * printing progress to the error stream and the summary to the output stream.
 */
public final class CopyCommand {

    /**
     * How long an interrupted copy may take to abort its writes in flight before the JVM exits anyway.
     * Even then nothing partial is published, as every backend publishes a file only when its write closes;
     * what may be left is an abandoned temporary file or multipart upload.
     */
    static final Duration CANCELLATION_GRACE_PERIOD = Duration.ofSeconds(30);

    private final List<StorageProfile> profiles;
    private final boolean terminal;
    private final PrintStream out;
    private final PrintStream err;

    /**
     * @param profiles the storage profiles serving the source and the target
     * @param terminal whether the error stream is a terminal, where progress is redrawn in place
     */
    public CopyCommand(List<StorageProfile> profiles, boolean terminal, PrintStream out, PrintStream err) {
        this.profiles = List.copyOf(requireNonNull(profiles, "profiles is null"));
        this.terminal = terminal;
        this.out = requireNonNull(out, "out is null");
        this.err = requireNonNull(err, "err is null");
    }

    /**
     * Copies and verifies, then prints the summary unless quiet.
     *
     * <p>An interrupt (Ctrl-C, {@code kill}) cancels the copy through the engine's {@link
     * TransferCancellation}: a shutdown hook cancels it and holds the JVM's exit until the engine has
     * aborted every write in flight (so no partial file is published) and this method has printed what
     * was done, for at most {@link #CANCELLATION_GRACE_PERIOD}. The JVM then exits with the status of the
     * signal: 130 for SIGINT, 143 for SIGTERM.
     *
     * @return the exit code: 0 when every file was copied and verified, 1 when the copy failed (the
     *     classified error is printed on one line, with the stack trace when verbose), {@link
     *     RoamCommandLine#INTERRUPTED} when it was cancelled by an interrupt
     * @throws UsageException when the profiles cannot be routed, such as two profiles with one root
     */
    public int run(CopyArguments arguments) {
        StorageRouter router;
        try {
            router = new StorageRouter(profiles);
        }
        catch (IllegalArgumentException invalid) {
            throw new UsageException("invalid storage configuration: " + invalid.getMessage(), invalid);
        }
        TransferOptions options = new TransferOptions(arguments.concurrentFiles(), arguments.bufferSize(), RetryPolicy.DEFAULT);
        TransferEngine engine = new TransferEngine(router, options);
        TransferProgressTracker tracker = new TransferProgressTracker();
        TransferCancellation cancellation = new TransferCancellation();
        CountDownLatch finished = new CountDownLatch(1);
        Thread interruptHandler = Thread.ofPlatform().name("roam-cp-interrupt").unstarted(() -> cancelAndAwait(cancellation, finished));
        Runtime.getRuntime().addShutdownHook(interruptHandler);
        long startNanos = System.nanoTime();
        try (router) {
            TransferPlan plan = engine.plan(arguments.source(), arguments.target());
            List<CopiedFile> copied;
            if (arguments.quiet()) {
                copied = engine.execute(plan, tracker, cancellation);
            }
            else {
                try (ProgressMonitor ignored = ProgressMonitor.start(tracker, err, terminal, startNanos)) {
                    copied = engine.execute(plan, tracker, cancellation);
                }
            }
            if (!arguments.quiet()) {
                long bytes = copied.stream().mapToLong(CopiedFile::size).sum();
                ProgressFormatter.CopyOutcome outcome = new ProgressFormatter.CopyOutcome(copied.size(), bytes, tracker.filesSkipped(),
                        tracker.bytesSkipped(), tracker.bytesResumed());
                out.println(ProgressFormatter.summaryLine(outcome, Duration.ofNanos(System.nanoTime() - startNanos)));
            }
            return RoamCommandLine.SUCCESS;
        }
        catch (RuntimeException failure) {
            if (cancellation.isCancelled()) {
                err.println("roam cp: " + ProgressFormatter.interruptedLine(tracker.filesDone(), tracker.filesTotal()));
                return RoamCommandLine.INTERRUPTED;
            }
            StorageException classified = StorageErrors.classify(failure);
            err.println("roam cp: " + FailureCodes.of(classified) + ": " + singleLine(classified.getMessage()));
            if (arguments.verbose()) {
                failure.printStackTrace(err);
            }
            return RoamCommandLine.COPY_FAILED;
        }
        finally {
            err.flush();
            finished.countDown();
            removeShutdownHook(interruptHandler);
        }
    }

    /** Runs in the shutdown hook: cancels the copy and waits until it has stopped and said what was done. */
    private static void cancelAndAwait(TransferCancellation cancellation, CountDownLatch finished) {
        if (finished.getCount() == 0) {
            return;
        }
        cancellation.cancel();
        try {
            finished.await(CANCELLATION_GRACE_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (IllegalStateException shutdownInProgress) {
            // The hook is running or has run: the JVM is exiting because of an interrupt.
        }
    }

    private static String singleLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
