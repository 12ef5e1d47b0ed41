package io.roam.cli;

import java.time.Duration;
import java.util.Locale;

/** Turns progress into the lines the command prints; pure functions of their arguments. */
public final class ProgressFormatter {

    private static final int BAR_WIDTH = 20;
    private static final double BYTES_PER_MEBIBYTE = 1024.0 * 1024.0;

    private ProgressFormatter() {
    }

    /**
     * One progress line, for example {@code 0:35 [########------------]  42% 1.2 GiB / 3.0 GiB, 12/40 files, 85.3 MiB/s, ETA 0:21}.
     *
     * @param withBar whether to draw the bar, for a terminal; log lines leave it out
     */
    public static String progressLine(ProgressSnapshot snapshot, Duration elapsed, boolean withBar) {
        int percent = percent(snapshot);
        StringBuilder line = new StringBuilder(clock(elapsed)).append(' ');
        if (withBar) {
            int filled = percent * BAR_WIDTH / 100;
            line.append('[').append("#".repeat(filled)).append("-".repeat(BAR_WIDTH - filled)).append("] ");
        }
        return line.append(String.format(Locale.ROOT, "%3d%% ", percent))
                .append(ByteSize.format(snapshot.bytesDone())).append(" / ").append(ByteSize.format(snapshot.bytesTotal()))
                .append(", ").append(snapshot.filesDone()).append('/').append(snapshot.filesTotal()).append(" files, ")
                .append(ByteSize.format(snapshot.bytesPerSecond())).append("/s, ETA ").append(eta(snapshot))
                .toString();
    }

    /**
     * The closing line, for example {@code Copied 40 files, 3.0 GiB in 35.2 s (87.3 MiB/s)}. The files found at
     * the target with the same bytes were not written again, and are counted apart: {@code Copied 2 files, 20.0 MiB
     * in 1.5 s (13.3 MiB/s); 3 files (570.0 MiB) were already at the target with the same bytes}, or {@code Nothing
     * copied: 1 file (190.7 MiB) was already at the target with the same bytes (checked in 1.1 s)}. What an
     * interrupted copy had stored, and this one kept, is said too: {@code Copied 1 file, 16.0 GiB in 40.2 s (407.6
     * MiB/s); 9.0 GiB of it was stored by an interrupted copy and not sent again}.
     */
    public static String summaryLine(CopyOutcome outcome, Duration elapsed) {
        long filesWritten = outcome.files() - outcome.filesAlreadyThere();
        long bytesWritten = outcome.bytes() - outcome.bytesAlreadyThere();
        String alreadyThere = "%d file%s (%s) %s already at the target with the same bytes".formatted(outcome.filesAlreadyThere(),
                plural(outcome.filesAlreadyThere()), ByteSize.format(outcome.bytesAlreadyThere()), outcome.filesAlreadyThere() == 1 ? "was" : "were");
        if (filesWritten == 0 && outcome.filesAlreadyThere() > 0) {
            return "Nothing copied: %s (checked in %s)".formatted(alreadyThere, elapsedText(elapsed));
        }
        double seconds = Math.max(elapsed.toNanos(), 1) / 1e9;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "Copied %d file%s, %s in %s (%.1f MiB/s)", filesWritten,
                plural(filesWritten), ByteSize.format(bytesWritten), elapsedText(elapsed), bytesWritten / BYTES_PER_MEBIBYTE / seconds));
        if (outcome.bytesResumed() > 0) {
            line.append("; ").append(ByteSize.format(outcome.bytesResumed())).append(" of it was stored by an interrupted copy and not sent again");
        }
        if (outcome.filesAlreadyThere() > 0) {
            line.append("; ").append(alreadyThere);
        }
        return line.toString();
    }

    /**
     * What a finished copy did.
     *
     * @param files             every file of the copy, written or not
     * @param bytes             the bytes of every file
     * @param filesAlreadyThere the files found at the target with the same bytes, part of {@code files}
     * @param bytesAlreadyThere their bytes, part of {@code bytes}
     * @param bytesResumed      the bytes of the files written that an interrupted earlier copy had stored and that were kept
     */
    public record CopyOutcome(long files, long bytes, long filesAlreadyThere, long bytesAlreadyThere, long bytesResumed) {}

    private static String plural(long count) {
        return count == 1 ? "" : "s";
    }

    /**
     * What an interrupted copy did, for example {@code interrupted: 12 of 40 files copied and verified; the
     * writes in flight were aborted, no partial file was published}. Files found already at the target
     * with the same bytes count as copied.
     */
    public static String interruptedLine(long filesDone, long filesTotal) {
        return "interrupted: %d of %d file%s copied and verified; the writes in flight were aborted, no partial file was published"
                .formatted(filesDone, filesTotal, filesTotal == 1 ? "" : "s");
    }

    private static int percent(ProgressSnapshot snapshot) {
        long percent;
        if (snapshot.bytesTotal() > 0) {
            percent = snapshot.bytesDone() * 100 / snapshot.bytesTotal();
        }
        else if (snapshot.filesTotal() > 0) {
            percent = snapshot.filesDone() * 100 / snapshot.filesTotal();
        }
        else {
            percent = 0;
        }
        return Math.clamp(percent, 0, 100);
    }

    private static String eta(ProgressSnapshot snapshot) {
        long remaining = snapshot.bytesTotal() - snapshot.bytesDone();
        if (remaining <= 0) {
            return clock(Duration.ZERO);
        }
        if (snapshot.bytesPerSecond() <= 0) {
            return "--:--";
        }
        return clock(Duration.ofSeconds(Math.ceilDiv(remaining, snapshot.bytesPerSecond())));
    }

    /** {@code m:ss} below an hour, {@code h:mm:ss} from an hour. */
    private static String clock(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds < 3600
                ? String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }

    /** Seconds with a decimal below a minute, for benchmarks; a clock from a minute. */
    private static String elapsedText(Duration elapsed) {
        return elapsed.toSeconds() < 60 ? String.format(Locale.ROOT, "%.1f s", elapsed.toNanos() / 1e9) : clock(elapsed);
    }
}
