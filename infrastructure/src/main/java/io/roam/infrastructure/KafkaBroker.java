package io.roam.infrastructure;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real Apache Kafka broker (KRaft mode, one node that is both broker and controller) running in its own JVM on
 * {@code 127.0.0.1}.
 *
 * <p>The broker's jars come from Maven Central through the provided-scope dependencies of this module; the build
 * writes their local-repository paths to the {@code kafka-broker.classpath} and {@code kafka-clients.classpath}
 * resources, so the machine must have built {@code roam-infrastructure} (which downloads them) before a broker can
 * start.
 *
 * <p>The work directory belongs to the caller and is never deleted. The broker keeps in it:
 * {@code server.properties}, {@code log4j2.properties}, the data directory {@code data/}, the broker log
 * {@code kafka-broker.log}, the JVM's own output {@code kafka-broker-console.log} (normally only JVM warnings) and
 * the storage format output {@code kafka-storage-format.log}. Starting again on the same work directory skips the
 * format and keeps the existing topics and records.
 *
 * <p>Topics are created automatically on first use, with {@link #DEFAULT_PARTITIONS} partitions unless configured
 * otherwise; every topic has replication factor 1. The consumer-offsets topic has 5 partitions instead of Kafka's 50,
 * which is plenty for one machine and keeps group coordination quick.
 */
public final class KafkaBroker implements AutoCloseable {

    /** Partitions of automatically created topics when the caller does not choose. */
    public static final int DEFAULT_PARTITIONS = 4;

    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE_PERIOD = Duration.ofSeconds(10);
    private static final Duration ADMIN_CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final int NODE_ID = 1;

    private final ManagedProcess process;
    private final String bootstrapServers;

    private KafkaBroker(ManagedProcess process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts a broker whose automatically created topics get {@link #DEFAULT_PARTITIONS} partitions, and waits
     * until it answers.
     *
     * @param workDirectory an existing directory owned by the caller, see the class description
     * @return the running broker
     * @throws IllegalStateException if the broker does not become ready within 60 seconds; the message shows the
     *         end of the broker log
     */
    public static KafkaBroker start(Path workDirectory) {
        return start(workDirectory, DEFAULT_PARTITIONS);
    }

    /**
     * Starts a broker and waits until it answers.
     *
     * @param workDirectory an existing directory owned by the caller, see the class description
     * @param defaultPartitions partitions of automatically created topics ({@code num.partitions}), at least 1
     * @return the running broker
     * @throws IllegalStateException if the broker does not become ready within 60 seconds; the message shows the
     *         end of the broker log
     */
    public static KafkaBroker start(Path workDirectory, int defaultPartitions) {
        requireNonNull(workDirectory, "workDirectory is null");
        if (defaultPartitions < 1) {
            throw new IllegalArgumentException("defaultPartitions must be at least 1, was " + defaultPartitions);
        }
        if (!Files.isDirectory(workDirectory)) {
            throw new IllegalArgumentException("workDirectory is not a directory: " + workDirectory);
        }
        Path directory = workDirectory.toAbsolutePath();
        List<Integer> ports = Ports.freePorts(2);
        String bootstrapServers = Ports.LOOPBACK_ADDRESS + ":" + ports.get(0);
        String controllerAddress = Ports.LOOPBACK_ADDRESS + ":" + ports.get(1);
        Path brokerLog = directory.resolve("kafka-broker.log");
        Path dataDirectory = directory.resolve("data");
        Path serverProperties = writeProperties(directory.resolve("server.properties"),
                serverProperties(dataDirectory, bootstrapServers, controllerAddress, defaultPartitions));
        Path log4jProperties = writeProperties(directory.resolve("log4j2.properties"), log4jProperties(brokerLog));

        String classpath = brokerClasspath();
        if (!Files.exists(dataDirectory.resolve("meta.properties"))) {
            ManagedProcess.run("Kafka storage format",
                    concat(javaCommand(classpath, log4jProperties, "kafka.tools.StorageTool"), List.of("format",
                            "--cluster-id", Uuid.randomUuid().toString(),
                            "--config", serverProperties.toString())),
                    directory, directory.resolve("kafka-storage-format.log"), FORMAT_TIMEOUT);
        }

        ManagedProcess process = ManagedProcess.start("Kafka broker",
                concat(javaCommand(classpath, log4jProperties, "kafka.Kafka"), List.of(serverProperties.toString())),
                directory, directory.resolve("kafka-broker-console.log"));
        KafkaBroker broker = new KafkaBroker(process, bootstrapServers);
        try (Admin admin = Admin.create(broker.adminConfiguration())) {
            Readiness.await(process, READY_TIMEOUT, () -> answers(admin));
        }
        catch (RuntimeException startFailure) {
            process.stop(STOP_GRACE_PERIOD);
            throw new IllegalStateException(startFailure.getMessage() + "\nThe broker log (" + brokerLog
                    + ") ends with:\n" + LogFiles.tail(brokerLog), startFailure);
        }
        return broker;
    }

    /** The address clients connect to, {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The process ID of the broker JVM. */
    public long pid() {
        return process.pid();
    }

    /**
     * Creates the topics that do not exist yet, with replication factor 1; existing topics are left as they are,
     * whatever their partition count.
     *
     * @param namesToPartitions topic names mapped to their partition counts
     */
    public void createTopics(Map<String, Integer> namesToPartitions) {
        requireNonNull(namesToPartitions, "namesToPartitions is null");
        List<NewTopic> topics = namesToPartitions.entrySet().stream()
                .map(topic -> new NewTopic(topic.getKey(), topic.getValue(), (short) 1))
                .toList();
        try (Admin admin = Admin.create(adminConfiguration())) {
            for (Map.Entry<String, KafkaFuture<Void>> creation : admin.createTopics(topics).values().entrySet()) {
                awaitCreation(creation.getKey(), creation.getValue());
            }
        }
    }

    /** Stops the broker: SIGTERM, up to 10 seconds for a clean shutdown, then SIGKILL. The work directory stays. */
    @Override
    public void close() {
        process.stop(STOP_GRACE_PERIOD);
    }

    private static boolean answers(Admin admin) {
        try {
            return !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty();
        }
        catch (ExecutionException | TimeoutException notYet) {
            return false;
        }
        catch (InterruptedException exception) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka broker", exception);
        }
    }

    private static void awaitCreation(String topic, KafkaFuture<Void> creation) {
        try {
            creation.get(ADMIN_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException exception) {
            if (!(exception.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create topic " + topic, exception.getCause());
            }
        }
        catch (TimeoutException exception) {
            throw new IllegalStateException("Topic " + topic + " was not created within " + ADMIN_CALL_TIMEOUT,
                    exception);
        }
        catch (InterruptedException exception) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + topic, exception);
        }
    }

    private Map<String, Object> adminConfiguration() {
        return Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_CALL_TIMEOUT.toMillis(),
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
    }

    private static Map<String, String> serverProperties(Path dataDirectory, String bootstrapServers,
            String controllerAddress, int defaultPartitions) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", String.valueOf(NODE_ID));
        properties.put("controller.quorum.voters", NODE_ID + "@" + controllerAddress);
        properties.put("listeners", "PLAINTEXT://" + bootstrapServers + ",CONTROLLER://" + controllerAddress);
        properties.put("advertised.listeners", "PLAINTEXT://" + bootstrapServers);
        properties.put("controller.listener.names", "CONTROLLER");
        properties.put("inter.broker.listener.name", "PLAINTEXT");
        properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        properties.put("log.dirs", dataDirectory.toString());
        properties.put("num.partitions", String.valueOf(defaultPartitions));
        properties.put("auto.create.topics.enable", "true");
        // A transfer's SUCCEEDED event carries its manifest, which for a large dataset exceeds the 1 MiB default.
        properties.put("message.max.bytes", "16777216");
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("offsets.topic.num.partitions", "5");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("share.coordinator.state.topic.replication.factor", "1");
        properties.put("share.coordinator.state.topic.min.isr", "1");
        properties.put("group.initial.rebalance.delay.ms", "0");
        return properties;
    }

    private static Map<String, String> log4jProperties(Path brokerLog) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("status", "warn");
        properties.put("appender.file.type", "File");
        properties.put("appender.file.name", "file");
        properties.put("appender.file.fileName", brokerLog.toString());
        properties.put("appender.file.layout.type", "PatternLayout");
        properties.put("appender.file.layout.pattern", "[%d] %p %m (%c)%n");
        properties.put("rootLogger.level", "INFO");
        properties.put("rootLogger.appenderRef.file.ref", "file");
        return properties;
    }

    private static Path writeProperties(Path file, Map<String, String> properties) {
        String text = properties.entrySet().stream()
                .map(property -> property.getKey() + "=" + property.getValue().replace("\\", "\\\\"))
                .collect(Collectors.joining("\n", "", "\n"));
        try {
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        }
        catch (IOException exception) {
            throw new UncheckedIOException("Could not write " + file, exception);
        }
    }

    private static List<String> javaCommand(String classpath, Path log4jProperties, String mainClass) {
        List<String> command = new ArrayList<>(List.of(ManagedProcess.javaExecutable().toString(),
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + log4jProperties));
        command.addAll(classDataSharing(classpath, mainClass));
        command.addAll(List.of("-cp", classpath, mainClass));
        return command;
    }

    /**
     * On Java 19 and later, the JVM keeps the classes it loaded in an archive under {@code java.io.tmpdir}, one per
     * Java installation, classpath and main class, and maps it at the next start: that roughly halves the start-up
     * time of the broker and of the storage tool. The JVM rebuilds an archive that does not match and runs without
     * one that it cannot read.
     */
    private static List<String> classDataSharing(String classpath, String mainClass) {
        if (Runtime.version().feature() < 19) {
            return List.of();
        }
        String key = System.getProperty("java.home") + File.pathSeparator + Runtime.version() + File.pathSeparator
                + classpath;
        Path archive = Path.of(System.getProperty("java.io.tmpdir"),
                "roam-" + mainClass + "-" + Integer.toHexString(key.hashCode()) + ".jsa");
        return List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive);
    }

    private static String brokerClasspath() {
        List<String> entries = new ArrayList<>();
        entries.addAll(readClasspathResource("kafka-broker.classpath"));
        entries.addAll(readClasspathResource("kafka-clients.classpath"));
        List<String> missing = entries.stream().filter(entry -> !Files.isRegularFile(Path.of(entry))).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Kafka broker jars are missing from the local Maven repository: "
                    + missing + ". Build roam-infrastructure on this machine (./mvnw -f infrastructure/pom.xml "
                    + "install) to download them.");
        }
        return String.join(File.pathSeparator, entries);
    }

    private static List<String> readClasspathResource(String name) {
        try (InputStream resource = KafkaBroker.class.getResourceAsStream(name)) {
            if (resource == null) {
                throw new IllegalStateException("Resource " + name + " is missing next to " + KafkaBroker.class
                        + "; the roam-infrastructure build writes it");
            }
            String classpath = new String(resource.readAllBytes(), StandardCharsets.UTF_8).strip();
            return Stream.of(classpath.split(File.pathSeparator)).filter(entry -> !entry.isBlank()).toList();
        }
        catch (IOException exception) {
            throw new UncheckedIOException("Could not read resource " + name, exception);
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }
}
