package io.roam.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import io.roam.cli.RoamCommandLine;
import io.roam.cli.StorageProfilesLoader;
import io.roam.storage.FileIterator;
import io.roam.storage.Location;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageRouter;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Roam as the transfer-worker runs it: a JVM that has copied before. Runs {@code roam cp} in this process
 * first into scratch directories beside the target ({@code <target>-warm-up-<n>/}), so that the classes are
 * loaded and the hot paths compiled, then once into the target, and prints what that last copy took as a
 * line the benchmark reads: {@value #RESULT_PREFIX}{@code <elapsed nanoseconds> <processor nanoseconds>}.
 *
 * <p>A long-running worker has compiled its hot paths long before; two copies are not always enough for
 * that on two cores (the JIT compilers still took a third of the processor time of a third copy of 200
 * small files). So warm-up copies go on, from {@value #MINIMUM_WARM_UPS} up to the maximum given, until one
 * spends less than {@value #SETTLED_COMPILATION_PERCENT} % of its time compiling.
 *
 * <p>Each warm-up copy is deleted right after it is made, untimed, so the last one right before the measured
 * copy, as the benchmark deletes every tool's copy before the next tool runs: on this virtual machine, memory
 * freed a moment ago is several times cheaper to fill than memory handed back to the hypervisor (which
 * happens to free memory after about two seconds), so a measured copy written after gigabytes of kept
 * warm-up copies would pay for that alone. Deleting them all at once before the measured copy (until
 * 2026-11-27 11:00) ran code no copy had run (DeleteObject through the SDK's whole request pipeline), whose
 * compilation went on into the measured copy: 1,400 compilations and 0.9 of its 1.5 processor seconds in a
 * quick S3 → S3 run of 200 × 1 MiB. Deleted after every copy, that code is compiled during the warm-ups.
 *
 * <p>Arguments: the largest number of warm-up copies, then the arguments of {@code roam cp}, the target last.
 */
public final class WarmRoamCopy {

    static final String RESULT_PREFIX = "measured copy: ";
    static final int MINIMUM_WARM_UPS = 2;
    static final int SETTLED_COMPILATION_PERCENT = 5;

    private WarmRoamCopy() {
    }

    public static void main(String[] arguments) {
        int maximumWarmUps = Integer.parseInt(arguments[0]);
        List<String> copyArguments = List.of(arguments).subList(1, arguments.length);
        String target = copyArguments.getLast();
        RoamCommandLine roam = new RoamCommandLine(Path.of(System.getProperty("user.home"), ".config", "roam", "roam.properties"), false);
        OperatingSystemMXBean processor = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        CompilationMXBean compilation = ManagementFactory.getCompilationMXBean();
        int warmUps = 0;
        boolean settled = false;
        while (warmUps < maximumWarmUps && !settled) {
            long compilationStart = compilation.getTotalCompilationTime();
            long start = System.nanoTime();
            int exitCode = roam.run(withTarget(copyArguments, warmUpDirectory(target, warmUps)), System.out, System.err);
            if (exitCode != RoamCommandLine.SUCCESS) {
                System.exit(exitCode);
            }
            long compilingMillis = compilation.getTotalCompilationTime() - compilationStart;
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            deleteWarmUpCopy(copyArguments, target, warmUps);
            warmUps++;
            settled = warmUps >= MINIMUM_WARM_UPS && compilingMillis * 100 < SETTLED_COMPILATION_PERCENT * elapsedMillis;
            System.out.printf("warm-up copy %d: %d ms, of which %d ms compiling%n", warmUps, elapsedMillis, compilingMillis);
        }
        long compilationStart = compilation.getTotalCompilationTime();
        long processorStart = processor.getProcessCpuTime();
        long start = System.nanoTime();
        int exitCode = roam.run(copyArguments.toArray(String[]::new), System.out, System.err);
        long elapsed = System.nanoTime() - start;
        long processorTime = processor.getProcessCpuTime() - processorStart;
        System.out.printf("measured copy after %d warm-up copies: %d ms compiling%n", warmUps, compilation.getTotalCompilationTime() - compilationStart);
        System.out.println(RESULT_PREFIX + elapsed + " " + processorTime);
        System.exit(exitCode);
    }

    /** Deletes the files of a warm-up copy, with the storage profiles of the configuration file the copies used. */
    private static void deleteWarmUpCopy(List<String> copyArguments, String target, int warmUp) {
        Path configuration = Path.of(copyArguments.get(copyArguments.indexOf("--config") + 1));
        Location directory = Location.parse(warmUpDirectory(target, warmUp));
        try (StorageRouter router = new StorageRouter(new StorageProfilesLoader(configuration).load(Optional.of(configuration), List.of(directory)))) {
            StorageFileSystem fileSystem = router.fileSystem(directory);
            List<Location> files = new ArrayList<>();
            for (FileIterator listing = fileSystem.list(directory); listing.hasNext(); ) {
                files.add(listing.next().location());
            }
            files.forEach(fileSystem::delete);
        }
    }

    /** Where warm-up copy {@code warmUp} of a copy to {@code target} (a directory ending in {@code /}) goes. */
    static String warmUpDirectory(String target, int warmUp) {
        return target.substring(0, target.length() - 1) + "-warm-up-" + warmUp + "/";
    }

    private static String[] withTarget(List<String> copyArguments, String target) {
        List<String> arguments = new ArrayList<>(copyArguments);
        arguments.set(arguments.size() - 1, target);
        return arguments.toArray(String[]::new);
    }
}
