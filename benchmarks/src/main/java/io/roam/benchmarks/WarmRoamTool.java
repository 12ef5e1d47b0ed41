package io.roam.benchmarks;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Roam in a JVM that has copied before, as the long-running transfer-worker is: {@link WarmRoamCopy} runs
 * {@code roam cp} with the same classes, profiles, options and heap as {@link RoamTool}, first into scratch
 * directories and then, measured, into the target. Its throughput and processor time are those of the
 * measured copy alone, without starting the JVM and compiling its hot paths; its peak RSS is the process's.
 */
final class WarmRoamTool implements CopyTool {

    /**
     * The most warm-up copies {@link WarmRoamCopy} makes before the measured one: it stops earlier once the
     * compilers have little left to do. Two were not enough here: with up to five, warm S3 → S3 took 1.2
     * processor seconds for 256 MiB instead of 1.8, and 1.9 for 200 × 1 MiB instead of 2.5. Five were not
     * either: the compilers still took 2.4 of the 14 seconds of a measured S3 → GCS copy of 1,000 × 1 MiB,
     * and a quick S3 → GCS 200 × 1 MiB took 1.5 processor seconds after up to twelve against 2.5 after five.
     */
    static final int MAXIMUM_WARM_UPS = 12;

    private final RoamTool roam;

    WarmRoamTool(RoamTool roam) {
        this.roam = requireNonNull(roam, "roam is null");
    }

    @Override
    public String name() {
        return "Roam-warm";
    }

    @Override
    public String settings() {
        return ("the same roam cp in one JVM, measured after %d to %d copies of the same dataset, until one spends less than %d %% of its"
                + " time compiling (ROAM_JAVA_OPTIONS=%s)").formatted(WarmRoamCopy.MINIMUM_WARM_UPS, MAXIMUM_WARM_UPS,
                WarmRoamCopy.SETTLED_COMPILATION_PERCENT, roam.javaOptions());
    }

    @Override
    public MeasuredProcess.Result copy(BenchmarkStore source, String sourceDirectory, BenchmarkStore target, String targetDirectory, Path log,
            Duration timeout) throws IOException, InterruptedException {
        Path repository = roam.command().toAbsolutePath().getParent();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(roam.javaOptions().split(" ")));
        command.add("-Duser.home=" + roam.home());
        command.add("-cp");
        command.add(String.join(":", repository.resolve("cli/target/roam-cli.jar").toString(), repository.resolve("cli/target/lib/*").toString(),
                benchmarkClasses().toString()));
        command.add(WarmRoamCopy.class.getName());
        command.add(Integer.toString(MAXIMUM_WARM_UPS));
        command.addAll(roam.copyArguments(source, sourceDirectory, target, targetDirectory));
        MeasuredProcess.Result process = MeasuredProcess.run(command, Set.of(), Map.of(), log, timeout);
        // WarmRoamCopy deletes its warm-up copies itself, but not after a warm-up that failed.
        if (target instanceof WritableStore writable) {
            for (int warmUp = 0; warmUp < MAXIMUM_WARM_UPS; warmUp++) {
                writable.delete(WarmRoamCopy.warmUpDirectory(targetDirectory, warmUp));
            }
        }
        if (!process.succeeded()) {
            return process;
        }
        Optional<String> measured = Files.readAllLines(log).stream().filter(line -> line.startsWith(WarmRoamCopy.RESULT_PREFIX)).findFirst();
        if (measured.isEmpty()) {
            return new MeasuredProcess.Result(1, process.elapsed(), process.peakResidentBytes(), process.processorTime(), log, false);
        }
        String[] nanoseconds = measured.get().substring(WarmRoamCopy.RESULT_PREFIX.length()).split(" ");
        return new MeasuredProcess.Result(process.exitCode(), Duration.ofNanos(Long.parseLong(nanoseconds[0])), process.peakResidentBytes(),
                Duration.ofNanos(Long.parseLong(nanoseconds[1])), log, false);
    }

    private static Path benchmarkClasses() {
        try {
            return Path.of(WarmRoamCopy.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        }
        catch (URISyntaxException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
