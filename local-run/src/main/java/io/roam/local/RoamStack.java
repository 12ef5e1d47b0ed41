package io.roam.local;

import static java.util.Objects.requireNonNull;

import io.roam.contracts.messages.Topics;
import io.roam.contracts.security.ProjectRole;
import io.roam.infrastructure.KafkaBroker;
import io.roam.infrastructure.KafkaNames;
import io.roam.infrastructure.KafkaUser;
import io.roam.infrastructure.PostgresServer;
import io.roam.infrastructure.QuarkusApplication;
import io.roam.infrastructure.security.TokenIssuer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The whole of Roam on one machine, each part its own process as in production: a Kafka broker
 * (KRaft), PostgreSQL, and the packaged catalog, transfer-worker and gateway. Used by the local run and
 * by the end-to-end tests. Closing it stops everything it started, in reverse order.
 *
 * <p>Always secured as in production: the gateway trusts the JWTs of this stack's own {@link #tokens() token
 * issuer} (a key pair made for this stack alone, its public key written to {@code security/} in the work
 * directory) and calls the catalog with a service token drawn at random for this stack, of which the catalog knows
 * only the SHA-256.
 */
public final class RoamStack implements AutoCloseable {

    /** Partitions of the transfer topics: the most workers that can copy at once. */
    public static final int TRANSFER_PARTITIONS = 4;

    /**
     * How long the tokens of a stack's issuer are valid: as long as the development token of the local run, which
     * still dies with the stack, since the next stack has another key pair.
     */
    public static final Duration TOKEN_LIFETIME = Duration.ofDays(30);

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
    private final TokenIssuer tokens = new TokenIssuer(TOKEN_LIFETIME);
    private final String adminToken = tokens.sign("roam-admin", Map.of(TokenIssuer.EVERY_PROJECT, ProjectRole.ADMIN));
    private final String catalogServiceToken = randomServiceToken();

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
     * @param kafkaAuthentication whether Kafka clients authenticate, see {@link KafkaAuthentication}
     */
    public record Settings(Path repositoryRoot, Path workDirectory, Map<String, String> storageConfiguration,
            Optional<Integer> gatewayPort, Optional<ExternalDatabase> externalDatabase, Map<String, String> serviceConfiguration,
            KafkaAuthentication kafkaAuthentication) {

        public Settings {
            requireNonNull(repositoryRoot, "repositoryRoot is null");
            requireNonNull(workDirectory, "workDirectory is null");
            storageConfiguration = Map.copyOf(storageConfiguration);
            requireNonNull(gatewayPort, "gatewayPort is null");
            requireNonNull(externalDatabase, "externalDatabase is null");
            serviceConfiguration = Map.copyOf(serviceConfiguration);
            requireNonNull(kafkaAuthentication, "kafkaAuthentication is null");
        }

        /** On a Kafka broker that lets every client do everything. */
        public Settings(Path repositoryRoot, Path workDirectory, Map<String, String> storageConfiguration,
                Optional<Integer> gatewayPort, Optional<ExternalDatabase> externalDatabase, Map<String, String> serviceConfiguration) {
            this(repositoryRoot, workDirectory, storageConfiguration, gatewayPort, externalDatabase, serviceConfiguration,
                    KafkaAuthentication.NONE);
        }

        /** With no further service settings, on a Kafka broker that lets every client do everything. */
        public Settings(Path repositoryRoot, Path workDirectory, Map<String, String> storageConfiguration,
                Optional<Integer> gatewayPort, Optional<ExternalDatabase> externalDatabase) {
            this(repositoryRoot, workDirectory, storageConfiguration, gatewayPort, externalDatabase, Map.of());
        }

        /** These settings with Kafka clients authenticating as {@code kafkaAuthentication} says. */
        public Settings withKafkaAuthentication(KafkaAuthentication kafkaAuthentication) {
            return new Settings(repositoryRoot, workDirectory, storageConfiguration, gatewayPort, externalDatabase,
                    serviceConfiguration, kafkaAuthentication);
        }
    }

