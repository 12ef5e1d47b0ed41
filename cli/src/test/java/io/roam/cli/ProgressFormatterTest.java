package io.roam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.roam.cli.ProgressFormatter.CopyOutcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressFormatterTest {

    private static final long MEBIBYTE = 1024 * 1024;

    @Test
    void aTerminalLineHasABarPercentBytesFilesThroughputAndEta() {
        ProgressSnapshot snapshot = new ProgressSnapshot(250 * MEBIBYTE, 1000 * MEBIBYTE, 3, 10, 50 * MEBIBYTE);

        assertThat(ProgressFormatter.progressLine(snapshot, Duration.ofSeconds(5), true))
                .isEqualTo("0:05 [#####---------------]  25% 250.0 MiB / 1000.0 MiB, 3/10 files, 50.0 MiB/s, ETA 0:15");
    }

    @Test
    void aLogLineHasNoBar() {
        ProgressSnapshot snapshot = new ProgressSnapshot(250 * MEBIBYTE, 1000 * MEBIBYTE, 3, 10, 50 * MEBIBYTE);

        assertThat(ProgressFormatter.progressLine(snapshot, Duration.ofSeconds(65), false))
                .isEqualTo("1:05  25% 250.0 MiB / 1000.0 MiB, 3/10 files, 50.0 MiB/s, ETA 0:15");
    }

    @Test
    void theEtaIsUnknownBeforeAnyThroughputAndRoundsUp() {
        assertThat(ProgressFormatter.progressLine(new ProgressSnapshot(0, 100, 0, 1, 0), Duration.ZERO, false))
                .isEqualTo("0:00   0% 0 B / 100 B, 0/1 files, 0 B/s, ETA --:--");
        assertThat(ProgressFormatter.progressLine(new ProgressSnapshot(0, 7200L * 1000 + 1, 0, 1, 1000), Duration.ofHours(2), false))
                .isEqualTo("2:00:00   0% 0 B / 6.9 MiB, 0/1 files, 1000 B/s, ETA 2:00:01");
    }

    @Test
    void aFullBarAtTheEnd() {
        assertThat(ProgressFormatter.progressLine(new ProgressSnapshot(MEBIBYTE, MEBIBYTE, 2, 2, 0), Duration.ofSeconds(1), true))
                .isEqualTo("0:01 [####################] 100% 1.0 MiB / 1.0 MiB, 2/2 files, 0 B/s, ETA 0:00");
    }

    @Test
    void emptyFilesCountByFiles() {
        assertThat(ProgressFormatter.progressLine(new ProgressSnapshot(0, 0, 1, 4, 0), Duration.ZERO, false))
                .startsWith("0:00  25% 0 B / 0 B, 1/4 files");
    }

    @Test
    void theSummaryGivesFilesBytesElapsedAndAverageThroughput() {
        assertThat(ProgressFormatter.summaryLine(new CopyOutcome(40, 3L << 30, 0, 0, 0), Duration.ofMillis(35_200)))
                .isEqualTo("Copied 40 files, 3.0 GiB in 35.2 s (87.3 MiB/s)");
        assertThat(ProgressFormatter.summaryLine(new CopyOutcome(1, 600 * MEBIBYTE, 0, 0, 0), Duration.ofSeconds(125)))
                .isEqualTo("Copied 1 file, 600.0 MiB in 2:05 (4.8 MiB/s)");
    }

    @Test
    void theSummaryCountsApartTheFilesAlreadyAtTheTargetWhichWereNotWrittenAgain() {
        assertThat(ProgressFormatter.summaryLine(new CopyOutcome(5, 590 * MEBIBYTE, 3, 570 * MEBIBYTE, 0), Duration.ofMillis(1_500)))
                .isEqualTo("Copied 2 files, 20.0 MiB in 1.5 s (13.3 MiB/s); 3 files (570.0 MiB) were already at the target with the same bytes");
        assertThat(ProgressFormatter.summaryLine(new CopyOutcome(1, 200 * MEBIBYTE, 1, 200 * MEBIBYTE, 0), Duration.ofMillis(1_100)))
                .isEqualTo("Nothing copied: 1 file (200.0 MiB) was already at the target with the same bytes (checked in 1.1 s)");
    }

    @Test
    void theSummarySaysHowMuchOfWhatWasCopiedAnInterruptedCopyHadStoredAlready() {
        assertThat(ProgressFormatter.summaryLine(new CopyOutcome(3, 16L << 30, 1, 1L << 30, 9L << 30), Duration.ofMillis(40_200)))
                .isEqualTo("Copied 2 files, 15.0 GiB in 40.2 s (382.1 MiB/s); 9.0 GiB of it was stored by an interrupted copy and not sent again; "
                        + "1 file (1.0 GiB) was already at the target with the same bytes");
    }

    @Test
    void anInterruptedCopySaysHowManyFilesWereDoneAndThatNothingPartialWasPublished() {
        assertThat(ProgressFormatter.interruptedLine(12, 40))
                .isEqualTo("interrupted: 12 of 40 files copied and verified; the writes in flight were aborted, no partial file was published");
        assertThat(ProgressFormatter.interruptedLine(0, 1))
                .isEqualTo("interrupted: 0 of 1 file copied and verified; the writes in flight were aborted, no partial file was published");
    }
}
