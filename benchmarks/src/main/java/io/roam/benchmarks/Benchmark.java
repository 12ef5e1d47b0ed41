package io.roam.benchmarks;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Roam against rclone, and against the ceiling, on real servers of every storage API: for each pair of
 * stores and each dataset, both tools copy the same files as separate processes in the same run, and
 * plain SDK calls measure how fast the source can be read and the target written. Prints a Markdown
 * table on the standard output and its progress on the error stream. Run by {@code benchmarks/run}.
 */
public final class Benchmark {

    /** Roam's throughput target against rclone, where the ceiling allows it. */
    static final double TARGET_RATIO = 1.5;
    /** Roam's throughput target against the ceiling, on the large-file dataset. */
    static final double TARGET_SHARE_OF_CEILING = 0.85;
    /** The memory target of the worker, for any file size and count. */
    static final long TARGET_PEAK_RESIDENT_BYTES = 512 * Units.MEBIBYTE;

    private final BenchmarkOptions options;
    private final GeneratedContent content = new GeneratedContent(20_261_126L);
    private final Path logDirectory;
    private int logNumber;

    private Benchmark(BenchmarkOptions options, Path logDirectory) {
        this.options = requireNonNull(options, "options is null");
        this.logDirectory = requireNonNull(logDirectory, "logDirectory is null");
    }

    /** A source and a target store, such as S3 → Azure. */
    record Pair(String key, ReadableStore source, WritableStore target) {

        String label() {
            return source.name() + " → " + target.name();
        }
    }

    /**
     * One tool's copies of one dataset for one pair: the median throughput, the median processor time and
     * the largest peak RSS, also of a copy that failed or was stopped (how much memory it took until then).
     */
    record ToolResult(double mebibytesPerSecond, double processorSeconds, long peakResidentBytes, Optional<String> failure) {
    }

    /** A row of the table. */
    record Row(Pair pair, Dataset dataset, ToolResult roam, ToolResult rclone, ToolResult warmRoam, double readCeiling, double writeCeiling) {

        double ceiling() {
            return Math.min(readCeiling, writeCeiling);
        }

        /**
         * What Roam should reach: 1.5 × rclone where the ceiling allows, 85 % of the ceiling on large files.
         * A copy rclone made faster than the measured ceiling proves the storage can do that much, so the
         * ceiling this judges against is never below rclone's throughput.
         */
        double target() {
            double ceiling = Math.max(ceiling(), rclone.mebibytesPerSecond());
            double againstRclone = TARGET_RATIO * rclone.mebibytesPerSecond();
            double target = againstRclone <= ceiling ? againstRclone : TARGET_SHARE_OF_CEILING * ceiling;
            return dataset.fileCount() == 1 ? Math.max(target, TARGET_SHARE_OF_CEILING * ceiling) : target;
        }
    }

    /** A row of the memory check: Roam alone. */
    record MemoryRow(Pair pair, Dataset dataset, ToolResult roam) {
    }

    public static void main(String[] arguments) throws Exception {
        String roamCommand = System.getProperty("roam.command");
        BenchmarkOptions options;
        try {
            if (roamCommand == null) {
                throw new IllegalArgumentException("the system property roam.command is not set: start the benchmark with benchmarks/run");
            }
            if (List.of(arguments).contains("--help")) {
                System.out.print(BenchmarkOptions.USAGE);
                return;
            }
            options = BenchmarkOptions.parse(List.of(arguments), Path.of(roamCommand), Path.of("benchmarks", "target", "work"));
        }
        catch (IllegalArgumentException invalid) {
            System.err.println("benchmark: " + invalid.getMessage());
            System.err.print(BenchmarkOptions.USAGE);
            System.exit(2);
            return;
        }
        Path logDirectory = options.workDirectory().toAbsolutePath().resolveSibling("benchmark-logs");
        // Only this run's logs, numbered in the order of the copies.
        LocalStore.deleteRecursively(logDirectory);
        Files.createDirectories(logDirectory);
        System.out.print(new Benchmark(options, logDirectory).run());
        System.out.flush();
        // The SDKs leave non-daemon threads behind.
        System.exit(0);
    }

