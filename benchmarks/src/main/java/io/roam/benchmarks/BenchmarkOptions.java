package io.roam.benchmarks;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * How a benchmark run is shaped: its datasets, repetitions and parallelism budget.
 *
 * @param quick smaller datasets and one repetition, about fifteen minutes on two cores
 * @param datasets the datasets every pair copies
 * @param memoryDatasets the datasets of the memory check, copied by Roam only: a large file local → S3, many
 *     small files local → local
 * @param repetitions how many times each copy and raw measurement runs; the table shows the median
 * @param parallelism the budget both tools and the raw measurements get: files in flight, and parts of
 *     one file in flight
 * @param roamHeap the {@code -Xmx} of the Roam JVM
 * @param roamS3HttpClient the {@code http-client} of Roam's S3 profiles: {@code apache} or {@code crt}
 * @param pairs the keys of the pairs to run, such as {@code local-s3}; every pair when empty
 * @param workDirectory where the servers keep their data; emptied first and removed at the end
 * @param roamCommand the {@code roam} script at the root of the repository
 * @param copyTimeout how long one copy may run before it is stopped and counted as failed
 */
record BenchmarkOptions(
        boolean quick,
        List<Dataset> datasets,
        List<Dataset> memoryDatasets,
        int repetitions,
        int parallelism,
        String roamHeap,
        String roamS3HttpClient,
        Set<String> pairs,
        Path workDirectory,
        Path roamCommand,
        Duration copyTimeout) {

    static final String USAGE = """
            Usage: benchmarks/run [--quick] [--repetitions N] [--parallelism N] [--roam-heap SIZE] [--roam-s3-http-client NAME]
                                  [--pairs local-s3,s3-local,s3-azure,s3-gcs,sftp-s3,s3-s3]
                                  [--no-memory-check | --memory-check-only] [--copy-timeout MINUTES]
                                  [--work-directory DIR]

              --quick            1 × 256 MiB and 200 × 1 MiB, memory check 1 × 1 GiB and 10,000 × 4 KiB,
                                 one repetition (~15 minutes on 2 cores); default: 1 × 1 GiB and 1,000 × 1 MiB,
                                 memory check 1 × 4 GiB and 100,000 × 4 KiB, three repetitions
              --repetitions N    runs of every measurement; the median is shown
              --parallelism N    files in flight and parts of one file in flight, for both tools (default 4)
              --roam-heap SIZE   -Xmx of the roam cp JVM (default 256m)
              --roam-s3-http-client NAME  apache (default) or crt: the http-client of Roam's S3 profiles
              --pairs LIST       only these pairs
              --no-memory-check  skip the memory check (Roam's peak RSS on the large file local → S3 and
                                 on the small files local → local)
              --memory-check-only  only the memory check
              --copy-timeout M   stop a copy that runs longer and count it as failed (default 15)
              --work-directory   where the servers keep their data (default benchmarks/target/work)
            """;

    BenchmarkOptions {
        requireNonNull(datasets, "datasets is null");
        requireNonNull(memoryDatasets, "memoryDatasets is null");
        requireNonNull(roamHeap, "roamHeap is null");
        if (!Set.of("apache", "crt").contains(roamS3HttpClient)) {
            throw new IllegalArgumentException("--roam-s3-http-client must be apache or crt, not '%s'".formatted(roamS3HttpClient));
        }
        requireNonNull(pairs, "pairs is null");
        requireNonNull(workDirectory, "workDirectory is null");
        requireNonNull(roamCommand, "roamCommand is null");
        requireNonNull(copyTimeout, "copyTimeout is null");
        if (repetitions < 1 || parallelism < 1) {
            throw new IllegalArgumentException("--repetitions and --parallelism must be at least 1");
        }
    }

    /**
     * Parses the command line.
     *
     * @param roamCommand from the system property {@code roam.command}, which benchmarks/run sets
     * @throws IllegalArgumentException saying what is wrong
     */
    static BenchmarkOptions parse(List<String> arguments, Path roamCommand, Path defaultWorkDirectory) {
        boolean quick = arguments.contains("--quick");
        Integer repetitions = null;
        int parallelism = 4;
        String roamHeap = "256m";
        String roamS3HttpClient = "apache";
        Set<String> pairs = Set.of();
        boolean memoryCheck = true;
        boolean pairsToo = true;
        Path workDirectory = defaultWorkDirectory;
        Duration copyTimeout = Duration.ofMinutes(15);
        for (int index = 0; index < arguments.size(); index++) {
            String argument = arguments.get(index);
            switch (argument) {
                case "--quick" -> {
                    // Read above: it changes the defaults of the other options.
                }
                case "--no-memory-check" -> memoryCheck = false;
                case "--memory-check-only" -> pairsToo = false;
                case "--repetitions" -> repetitions = Integer.parseInt(value(arguments, ++index, argument));
                case "--parallelism" -> parallelism = Integer.parseInt(value(arguments, ++index, argument));
                case "--roam-heap" -> roamHeap = value(arguments, ++index, argument);
                case "--roam-s3-http-client" -> roamS3HttpClient = value(arguments, ++index, argument);
                case "--pairs" -> pairs = Set.of(value(arguments, ++index, argument).split(","));
                case "--work-directory" -> workDirectory = Path.of(value(arguments, ++index, argument));
                case "--copy-timeout" -> copyTimeout = Duration.ofMinutes(Long.parseLong(value(arguments, ++index, argument)));
                default -> throw new IllegalArgumentException("unknown argument '%s'".formatted(argument));
            }
        }
        if (!memoryCheck && !pairsToo) {
            throw new IllegalArgumentException("--no-memory-check and --memory-check-only leave nothing to run");
        }
        List<Dataset> datasets = !pairsToo ? List.<Dataset>of() : quick
                ? List.of(new Dataset("large", 1, 256 * Units.MEBIBYTE), new Dataset("small", 200, Units.MEBIBYTE))
                : List.of(new Dataset("large", 1, Units.GIBIBYTE), new Dataset("small", 1000, Units.MEBIBYTE));
        List<Dataset> memoryDatasets = !memoryCheck ? List.of() : quick
                ? List.of(new Dataset("memory-large", 1, Units.GIBIBYTE), new Dataset("memory-many", 10_000, 4096))
                : List.of(new Dataset("memory-large", 1, 4 * Units.GIBIBYTE), new Dataset("memory-many", 100_000, 4096));
        return new BenchmarkOptions(quick, datasets, memoryDatasets, repetitions != null ? repetitions : quick ? 1 : 3,
                parallelism, roamHeap, roamS3HttpClient, pairs, workDirectory, roamCommand, copyTimeout);
    }

    private static String value(List<String> arguments, int index, String option) {
        if (index >= arguments.size()) {
            throw new IllegalArgumentException("%s needs a value".formatted(option));
        }
        return arguments.get(index);
    }
}
