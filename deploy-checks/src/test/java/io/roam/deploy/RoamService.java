package io.roam.deploy;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * One of Roam's three services, as its {@code src/main/resources/application.properties} configures it:
 * what the deployment files must agree with.
 */
enum RoamService {
    GATEWAY("gateway"),
    TRANSFER_WORKER("transfer-worker"),
    CATALOG("catalog");

    /** Quarkus reads it itself: the further configuration files, such as the mounted storage profiles. */
    static final String CONFIG_LOCATIONS_VARIABLE = "QUARKUS_CONFIG_LOCATIONS";

    /** Quarkus hands every {@code KAFKA_*} environment variable to the Kafka clients as a setting. */
    private static final String KAFKA_VARIABLE_PREFIX = "KAFKA_";
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^:}]+)");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^:}]+)(:[^}]*)?}");
    private static final Pattern TOPIC_KEY = Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.[^.]+\\.(dead-letter-queue\\.)?topic");

    private final String module;
    private final Properties properties;

    RoamService(String module) {
        this.module = module;
        this.properties = load(Repository.root().resolve(module).resolve("src/main/resources/application.properties"));
    }

    /** The service whose image {@code image} is, such as {@code roam/roam-gateway:0.1.0-SNAPSHOT}; empty for other images. */
    static Optional<RoamService> ofImage(String image) {
        requireNonNull(image, "image is null");
        return Arrays.stream(values())
                .filter(service -> image.startsWith(service.imageRepository() + ":"))
                .findFirst();
    }

    /** The image the Maven build makes of this service: repository {@code group/name}, tagged with the project version. */
    String image() {
        return imageRepository() + ":" + Repository.version();
    }

    private String imageRepository() {
        return resolve(property("quarkus.container-image.group")) + "/" + resolve(property("quarkus.container-image.name"));
    }

    /** The HTTP port the service listens on (health, metrics and its API). */
    int httpPort() {
        return Integer.parseInt(property("quarkus.http.port"));
    }

    /** The Kafka topics the service names, dead-letter topics included; not the patterns it subscribes to. */
    Set<String> topics() {
        Set<String> topics = new TreeSet<>();
        properties.stringPropertyNames().stream()
                .filter(key -> TOPIC_KEY.matcher(key).matches() && !isPattern(key))
                .forEach(key -> topics.add(properties.getProperty(key)));
        return topics;
    }

    /** The patterns of the channels that subscribe by pattern ({@code pattern=true}), such as the gateway's training events. */
    Set<Pattern> subscriptionPatterns() {
        Set<Pattern> patterns = new HashSet<>();
        properties.stringPropertyNames().stream()
                .filter(key -> TOPIC_KEY.matcher(key).matches() && isPattern(key))
                .forEach(key -> patterns.add(Pattern.compile(properties.getProperty(key))));
        return patterns;
    }

    private boolean isPattern(String topicKey) {
        String channel = topicKey.substring(0, topicKey.lastIndexOf(".topic"));
        return !channel.endsWith(".dead-letter-queue") && "true".equals(properties.getProperty(channel + ".pattern"));
    }

    /** A setting of application.properties, as written (expressions unresolved). */
    String property(String key) {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new IllegalStateException("%s/src/main/resources/application.properties has no %s".formatted(module, key));
        }
        return value;
    }

    /**
     * Whether the service reads the environment variable {@code name}: named by an expression in
     * application.properties ({@code ${ROAM_CATALOG_URL:...}}), the environment form of a property it sets or
     * refers to ({@code ROAM_WORKER_CONCURRENT_TRANSFERS} for {@code ${roam.worker.concurrent-transfers:2}}),
     * a Kafka client setting ({@code KAFKA_SASL_MECHANISM}), Quarkus' {@value #CONFIG_LOCATIONS_VARIABLE},
     * or a variable one of its storage profiles names ({@code storageProfileVariables}).
     */
    boolean reads(String name, Set<String> storageProfileVariables) {
        return name.equals(CONFIG_LOCATIONS_VARIABLE)
                || storageProfileVariables.contains(name)
                || environmentNames().contains(name)
                || isKafkaClientSetting(name);
    }

    @Override
    public String toString() {
        return module;
    }

    private Set<String> environmentNames() {
        Set<String> names = new HashSet<>();
        for (String key : properties.stringPropertyNames()) {
            names.add(environmentName(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key));
            Matcher expressions = EXPRESSION.matcher(properties.getProperty(key));
            while (expressions.find()) {
                names.add(expressions.group(1));
                names.add(environmentName(expressions.group(1)));
            }
        }
        return names;
    }

    private static boolean isKafkaClientSetting(String name) {
        if (!name.startsWith(KAFKA_VARIABLE_PREFIX)) {
            return false;
        }
        String setting = name.substring(KAFKA_VARIABLE_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
        return ProducerConfig.configNames().contains(setting)
                || ConsumerConfig.configNames().contains(setting)
                || AdminClientConfig.configNames().contains(setting);
    }

    /** The environment variable SmallRye Config looks up for {@code key}: upper case, other characters as {@code _}. */
    private static String environmentName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** Resolves {@code ${key}} references to other settings of the same file (enough for image names). */
    private String resolve(String value) {
        return REFERENCE.matcher(value).replaceAll(match -> Matcher.quoteReplacement(resolve(property(match.group(1)))));
    }

    private static Properties load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
        return properties;
    }
}