    private String run() throws Exception {
        Path work = options.workDirectory().toAbsolutePath();
        LocalStore.deleteRecursively(work);
        Files.createDirectories(work);
        progress("work directory %s, logs in %s".formatted(work, logDirectory));
        String environment = environment();
        try (BenchmarkServers servers = BenchmarkServers.start(work.resolve("servers"), options.parallelism())) {
            progress("servers started");
            Path home = Files.createDirectories(work.resolve("home"));
            RoamTool roam = new RoamTool(options.roamCommand(),
                    servers.writeRoamConfiguration(work.resolve("roam.properties"), options.parallelism(), options.roamS3HttpClient()),
                    options.roamHeap(), options.parallelism(), options.roamS3HttpClient(), home);
            WarmRoamTool warmRoam = new WarmRoamTool(roam);
            RcloneTool rclone = new RcloneTool(servers.writeRcloneConfiguration(work.resolve("rclone.conf")), options.parallelism(), rcloneVersion());
            MeasuredProcess.Result startup = roamStartup(roam, servers.local());

            List<Pair> pairs = pairs(servers);
            List<Row> rows = new ArrayList<>();
            for (Dataset dataset : options.datasets()) {
                rows.addAll(measureDataset(dataset, pairs, servers, List.of(roam, rclone, warmRoam)));
            }
            List<MemoryRow> memoryRows = new ArrayList<>();
            for (Dataset dataset : options.memoryDatasets()) {
                memoryRows.add(measureMemory(dataset, servers, roam));
            }
            return report(environment, roam, rclone, warmRoam, startup, rows, memoryRows);
        }
        finally {
            LocalStore.deleteRecursively(work);
        }
    }

