package io.roam.infrastructure;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

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
 *
 * <p>A broker started with {@link #startSecured(Path)} is set up as a shared production cluster should be: clients
 * authenticate with SASL/SCRAM-SHA-512 ({@link KafkaUser#clientSettings()}) on its only client listener, and the
 * {@code StandardAuthorizer} refuses every operation no ACL allows ({@code allow.everyone.if.no.acl.found=false}),
 * automatic topic creation included unless a user may create topics. Its {@link #administrator()} is a super user,
 * created when the storage is formatted; its password is kept, readable by the owner only, in the work directory's
 * {@code administrator.password} (and in {@code server.properties}, which the broker needs), so that a restart on
 * the same directory keeps working. Users and ACLs are added while it runs ({@link #createUser(KafkaUser)},
 * {@link #allowWriting}, {@link #allowReading}).
 */
public final class KafkaBroker implements AutoCloseable {

    /** Partitions of automatically created topics when the caller does not choose. */
    public static final int DEFAULT_PARTITIONS = 4;

    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE_PERIOD = Duration.ofSeconds(10);
    private static final Duration ADMIN_CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final int NODE_ID = 1;
    private static final String ADMINISTRATOR_NAME = "admin";
    /** The lowest count Kafka accepts: these are test and local-run users, not ones to guard against offline guessing. */
    private static final int SCRAM_ITERATIONS = 4096;

    private final ManagedProcess process;
    private final String bootstrapServers;
    private final Optional<KafkaUser> administrator;

    private KafkaBroker(ManagedProcess process, String bootstrapServers, Optional<KafkaUser> administrator) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.administrator = administrator;
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
        return start(workDirectory, defaultPartitions, Security.OPEN);
    }

    /**
     * Starts a secured broker (see the class description) whose automatically created topics get
     * {@link #DEFAULT_PARTITIONS} partitions, and waits until it answers its {@link #administrator()}.
     *
     * @param workDirectory an existing directory owned by the caller, see the class description
     * @return the running broker
     * @throws IllegalStateException if the broker does not become ready within 60 seconds; the message shows the
     *         end of the broker log
     */
    public static KafkaBroker startSecured(Path workDirectory) {
        return startSecured(workDirectory, DEFAULT_PARTITIONS);
    }

    /**
     * Starts a secured broker (see the class description) and waits until it answers its {@link #administrator()}.
     *
     * @param workDirectory an existing directory owned by the caller, see the class description
     * @param defaultPartitions partitions of automatically created topics ({@code num.partitions}), at least 1
     * @return the running broker
     * @throws IllegalStateException if the broker does not become ready within 60 seconds; the message shows the
     *         end of the broker log
     */
    public static KafkaBroker startSecured(Path workDirectory, int defaultPartitions) {
        return start(workDirectory, defaultPartitions, Security.SCRAM_WITH_ACLS);
    }

    /** Whether clients authenticate and ACLs decide what they may do. */
    private enum Security {
        OPEN,
        SCRAM_WITH_ACLS
    }

    private static KafkaBroker start(Path workDirectory, int defaultPartitions, Security security) {
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
        Optional<KafkaUser> administrator = security == Security.SCRAM_WITH_ACLS
                ? Optional.of(administrator(directory.resolve("administrator.password")))
                : Optional.empty();
        Map<String, String> server = serverProperties(dataDirectory, bootstrapServers, controllerAddress, defaultPartitions);
        administrator.ifPresent(user -> server.putAll(securityProperties(user)));
        Path serverProperties = writePrivately(directory.resolve("server.properties"), propertiesText(server));
        Path log4jProperties = writeProperties(directory.resolve("log4j2.properties"), log4jProperties(brokerLog));

        String classpath = brokerClasspath();
        if (!Files.exists(dataDirectory.resolve("meta.properties"))) {
            formatStorage(classpath, log4jProperties, serverProperties, administrator, directory);
        }

        ManagedProcess process = ManagedProcess.start("Kafka broker",
                concat(javaCommand(classpath, log4jProperties, "kafka.Kafka"), List.of(serverProperties.toString())),
                directory, directory.resolve("kafka-broker-console.log"));
        KafkaBroker broker = new KafkaBroker(process, bootstrapServers, administrator);
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

    /** The super user of a secured broker; empty for a broker that lets every client do everything. */
    public Optional<KafkaUser> administrator() {
        return administrator;
    }

    /**
     * Creates a SCRAM-SHA-512 user of this secured broker, or changes the password of an existing one, and returns
     * once the broker accepts it. The user may do nothing until ACLs allow it.
     *
     * @throws IllegalStateException on a broker not started with {@link #startSecured(Path)}
     */
    public void createUser(KafkaUser user) {
        requireNonNull(user, "user is null");
        requireSecured();
        try (Admin admin = Admin.create(adminConfiguration())) {
            await("create Kafka user " + user.name(), admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                    user.name(), new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS), user.password())))
                    .all());
            Readiness.await(process, ADMIN_CALL_TIMEOUT, () -> knows(admin, user.name()));
        }
    }

    /**
     * Allows {@code user} to produce to {@code topics} (ACLs {@code WRITE} and {@code DESCRIBE}), and returns once the
     * broker applies them.
     *
     * @param user the name of a user of this broker
     * @throws IllegalStateException on a broker not started with {@link #startSecured(Path)}
     */
    public void allowWriting(String user, KafkaNames topics) {
        requireNonNull(user, "user is null");
        requireNonNull(topics, "topics is null");
        allow(List.of(
                binding(ResourceType.TOPIC, topics, user, AclOperation.WRITE),
                binding(ResourceType.TOPIC, topics, user, AclOperation.DESCRIBE)));
    }

    /**
     * Allows {@code user} to consume {@code topics} in the consumer groups {@code groups} (ACLs {@code READ} and
     * {@code DESCRIBE} on the topics, {@code READ} on the groups), and returns once the broker applies them.
     *
     * @param user the name of a user of this broker
     * @throws IllegalStateException on a broker not started with {@link #startSecured(Path)}
     */
    public void allowReading(String user, KafkaNames topics, KafkaNames groups) {
        requireNonNull(user, "user is null");
        requireNonNull(topics, "topics is null");
        requireNonNull(groups, "groups is null");
        allow(List.of(
                binding(ResourceType.TOPIC, topics, user, AclOperation.READ),
                binding(ResourceType.TOPIC, topics, user, AclOperation.DESCRIBE),
                binding(ResourceType.GROUP, groups, user, AclOperation.READ)));
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

    private void allow(List<AclBinding> bindings) {
        requireSecured();
        try (Admin admin = Admin.create(adminConfiguration())) {
            await("create ACLs " + bindings, admin.createAcls(bindings).all());
            // The controller has committed the ACLs; the broker applies them from its metadata log a moment later.
            for (AclBinding binding : bindings) {
                Readiness.await(process, ADMIN_CALL_TIMEOUT, () -> applies(admin, binding));
            }
        }
    }

    private static AclBinding binding(ResourceType type, KafkaNames names, String user, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, names.name(), names.patternType()),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }

    private void requireSecured() {
        if (administrator.isEmpty()) {
            throw new IllegalStateException("this Kafka broker lets every client do everything: start it with startSecured "
                    + "to have users and ACLs");
        }
    }

    private static boolean knows(Admin admin, String user) {
        return succeeds(() -> admin.describeUserScramCredentials(List.of(user)).description(user)
                .get(2, TimeUnit.SECONDS));
    }

    private static boolean applies(Admin admin, AclBinding binding) {
        return succeeds(() -> !admin.describeAcls(binding.toFilter()).values().get(2, TimeUnit.SECONDS).isEmpty());
    }

    /** Whether an admin call answered, and answered {@code true} when it answers a boolean. */
    private static boolean succeeds(AdminCall call) {
        try {
            return !Boolean.FALSE.equals(call.run());
        }
        catch (ExecutionException | TimeoutException notYet) {
            return false;
        }
        catch (InterruptedException exception) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka broker", exception);
        }
    }

    @FunctionalInterface
    private interface AdminCall {
        Object run() throws ExecutionException, TimeoutException, InterruptedException;
    }

    private static void await(String action, KafkaFuture<Void> future) {
        try {
            future.get(ADMIN_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException exception) {
            throw new IllegalStateException("Could not " + action, exception.getCause());
        }
        catch (TimeoutException exception) {
            throw new IllegalStateException("Could not " + action + " within " + ADMIN_CALL_TIMEOUT, exception);
        }
        catch (InterruptedException exception) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while trying to " + action, exception);
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
        Map<String, Object> configuration = new HashMap<>(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_CALL_TIMEOUT.toMillis(),
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200));
        administrator.ifPresent(user -> configuration.putAll(user.clientSettings()));
        return configuration;
    }

    /**
     * The SASL and ACL settings of a secured broker. Clients, and the broker itself as its own inter-broker peer,
     * use SCRAM-SHA-512 on the client listener. The controller listener uses PLAIN with the administrator as its
     * only user instead: Kafka cannot use SCRAM there, since the controller would need the SCRAM credentials before
     * it has read them from its metadata log.
     */
    private static Map<String, String> securityProperties(KafkaUser administrator) {
        String password = administrator.password();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("listener.security.protocol.map", "CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        properties.put("inter.broker.listener.name", "CLIENT");
        properties.put("sasl.mechanism.inter.broker.protocol", KafkaUser.MECHANISM);
        properties.put("sasl.mechanism.controller.protocol", "PLAIN");
        properties.put("listener.name.client.sasl.enabled.mechanisms", KafkaUser.MECHANISM);
        properties.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        properties.put("listener.name.client.scram-sha-512.sasl.jaas.config", administrator.jaasConfiguration());
        properties.put("listener.name.controller.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + administrator.name()
                        + "\" password=\"" + password + "\" user_" + administrator.name() + "=\"" + password + "\";");
        properties.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        properties.put("super.users", "User:" + administrator.name());
        properties.put("allow.everyone.if.no.acl.found", "false");
        return properties;
    }

    /** The administrator of a secured broker: the one of an earlier start on the same work directory, or a new one. */
    private static KafkaUser administrator(Path passwordFile) {
        try {
            if (Files.exists(passwordFile)) {
                return new KafkaUser(ADMINISTRATOR_NAME, Files.readString(passwordFile, StandardCharsets.UTF_8).strip());
            }
        }
        catch (IOException exception) {
            throw new UncheckedIOException("Could not read " + passwordFile, exception);
        }
        KafkaUser administrator = KafkaUser.withRandomPassword(ADMINISTRATOR_NAME);
        writePrivately(passwordFile, administrator.password());
        return administrator;
    }

    /**
     * Formats the data directory. A secured broker's administrator is created here as a SCRAM user; its password
     * reaches the storage tool through a Java argument file readable by the owner only, deleted afterwards, so that
     * it never shows in the process list or in a failure message.
     */
    private static void formatStorage(String classpath, Path log4jProperties, Path serverProperties,
            Optional<KafkaUser> administrator, Path directory) {
        String mainClass = "kafka.tools.StorageTool";
        List<String> arguments = new ArrayList<>(List.of("format",
                "--cluster-id", Uuid.randomUuid().toString(),
                "--config", serverProperties.toString()));
        Path logFile = directory.resolve("kafka-storage-format.log");
        if (administrator.isEmpty()) {
            ManagedProcess.run("Kafka storage format", concat(javaCommand(classpath, log4jProperties, mainClass), arguments),
                    directory, logFile, FORMAT_TIMEOUT);
            return;
        }
        KafkaUser user = administrator.get();
        arguments.addAll(List.of("--add-scram",
                KafkaUser.MECHANISM + "=[name=" + user.name() + ",password=" + user.password() + "]"));
        List<String> argumentFileLines = new ArrayList<>(List.of("-cp", classpath, mainClass));
        argumentFileLines.addAll(arguments);
        Path argumentFile = writePrivately(directory.resolve("kafka-storage-format.arguments"), argumentFileLines.stream()
                .map(argument -> "\"" + argument.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining("\n", "", "\n")));
        try {
            ManagedProcess.run("Kafka storage format", concat(jvmOptions(classpath, log4jProperties, mainClass),
                    List.of("@" + argumentFile)), directory, logFile, FORMAT_TIMEOUT);
        }
        finally {
            deleteIfExists(argumentFile);
        }
    }

    private static void deleteIfExists(Path file) {
        try {
            Files.deleteIfExists(file);
        }
        catch (IOException exception) {
            throw new UncheckedIOException("Could not delete " + file, exception);
        }
    }

    private static Map<String, String> serverProperties(Path dataDirectory, String bootstrapServers,
            String controllerAddress, int defaultPartitions) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", String.valueOf(NODE_ID));
        properties.put("controller.quorum.voters", NODE_ID + "@" + controllerAddress);
        properties.put("listeners", "CLIENT://" + bootstrapServers + ",CONTROLLER://" + controllerAddress);
        properties.put("advertised.listeners", "CLIENT://" + bootstrapServers);
        properties.put("controller.listener.names", "CONTROLLER");
        properties.put("inter.broker.listener.name", "CLIENT");
        properties.put("listener.security.protocol.map", "CLIENT:PLAINTEXT,CONTROLLER:PLAINTEXT");
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
        try {
            return Files.writeString(file, propertiesText(properties), StandardCharsets.UTF_8);
        }
        catch (IOException exception) {
            throw new UncheckedIOException("Could not write " + file, exception);
        }
    }

    private static String propertiesText(Map<String, String> properties) {
        return properties.entrySet().stream()
                .map(property -> property.getKey() + "=" + property.getValue().replace("\\", "\\\\"))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    /** Writes {@code text} to a file that only its owner can read, replacing the file if it exists. */
    private static Path writePrivately(Path file, String text) {
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        }
        catch (IOException exception) {
            throw new UncheckedIOException("Could not write " + file, exception);
        }
    }

    private static List<String> javaCommand(String classpath, Path log4jProperties, String mainClass) {
        return concat(jvmOptions(classpath, log4jProperties, mainClass), List.of("-cp", classpath, mainClass));
    }

    /** The Java executable and the JVM options, up to the classpath. */
    private static List<String> jvmOptions(String classpath, Path log4jProperties, String mainClass) {
        List<String> command = new ArrayList<>(List.of(ManagedProcess.javaExecutable().toString(),
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + log4jProperties));
        command.addAll(classDataSharing(classpath, mainClass));
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
