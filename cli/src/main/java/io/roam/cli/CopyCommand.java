package io.roam.cli;

import static java.util.Objects.requireNonNull;

import io.roam.storage.StorageErrors;
import io.roam.storage.StorageException;
import io.roam.storage.StorageProfile;
import io.roam.storage.StorageRouter;
import io.roam.transfer.CopiedFile;
import io.roam.transfer.RetryPolicy;
import io.roam.transfer.TransferEngine;
import io.roam.transfer.TransferOptions;
import io.roam.transfer.TransferPlan;
import io.roam.transfer.TransferProgressTracker;
import io.roam.transfer.VerificationFailedException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * {@code roam cp}: plans and runs one copy with the transfer engine, as the transfer-worker does,
 * printing progress to the error stream and the summary to the output stream.
 */
public final class CopyCommand {

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
     * @return the exit code: 0 when every file was copied and verified, 1 when the copy failed (the
     *     classified error is printed on one line, with the stack trace when verbose)
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
        long startNanos = System.nanoTime();
        try (router) {
            TransferPlan plan = engine.plan(arguments.source(), arguments.target());
            TransferProgressTracker tracker = new TransferProgressTracker();
            List<CopiedFile> copied;
            if (arguments.quiet()) {
                copied = engine.execute(plan, tracker);
            }
            else {
                try (ProgressMonitor ignored = ProgressMonitor.start(tracker, err, terminal, startNanos)) {
                    copied = engine.execute(plan, tracker);
                }
            }
            if (!arguments.quiet()) {
                long bytes = copied.stream().mapToLong(CopiedFile::size).sum();
                out.println(ProgressFormatter.summaryLine(copied.size(), bytes, Duration.ofNanos(System.nanoTime() - startNanos)));
            }
            return RoamCommandLine.SUCCESS;
        }
        catch (RuntimeException failure) {
            StorageException classified = StorageErrors.classify(failure);
            String kind = classified instanceof VerificationFailedException ? "VERIFICATION_FAILED" : classified.kind().name();
            err.println("roam cp: " + kind + ": " + singleLine(classified.getMessage()));
            if (arguments.verbose()) {
                failure.printStackTrace(err);
            }
            return RoamCommandLine.COPY_FAILED;
        }
    }

    private static String singleLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
