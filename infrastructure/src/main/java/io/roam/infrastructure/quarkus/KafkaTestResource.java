package io.roam.infrastructure.quarkus;

import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.roam.infrastructure.KafkaBroker;
import io.roam.infrastructure.WorkDirectories;

/**
 * Gives a Quarkus test a real Kafka broker: a {@link KafkaBroker} started in a temporary directory, which
 * {@link #stop()} stops and deletes.
 *
 * <p>To use a broker that is already running instead, set the init argument {@value #BOOTSTRAP_SERVERS_ARGUMENT} or
 * the system property {@value #BOOTSTRAP_SERVERS_PROPERTY} (the init argument wins); nothing is started or stopped
 * then.
 *
 * <p>Returns the configuration {@value #BOOTSTRAP_SERVERS_KEY}, which the SmallRye Kafka connector and the Kafka
 * client extension of Quarkus read.
 */
public final class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    /** The init argument naming the bootstrap servers of an already running broker. */
    public static final String BOOTSTRAP_SERVERS_ARGUMENT = "bootstrap-servers";

    /** The system property naming the bootstrap servers of an already running broker. */
    public static final String BOOTSTRAP_SERVERS_PROPERTY = "roam.test.kafka.bootstrap-servers";

    /** The configuration key returned to Quarkus. */
    public static final String BOOTSTRAP_SERVERS_KEY = "kafka.bootstrap.servers";

    private String externalBootstrapServers;
    private Path workDirectory;
    private KafkaBroker broker;

    @Override
    public void init(Map<String, String> initArgs) {
        externalBootstrapServers = initArgs.getOrDefault(BOOTSTRAP_SERVERS_ARGUMENT,
                System.getProperty(BOOTSTRAP_SERVERS_PROPERTY));
    }

    @Override
    public Map<String, String> start() {
        if (externalBootstrapServers != null && !externalBootstrapServers.isBlank()) {
            return Map.of(BOOTSTRAP_SERVERS_KEY, externalBootstrapServers);
        }
        workDirectory = WorkDirectories.createTemporary("roam-kafka-");
        try {
            broker = KafkaBroker.start(workDirectory);
        }
        catch (RuntimeException exception) {
            WorkDirectories.deleteRecursively(workDirectory);
            throw exception;
        }
        return Map.of(BOOTSTRAP_SERVERS_KEY, broker.bootstrapServers());
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
        if (workDirectory != null) {
            WorkDirectories.deleteRecursively(workDirectory);
            workDirectory = null;
        }
    }
}