    private List<Pair> pairs(BenchmarkServers servers) {
        List<Pair> all = List.of(
                new Pair("local-s3", servers.local(), servers.targetS3()),
                new Pair("s3-local", servers.sourceS3(), servers.local()),
                new Pair("s3-azure", servers.sourceS3(), servers.azure()),
                new Pair("s3-gcs", servers.sourceS3(), servers.gcs()),
                new Pair("sftp-s3", servers.sftp(), servers.targetS3()),
                new Pair("s3-s3", servers.sourceS3(), servers.targetS3()));
        Set<String> unknown = new LinkedHashSet<>(options.pairs());
        all.forEach(pair -> unknown.remove(pair.key()));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown pairs " + unknown + "; the pairs are local-s3, s3-local, s3-azure, s3-gcs, sftp-s3, s3-s3");
        }
        return all.stream().filter(pair -> options.pairs().isEmpty() || options.pairs().contains(pair.key())).toList();
    }

    private static String sourceDirectory(Dataset dataset) {
        return "source/" + dataset.key() + "/";
    }

    /** Measures every pair with {@code tools}: Roam, rclone and warm Roam, in that order. */
    private List<Row> measureDataset(Dataset dataset, List<Pair> pairs, BenchmarkServers servers, List<CopyTool> tools)
            throws Exception {
        String source = sourceDirectory(dataset);
        Set<ReadableStore> sources = new LinkedHashSet<>();
        Set<WritableStore> targets = new LinkedHashSet<>();
        pairs.forEach(pair -> {
            sources.add(pair.source());
            targets.add(pair.target());
        });
        progress("%s: writing the source datasets".formatted(dataset.label()));
        RawThroughput.write(servers.local(), source, dataset, content, options.parallelism());
        if (sources.contains(servers.sourceS3())) {
            RawThroughput.write(servers.sourceS3(), source, dataset, content, options.parallelism());
        }
        if (sources.contains(servers.sftp())) {
            servers.sftp().populate(servers.local().path(source), source);
        }

        // The servers compile their paths as they serve (S3Proxy is a JVM, the SFTP server runs in this one):
        // measured first, a ceiling would be that of a cold server, which the copies after it do not meet.
        progress("%s: warming the servers up".formatted(dataset.label()));
        for (ReadableStore store : sources) {
            RawThroughput.read(store, source, dataset, options.parallelism());
        }
        for (WritableStore store : targets) {
            String directory = "raw/%s-warm-up/".formatted(dataset.key());
            RawThroughput.write(store, directory, dataset, content, options.parallelism());
            store.delete(directory);
        }

        Map<ReadableStore, Double> readCeilings = new LinkedHashMap<>();
        for (ReadableStore store : sources) {
            double[] runs = new double[options.repetitions()];
            for (int repetition = 0; repetition < runs.length; repetition++) {
                runs[repetition] = RawThroughput.read(store, source, dataset, options.parallelism());
            }
            readCeilings.put(store, median(runs));
            progress("%s: raw read of %s %s MiB/s".formatted(dataset.label(), store.name(), Units.rate(median(runs))));
        }
        Map<WritableStore, Double> writeCeilings = new LinkedHashMap<>();
        for (WritableStore store : targets) {
            double[] runs = new double[options.repetitions()];
            for (int repetition = 0; repetition < runs.length; repetition++) {
                String directory = "raw/%s-%d/".formatted(dataset.key(), repetition);
                runs[repetition] = RawThroughput.write(store, directory, dataset, content, options.parallelism());
                checkCopy(store, directory, dataset).ifPresent(failure -> {
                    throw new IllegalStateException("the raw write to " + store.name() + " is incomplete: " + failure);
                });
                store.delete(directory);
            }
            writeCeilings.put(store, median(runs));
            progress("%s: raw write of %s %s MiB/s".formatted(dataset.label(), store.name(), Units.rate(median(runs))));
        }

        List<Row> rows = new ArrayList<>();
        for (Pair pair : pairs) {
            List<List<MeasuredProcess.Result>> runs = new ArrayList<>();
            List<Optional<String>> failures = new ArrayList<>();
            tools.forEach(tool -> {
                runs.add(new ArrayList<>());
                failures.add(Optional.empty());
            });
            for (int repetition = 0; repetition < options.repetitions(); repetition++) {
                // Alternating which tool goes first spreads the effect of whatever else the machine does.
                for (int turn = 0; turn < tools.size(); turn++) {
                    int toolIndex = (turn + repetition) % tools.size();
                    if (failures.get(toolIndex).isPresent()) {
                        continue;
                    }
                    CopyTool tool = tools.get(toolIndex);
                    Optional<String> failure = copyOnce(tool, pair, dataset, repetition, runs.get(toolIndex));
                    failures.set(toolIndex, failure);
                }
            }
            Row row = new Row(pair, dataset, toolResult(dataset, runs.get(0), failures.get(0)), toolResult(dataset, runs.get(1), failures.get(1)),
                    toolResult(dataset, runs.get(2), failures.get(2)), readCeilings.get(pair.source()), writeCeilings.get(pair.target()));
            progress("%s %s: Roam %s MiB/s, rclone %s MiB/s, warm Roam %s MiB/s, ceiling %s MiB/s".formatted(pair.label(), dataset.label(),
                    Units.rate(row.roam().mebibytesPerSecond()), Units.rate(row.rclone().mebibytesPerSecond()),
                    Units.rate(row.warmRoam().mebibytesPerSecond()), Units.rate(row.ceiling())));
            rows.add(row);
        }
        servers.local().delete(source);
        servers.sourceS3().delete(source);
        servers.sftp().delete(source);
        return rows;
    }

    /** One copy by one tool, checked and then removed; returns the failure, if it failed. Failed runs are added too. */
    private Optional<String> copyOnce(CopyTool tool, Pair pair, Dataset dataset, int repetition, List<MeasuredProcess.Result> results)
            throws Exception {
        String target = "%s/%s-%d/".formatted(tool.name().toLowerCase(Locale.ROOT), dataset.key(), repetition);
        MeasuredProcess.Result result = tool.copy(pair.source(), sourceDirectory(dataset), pair.target(), target, nextLog(tool, pair, dataset),
                options.copyTimeout());
        Optional<String> failure = result.succeeded() ? checkCopy(pair.target(), target, dataset) : Optional.of(result.failure());
        pair.target().delete(target);
        results.add(result);
        if (failure.isPresent()) {
            progress("%s %s %s FAILED (peak RSS %s): %s (log %s)".formatted(tool.name(), pair.label(), dataset.label(),
                    Units.mebibytes(result.peakResidentBytes()), failure.get(), result.log()));
            return failure;
        }
        progress("%s %s %s: %s MiB/s, %s processor seconds, peak RSS %s".formatted(tool.name(), pair.label(), dataset.label(),
                Units.rate(Units.mebibytesPerSecond(dataset.totalBytes(), result.elapsed())), seconds(result.processorTime().toMillis() / 1000.0),
                Units.mebibytes(result.peakResidentBytes())));
        return Optional.empty();
    }

    private static Optional<String> checkCopy(WritableStore store, String directory, Dataset dataset) throws IOException {
        WritableStore.DirectorySummary summary = store.summarize(directory);
        if (summary.fileCount() == dataset.fileCount() && summary.totalBytes() == dataset.totalBytes()) {
            return Optional.empty();
        }
        return Optional.of("the target holds %d files, %d bytes instead of %d files, %d bytes".formatted(
                summary.fileCount(), summary.totalBytes(), dataset.fileCount(), dataset.totalBytes()));
    }

    private static ToolResult toolResult(Dataset dataset, List<MeasuredProcess.Result> results, Optional<String> failure) {
        long peak = results.stream().mapToLong(MeasuredProcess.Result::peakResidentBytes).max().orElse(0);
        if (failure.isPresent()) {
            return new ToolResult(0, 0, peak, failure);
        }
        double[] rates = results.stream().mapToDouble(result -> Units.mebibytesPerSecond(dataset.totalBytes(), result.elapsed())).toArray();
        double[] processorSeconds = results.stream().mapToDouble(result -> result.processorTime().toMillis() / 1000.0).toArray();
        return new ToolResult(median(rates), median(processorSeconds), peak, Optional.empty());
    }

    /**
     * Roam's peak RSS on one memory-check dataset: the large file local → S3, where the S3 client buffers
     * parts; the many small files local → local. Memory that grows with the file count is the engine's
     * (the plan, the results), whatever the backends; and through S3Proxy on two shared cores each small
     * file costs tens of milliseconds of requests, which would make 100,000 of them take hours.
     */
    private MemoryRow measureMemory(Dataset dataset, BenchmarkServers servers, RoamTool roam) throws Exception {
        progress("memory check %s: writing the source".formatted(dataset.label()));
        String source = sourceDirectory(dataset);
        RawThroughput.write(servers.local(), source, dataset, content, options.parallelism());
        Pair pair = dataset.fileCount() == 1
                ? new Pair("local-s3", servers.local(), servers.targetS3())
                : new Pair("local-local", servers.local(), servers.local());
        List<MeasuredProcess.Result> results = new ArrayList<>();
        Optional<String> failure = copyOnce(roam, pair, dataset, 0, results);
        servers.local().delete(source);
        return new MemoryRow(pair, dataset, toolResult(dataset, results, failure));
    }

    /** Roam copying one byte, local to local: what starting the JVM and the command costs every copy. */
    private MeasuredProcess.Result roamStartup(RoamTool roam, LocalStore local) throws Exception {
        Files.createDirectories(local.path("startup/source"));
        Files.write(local.path("startup/source/one-byte"), new byte[] {1});
        MeasuredProcess.Result result = roam.copy(local, "startup/source/", local, "startup/target/", logDirectory.resolve("roam-startup.log"),
                options.copyTimeout());
        if (!result.succeeded()) {
            throw new IllegalStateException("roam cp failed to copy one byte: " + result.logTail());
        }
        local.delete("startup/");
        progress("roam cp of one byte: %d ms, peak RSS %s".formatted(result.elapsed().toMillis(), Units.mebibytes(result.peakResidentBytes())));
        return result;
    }

    private Path nextLog(CopyTool tool, Pair pair, Dataset dataset) {
        logNumber++;
        return logDirectory.resolve("%03d-%s-%s-%s.log".formatted(logNumber, pair.key(), dataset.key(), tool.name().toLowerCase(Locale.ROOT)));
    }

    private static void appendTable(StringBuilder report, List<Row> rows, String roamName, Function<Row, ToolResult> roamResult) {
        report.append("| Pair | Dataset | %1$s MiB/s | rclone MiB/s | %1$s / rclone | Ceiling MiB/s (read / write) | %1$s %% of ceiling | Processor s (%1$s / rclone) | %1$s peak RSS | rclone peak RSS | Target |\n"
                .formatted(roamName));
        report.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Row row : rows) {
            ToolResult roam = roamResult.apply(row);
            report.append("| ").append(row.pair().label())
                    .append(" | ").append(row.dataset().label())
                    .append(" | ").append(rate(roam))
                    .append(" | ").append(rate(row.rclone()))
                    .append(" | ").append(ratio(roam, row.rclone()))
                    .append(" | ").append(Units.rate(row.ceiling())).append(" (").append(Units.rate(row.readCeiling())).append(" / ")
                    .append(Units.rate(row.writeCeiling())).append(')')
                    .append(" | ").append(roam.failure().isPresent() ? "–" : percent(roam.mebibytesPerSecond() / row.ceiling()))
                    .append(" | ").append(processorSeconds(roam)).append(" / ").append(processorSeconds(row.rclone()))
                    .append(" | ").append(resident(roam))
                    .append(" | ").append(resident(row.rclone()))
                    .append(" | ").append(targetVerdict(row, roam))
                    .append(" |\n");
        }
    }

    private String report(String environment, RoamTool roam, RcloneTool rclone, WarmRoamTool warmRoam, MeasuredProcess.Result startup, List<Row> rows,
            List<MemoryRow> memoryRows) {
        StringBuilder report = new StringBuilder();
        report.append(environment);
        report.append("- Parallelism budget of both tools and of the raw measurements: ").append(options.parallelism())
                .append(" files in flight, ").append(options.parallelism()).append(" parts of one file in flight\n");
        report.append("- Roam: ").append(roam.settings()).append('\n');
        report.append("- rclone: ").append(rclone.settings()).append('\n');
        report.append("- Repetitions: ").append(options.repetitions()).append(" (median throughput, largest peak RSS)")
                .append(options.quick() ? "; quick mode" : "").append('\n');
        report.append("- Throughput: dataset bytes / wall-clock time of the whole process (Roam's includes starting its JVM: ")
                .append(startup.elapsed().toMillis()).append(" ms for a one-byte copy, peak RSS ").append(Units.mebibytes(startup.peakResidentBytes()))
                .append(")\n\n");
        if (!rows.isEmpty()) {
            appendTable(report, rows, "Roam", Row::roam);
            report.append("\nTarget: Roam ≥ ").append(TARGET_RATIO).append(" × rclone where that is within the ceiling, else ≥ ")
                    .append(percent(TARGET_SHARE_OF_CEILING)).append(" of the ceiling; on the single large file also ≥ ")
                    .append(percent(TARGET_SHARE_OF_CEILING)).append(" of the ceiling. Where rclone beat the measured ceiling, ")
                    .append("rclone's throughput is the ceiling the target uses.\n");
            report.append("\nRoam warm, as the long-running transfer-worker copies: ").append(warmRoam.settings())
                    .append("; throughput and processor time of the measured copy alone, peak RSS of the whole process.\n\n");
            appendTable(report, rows, "Roam warm", Row::warmRoam);
        }
        if (!memoryRows.isEmpty()) {
            report.append("\nMemory check (Roam alone, -Xmx").append(options.roamHeap()).append("):\n\n");
            report.append("| Pair | Dataset | Roam MiB/s | Roam peak RSS | ≤ ").append(Units.mebibytes(TARGET_PEAK_RESIDENT_BYTES)).append(" |\n");
            report.append("|---|---|---:|---:|---|\n");
            for (MemoryRow row : memoryRows) {
                report.append("| ").append(row.pair().label())
                        .append(" | ").append(row.dataset().label())
                        .append(" | ").append(rate(row.roam()))
                        .append(" | ").append(resident(row.roam()))
                        .append(" | ").append(row.roam().peakResidentBytes() == 0 ? "–"
                                : row.roam().peakResidentBytes() <= TARGET_PEAK_RESIDENT_BYTES ? "yes" : "no")
                        .append(" |\n");
            }
        }
        List<String> failures = new ArrayList<>();
        rows.forEach(row -> {
            row.roam().failure().ifPresent(failure -> failures.add("Roam " + row.pair().label() + " " + row.dataset().label() + ": " + failure));
            row.rclone().failure().ifPresent(failure -> failures.add("rclone " + row.pair().label() + " " + row.dataset().label() + ": " + failure));
            row.warmRoam().failure().ifPresent(failure -> failures.add("Roam warm " + row.pair().label() + " " + row.dataset().label() + ": " + failure));
        });
        memoryRows.forEach(row -> row.roam().failure().ifPresent(failure -> failures.add("Roam memory check " + row.dataset().label() + ": " + failure)));
        if (!failures.isEmpty()) {
            report.append("\nFailures:\n");
            failures.forEach(failure -> report.append("- ").append(failure.replace('\n', ' ')).append('\n'));
        }
        return report.toString();
    }

    private static String rate(ToolResult result) {
        return result.failure().isPresent() ? "failed" : Units.rate(result.mebibytesPerSecond());
    }

    /** The peak RSS, marked when the copy failed or was stopped: it is then the peak until that moment. */
    private static String resident(ToolResult result) {
        if (result.peakResidentBytes() == 0) {
            return "–";
        }
        return Units.mebibytes(result.peakResidentBytes()) + (result.failure().isPresent() ? " (until stopped)" : "");
    }

    private static String processorSeconds(ToolResult result) {
        return result.failure().isPresent() ? "–" : seconds(result.processorSeconds());
    }

    private static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.1f", seconds);
    }

    private static String ratio(ToolResult roam, ToolResult rclone) {
        if (roam.failure().isPresent() || rclone.failure().isPresent()) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f", roam.mebibytesPerSecond() / rclone.mebibytesPerSecond());
    }

    private static String targetVerdict(Row row, ToolResult roam) {
        if (roam.failure().isPresent() || row.rclone().failure().isPresent()) {
            return "–";
        }
        double target = row.target();
        return roam.mebibytesPerSecond() >= target ? "met" : "missed (needs " + Units.rate(target) + ")";
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f %%", share * 100);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private String environment() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(line -> line.startsWith("model name"))
                .map(line -> line.substring(line.indexOf(':') + 1).strip())
                .findFirst().orElse("unknown CPU");
        List<String> load = List.of(Files.readString(Path.of("/proc/loadavg"), StandardCharsets.UTF_8).strip().split(" "));
        return "Roam benchmark, %s; %d cores (%s), load average at start %s\n\n".formatted(
                OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES), Runtime.getRuntime().availableProcessors(), cpu,
                String.join(" ", load.subList(0, 3)));
    }

    private String rcloneVersion() throws IOException, InterruptedException {
        Path log = logDirectory.resolve("rclone-version.log");
        MeasuredProcess.Result result = MeasuredProcess.run(List.of("rclone", "version"), Set.of(), Map.of(), log, Duration.ofMinutes(1));
        if (!result.succeeded()) {
            throw new IllegalStateException("rclone is not installed or does not run: " + result.logTail());
        }
        return Files.readAllLines(log).getFirst().strip();
    }

    private static void progress(String message) {
        System.err.println("[" + LocalTime.now().truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_LOCAL_TIME) + "] " + message);
    }
}