    /** Whether the Kafka broker authenticates its clients and lets each do only what its ACLs allow. */
    public enum KafkaAuthentication {
        /** Every client may do everything, without authenticating. */
        NONE,
        /**
         * The broker is {@link KafkaBroker#startSecured(Path) secured}: every client authenticates with SASL/SCRAM-SHA-512,
         * and may do only what ACLs allow. Gateway, catalog and transfer-worker each authenticate as a user of its own
         * ({@link #GATEWAY_KAFKA_USER}, {@link #CATALOG_KAFKA_USER}, {@link #WORKER_KAFKA_USER}) allowed to read and
         * write only the topics and consumer groups it uses. Producers of training events are the caller's to create,
         * with topics and ACLs, through {@link #kafkaBroker()}.
         */
        SCRAM
    }

    /** The gateway's Kafka user on a broker with {@link KafkaAuthentication#SCRAM}. */
    public static final String GATEWAY_KAFKA_USER = "roam-gateway";
    /** The catalog's Kafka user on a broker with {@link KafkaAuthentication#SCRAM}. */
    public static final String CATALOG_KAFKA_USER = "roam-catalog";
    /** The transfer-workers' Kafka user on a broker with {@link KafkaAuthentication#SCRAM}. */
    public static final String WORKER_KAFKA_USER = "roam-transfer-worker";

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
        Path kafkaDirectory = directory(settings.workDirectory().resolve("kafka"));
        kafka = remember(switch (settings.kafkaAuthentication()) {
            case NONE -> KafkaBroker.start(kafkaDirectory);
            case SCRAM -> KafkaBroker.startSecured(kafkaDirectory);
        });
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
        catalogConfiguration.putAll(kafkaClientSettings(CATALOG_KAFKA_USER,
                List.of(KafkaNames.exactly(Topics.TRANSFER_EVENTS)), KafkaNames.exactly("roam-catalog"),
                List.of(KafkaNames.exactly(Topics.TRANSFER_REQUESTS), KafkaNames.exactly(Topics.TRANSFER_EVENTS_DEAD_LETTER))));
        catalogConfiguration.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
        catalogConfiguration.put("quarkus.datasource.username", postgres.username());
        catalogConfiguration.put("quarkus.datasource.password", postgres.password());
        catalogConfiguration.put("roam.catalog.security.service-token-sha256", sha256Hex(catalogServiceToken));
        catalog = remember(QuarkusApplication.start("catalog", jar(settings, "catalog"), catalogConfiguration,
                logs.resolve("catalog.log")));

        Map<String, String> workerConfiguration = serviceConfiguration(settings);
        // Each worker reads the cancellations in a consumer group of its own, roam-transfer-worker-<uuid>.
        workerConfiguration.putAll(kafkaClientSettings(WORKER_KAFKA_USER,
                List.of(KafkaNames.exactly(Topics.TRANSFER_REQUESTS), KafkaNames.exactly(Topics.TRANSFER_CANCELLATIONS)),
                KafkaNames.startingWith("roam-transfer-worker"),
                List.of(KafkaNames.exactly(Topics.TRANSFER_EVENTS), KafkaNames.exactly(Topics.TRANSFER_REQUESTS_DEAD_LETTER))));
        this.workerJar = jar(settings, "transfer-worker");
        this.workerConfiguration = Map.copyOf(workerConfiguration);
        this.logDirectory = logs;
        this.workersStarted = 1;
        worker = remember(QuarkusApplication.start("transfer-worker", jar(settings, "transfer-worker"), workerConfiguration,
                logs.resolve("transfer-worker.log")));

