package io.roam.local;

import static java.util.Objects.requireNonNull;

import io.roam.contracts.messages.Topics;
import io.roam.infrastructure.KafkaBroker;
import io.roam.infrastructure.PostgresServer;
import io.roam.infrastructure.QuarkusApplication;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The whole of Roam on one machine, each part its own process as in production: a Kafka broker
 * (KRaft), PostgreSQL, and the packaged catalog, transfer-worker and gateway. Used by the local run and
 * by the end-to-end tests. Closing it stops everything it started, in reverse order.
 */
public final class RoamStack implements AutoCloseable {

    /** Partitions of the transfer topics: the most workers that can copy at once. */
    public static final int TRANSFER_PARTITIONS = 4;

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private KafkaBroker kafka;
    private PostgresServer postgres;
    private QuarkusApplication catalog;
    private QuarkusApplication gateway;
    private QuarkusApplication worker;
    /** What the first worker was started with, for {@link #startAnotherWorker()}. */
    private Path workerJar;
    private Map<String, String> workerConfiguration;
    private Path logDirectory;
    private int workersStarted;

    /**
     * What to start and where.
     *
     * @param repositoryRoot the checkout, whose modules hold the packaged services
     * @param workDirectory where Kafka's and PostgreSQL's data and every log go
     * @param storageConfiguration the {@code roam.storage.profiles.*} settings given to gateway and worker
     * @param gatewayPort the gateway's HTTP port; empty for any free port
     * @param externalDatabase a PostgreSQL server to use instead of starting one
     * @param serviceConfiguration further settings given to all three services, such as where to export
     *         traces; they override the stack's own, among them {@link #PLAIN_LOGS}
     */
    public record Settings(Path repositoryRoot, Path workDirectory, Map<String, String> storageConfiguration,
            Optional<Integer> gatewayPort, Optional<ExternalDatabase> externalDatabase, Map<String, String> serviceConfiguration) {

        public Settings {
            requireNonNull(repositoryRoot, "repositoryRoot is null");
            requireNonNull(workDirectory, "workDirectory is null");
            storageConfiguration = Map.copyOf(storageConfiguration);
            requireNonNull(gatewayPort, "gatewayPort is null");
            requireNonNull(externalDatabase, "externalDatabase is null");
            serviceConfiguration = Map.copyOf(serviceConfiguration);
        }

        /** With no further service settings. */
        public Settings(Path repositoryRoot, Path workDirectory, Map<String, String> storageConfiguration,
                Optional<Integer> gatewayPort, Optional<ExternalDatabase> externalDatabase) {
            this(repositoryRoot, workDirectory, storageConfiguration, gatewayPort, externalDatabase, Map.of());
        }
    }

    /**
     * The services log JSON lines in production; their log files here are read by people, so they log plain
     * lines unless {@link Settings#serviceConfiguration()} says otherwise.
     */
    public static final Map<String, String> PLAIN_LOGS = Map.of("quarkus.log.console.json.enabled", "false");

    /** A PostgreSQL server the user points to; its password is read from the environment, never a file of ours. */
    public record ExternalDatabase(String jdbcUrl, String username, String password) {
    }

    private RoamStack() {
    }

    public static RoamStack start(Settings settings) {
        RoamStack stack = new RoamStack();
        try {
            stack.startAll(settings);
            return stack;
        }
        catch (RuntimeException failure) {
            stack.close();
            throw failure;
        }
    }

    private void startAll(Settings settings) {
        Path logs = settings.workDirectory().resolve("logs");
        kafka = remember(KafkaBroker.start(directory(settings.workDirectory().resolve("kafka"))));
        kafka.createTopics(Map.of(
                Topics.TRANSFER_REQUESTS, TRANSFER_PARTITIONS,
                Topics.TRANSFER_EVENTS, TRANSFER_PARTITIONS,
                Topics.TRANSFER_CANCELLATIONS, 1,
                Topics.TRANSFER_REQUESTS_DEAD_LETTER, 1,
                Topics.TRANSFER_EVENTS_DEAD_LETTER, 1,
                Topics.TRAINING_EVENTS, TRANSFER_PARTITIONS,
                Topics.TRAINING_EVENTS_DEAD_LETTER, 1));
        postgres = remember(settings.externalDatabase()
                .map(database -> PostgresServer.external(database.jdbcUrl(), database.username(), database.password()))
                .orElseGet(() -> PostgresServer.startEmbedded(directory(settings.workDirectory().resolve("postgres")))));

        // The catalog knows the profiles only to tell where each replica is (profile, region, cloud).
        Map<String, String> catalogConfiguration = serviceConfiguration(settings);
        catalogConfiguration.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        catalogConfiguration.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
        catalogConfiguration.put("quarkus.datasource.username", postgres.username());
        catalogConfiguration.put("quarkus.datasource.password", postgres.password());
        catalog = remember(QuarkusApplication.start("catalog", jar(settings, "catalog"), catalogConfiguration,
                logs.resolve("catalog.log")));

        Map<String, String> workerConfiguration = serviceConfiguration(settings);
        workerConfiguration.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        this.workerJar = jar(settings, "transfer-worker");
        this.workerConfiguration = Map.copyOf(workerConfiguration);
        this.logDirectory = logs;
        this.workersStarted = 1;
        worker = remember(QuarkusApplication.start("transfer-worker", jar(settings, "transfer-worker"), workerConfiguration,
                logs.resolve("transfer-worker.log")));

        Map<String, String> gatewayConfiguration = serviceConfiguration(settings);
        gatewayConfiguration.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        gatewayConfiguration.put("quarkus.rest-client.catalog.url", catalog.baseUrl().toString());
        settings.gatewayPort().ifPresent(port -> gatewayConfiguration.put("quarkus.http.port", String.valueOf(port)));
        gateway = remember(QuarkusApplication.start("gateway", jar(settings, "gateway"), gatewayConfiguration,
                logs.resolve("gateway.log")));
    }

