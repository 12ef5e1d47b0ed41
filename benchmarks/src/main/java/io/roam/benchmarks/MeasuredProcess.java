package io.roam.benchmarks;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a command as its own process and measures its wall-clock time, its peak resident memory (the
 * kernel's high-water mark {@code VmHWM} in {@code /proc/<pid>/status}) and the processor time it used
 * (user and system, of all its threads), both polled until the process exits: both only grow, so the last
 * reading is the total but for the last poll interval.
 */
final class MeasuredProcess {

    private static final Pattern HIGH_WATER_MARK = Pattern.compile("^VmHWM:\\s+(\\d+) kB$", Pattern.MULTILINE);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(20);
    /** Long enough for an interrupted {@code roam cp} to abort its writes in flight. */
    private static final Duration STOP_GRACE_PERIOD = Duration.ofSeconds(45);

    /**
     * What one run did.
     *
     * @param peakResidentBytes the largest resident set seen, 0 when the process ended before it was read
     * @param processorTime the user and system time of all its threads, zero when the process ended before it was read
     * @param timedOut whether it was stopped because it ran out of time
     */
    record Result(int exitCode, Duration elapsed, long peakResidentBytes, Duration processorTime, Path log, boolean timedOut) {

        boolean succeeded() {
            return exitCode == 0 && !timedOut;
        }

        /** Why it did not succeed, with the end of its log. */
        String failure() {
            return (timedOut ? "stopped after %d s".formatted(elapsed.toSeconds()) : "exit code " + exitCode) + "; " + logTail();
        }

        /** The end of the log, for a failure message. */
        String logTail() {
            try {
                List<String> lines = Files.readAllLines(log);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
            }
            catch (IOException unreadable) {
                return "(log unreadable: " + unreadable.getMessage() + ")";
            }
        }
    }

    private MeasuredProcess() {
    }

    /**
     * Runs {@code command} to its end, its output and errors into {@code log}; past {@code timeout} it
     * is stopped with SIGTERM, and killed when it does not end within a grace period.
     *
     * @param unsetEnvironment variables removed from the inherited environment
     */
    static Result run(List<String> command, Set<String> unsetEnvironment, Map<String, String> environment, Path log, Duration timeout)
            throws IOException, InterruptedException {
        requireNonNull(command, "command is null");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(Redirect.to(log.toFile()))
                .redirectInput(Redirect.from(Path.of("/dev/null").toFile()));
        unsetEnvironment.forEach(builder.environment()::remove);
        builder.environment().putAll(environment);
        long start = System.nanoTime();
        Process process = builder.start();
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        long peak = 0;
        Duration processorTime = Duration.ZERO;
        long deadline = start + timeout.toNanos();
        boolean timedOut = false;
        while (!process.waitFor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
            peak = Math.max(peak, highWaterMark(status));
            processorTime = process.info().totalCpuDuration().filter(total -> total.compareTo(Duration.ZERO) > 0).orElse(processorTime);
            if (!timedOut && System.nanoTime() > deadline) {
                timedOut = true;
                process.destroy();
                if (!process.waitFor(STOP_GRACE_PERIOD.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return new Result(process.exitValue(), elapsed, peak, processorTime, log, timedOut);
    }

    private static long highWaterMark(Path status) {
        try {
            Matcher matcher = HIGH_WATER_MARK.matcher(Files.readString(status));
            return matcher.find() ? Long.parseLong(matcher.group(1)) * 1024 : 0;
        }
        catch (IOException exited) {
            return 0;
        }
    }
}