        Map<String, String> gatewayConfiguration = serviceConfiguration(settings);
        // The gateway subscribes to roam.training-events and every roam.training-events.<project> by pattern.
        gatewayConfiguration.putAll(kafkaClientSettings(GATEWAY_KAFKA_USER,
                List.of(KafkaNames.startingWith(Topics.TRAINING_EVENTS)), KafkaNames.exactly("roam-gateway"),
                List.of(KafkaNames.exactly(Topics.TRANSFER_REQUESTS), KafkaNames.exactly(Topics.TRANSFER_CANCELLATIONS),
                        KafkaNames.exactly(Topics.TRAINING_EVENTS_DEAD_LETTER))));
        gatewayConfiguration.put("quarkus.rest-client.catalog.url", catalog.baseUrl().toString());
        gatewayConfiguration.put("roam.gateway.catalog.service-token", catalogServiceToken);
        gatewayConfiguration.put("mp.jwt.verify.publickey.location",
                tokens.writePublicKey(settings.workDirectory().resolve("security")).toString());
        gatewayConfiguration.put("mp.jwt.verify.issuer", TokenIssuer.ISSUER);
        gatewayConfiguration.put("mp.jwt.verify.audiences", TokenIssuer.AUDIENCE);
        settings.gatewayPort().ifPresent(port -> gatewayConfiguration.put("quarkus.http.port", String.valueOf(port)));
        gateway = remember(QuarkusApplication.start("gateway", jar(settings, "gateway"), gatewayConfiguration,
                logs.resolve("gateway.log")));
    }

    /**
     * How a service reaches Kafka: the broker's address and, on a secured broker, the SASL settings of a user of the
     * service's own, created here and allowed to consume {@code reads} in {@code groups} and to produce to
     * {@code writes}. The JAAS configuration holds the user's password; the launcher passes it through the
     * environment ({@code KAFKA_SASL_JAAS_CONFIG}).
     */
    private Map<String, String> kafkaClientSettings(String user, List<KafkaNames> reads, KafkaNames groups,
            List<KafkaNames> writes) {
        Map<String, String> clientSettings = new HashMap<>();
        clientSettings.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        if (kafka.administrator().isEmpty()) {
            return clientSettings;
        }
        KafkaUser serviceUser = KafkaUser.withRandomPassword(user);
        kafka.createUser(serviceUser);
        reads.forEach(topics -> kafka.allowReading(user, topics, groups));
        writes.forEach(topics -> kafka.allowWriting(user, topics));
        serviceUser.clientSettings().forEach((key, value) -> clientSettings.put("kafka." + key, value));
        return clientSettings;
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

    /**
     * The Kafka broker: on a {@link KafkaAuthentication#SCRAM secured} one, where to create the users, topics and ACLs
     * of training jobs, and whose {@link KafkaBroker#administrator()} may read every topic.
     */
    public KafkaBroker kafkaBroker() {
        return kafka;
    }

    public QuarkusApplication gateway() {
        return gateway;
    }

    /** The issuer whose tokens the gateway trusts; a new {@link TokenIssuer} is a foreign one, whose tokens are forged. */
    public TokenIssuer tokens() {
        return tokens;
    }

    /**
     * A token of {@link #tokens()} making its bearer ({@code roam-admin}) admin of every project ({@code {"*":"admin"}}),
     * valid for {@link #TOKEN_LIFETIME}: for the local run's user and for tests that exercise everything else.
     */
    public String adminToken() {
        return adminToken;
    }

    /**
     * The token the gateway presents to the catalog; only tests need it, to call the catalog as the gateway does and
     * to prove it never leaks.
     */
    public String catalogServiceToken() {
        return catalogServiceToken;
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

    /** 32 random bytes, base64url: as hard to guess as the API tokens the catalog issues. */
    private static String randomServiceToken() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** Lowercase hex of the SHA-256 of the token's UTF-8 bytes: what the catalog compares with. */
    private static String sha256Hex(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException failure) {
            throw new IllegalStateException("this JVM has no SHA-256", failure);
        }
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