    /** What every service is given: the storage profiles, plain logs, then the settings' own service configuration. */
    private static Map<String, String> serviceConfiguration(Settings settings) {
        Map<String, String> configuration = new HashMap<>(settings.storageConfiguration());
        configuration.putAll(PLAIN_LOGS);
        configuration.putAll(settings.serviceConfiguration());
        return configuration;
    }

    public URI gatewayUrl() {
        return gateway.baseUrl();
    }

    public URI catalogUrl() {
        return catalog.baseUrl();
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    public QuarkusApplication gateway() {
        return gateway;
    }

    public QuarkusApplication worker() {
        return worker;
    }

    public QuarkusApplication catalog() {
        return catalog;
    }

    /**
     * Kills the current transfer-worker process at once (SIGKILL), as a lost node or an out-of-memory kill
     * would: no shutdown hook runs, nothing is aborted, no offset is committed. Returns once it is gone;
     * its Kafka consumer leaves the group only when its session times out.
     */
    public void killWorker() {
        Optional<ProcessHandle> process = ProcessHandle.of(worker.pid());
        if (process.isEmpty()) {
            return;
        }
        process.get().destroyForcibly();
        try {
            process.get().onExit().get(30, TimeUnit.SECONDS);
        }
        catch (ExecutionException | TimeoutException failure) {
            throw new IllegalStateException("the transfer-worker (PID " + worker.pid() + ") did not exit after SIGKILL", failure);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing the transfer-worker", interrupted);
        }
    }

    /**
     * Stops the current transfer-worker process as Kubernetes does (SIGTERM) and waits until it has exited, at
     * most {@code timeout}: it finishes or abandons its transfers and leaves the consumer group.
     *
     * @return how long it took to exit
     * @throws IllegalStateException when it is still running after {@code timeout}; it is then killed
     */
    public Duration stopWorker(Duration timeout) {
        requireNonNull(timeout, "timeout is null");
        Optional<ProcessHandle> process = ProcessHandle.of(worker.pid());
        if (process.isEmpty()) {
            return Duration.ZERO;
        }
        long startNanos = System.nanoTime();
        process.get().destroy();
        try {
            process.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return Duration.ofNanos(System.nanoTime() - startNanos);
        }
        catch (TimeoutException stillRunning) {
            process.get().destroyForcibly();
            throw new IllegalStateException("the transfer-worker (PID " + worker.pid() + ") did not exit within " + timeout
                    + " of SIGTERM; killed it", stillRunning);
        }
        catch (ExecutionException failure) {
            throw new IllegalStateException("could not wait for the transfer-worker (PID " + worker.pid() + ") to exit", failure);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the transfer-worker", interrupted);
        }
    }

    /**
     * Starts one more transfer-worker process with the first one's configuration, hence in the same
     * consumer group, logging to {@code transfer-worker-<n>.log}; it becomes {@link #worker()} and is stopped
     * by {@link #close()} like the rest.
     */
    public QuarkusApplication startAnotherWorker() {
        workersStarted++;
        worker = remember(QuarkusApplication.start("transfer-worker-" + workersStarted, workerJar, workerConfiguration,
                logDirectory.resolve("transfer-worker-" + workersStarted + ".log")));
        return worker;
    }

    private <T extends AutoCloseable> T remember(T process) {
        started.push(process);
        return process;
    }

    private static Path jar(Settings settings, String module) {
        Path jar = settings.repositoryRoot().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the " + module + " service is not built: " + jar
                    + " is missing; build it with ./mvnw package -DskipTests");
        }
        return jar;
    }

    private static Path directory(Path path) {
        try {
            return Files.createDirectories(path);
        }
        catch (java.io.IOException failure) {
            throw new java.io.UncheckedIOException("cannot create " + path, failure);
        }
    }

    /** Stops everything started, newest first; a failure to stop one does not keep the others running. */
    @Override
    public void close() {
        while (!started.isEmpty()) {
            AutoCloseable process = started.pop();
            try {
                process.close();
            }
            catch (Exception failure) {
                System.err.println("could not stop " + process + ": " + failure.getMessage());
            }
        }
    }
}
