package io.roam.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secured broker lets in only SCRAM users with the right password, and lets each do only what its ACLs allow.
 * One broker serves every test; each test uses its own users and topics.
 */
class SecuredKafkaBrokerTest {

    @TempDir
    static Path workDirectory;

    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.startSecured(workDirectory);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void aUserAllowedToWriteOneTopicProducesThereAndIsRefusedOnAnother() throws Exception {
        String allowed = unique("llm-events");
        String other = unique("vision-events");
        broker.createTopics(Map.of(allowed, 1, other, 1));
        KafkaUser trainer = KafkaUser.withRandomPassword(unique("trainer"));
        broker.createUser(trainer);
        broker.allowWriting(trainer.name(), KafkaNames.exactly(allowed));

        try (KafkaProducer<String, String> producer = producer(trainer.clientSettings())) {
            producer.send(new ProducerRecord<>(allowed, "run-1", "checkpoint saved")).get(30, TimeUnit.SECONDS);

            assertThat(sendFailure(producer, other)).isInstanceOf(TopicAuthorizationException.class);
        }
        assertThat(consume(broker.administrator().orElseThrow().clientSettings(), allowed, unique("audit"), 1))
                .extracting(ConsumerRecord::value)
                .containsExactly("checkpoint saved");
    }

    @Test
    void aUserWithAWrongPasswordIsNotAuthenticated() {
        String topic = unique("llm-events");
        broker.createTopics(Map.of(topic, 1));
        KafkaUser trainer = KafkaUser.withRandomPassword(unique("trainer"));
        broker.createUser(trainer);
        broker.allowWriting(trainer.name(), KafkaNames.exactly(topic));
        KafkaUser impostor = new KafkaUser(trainer.name(), trainer.password() + "x");

        try (KafkaProducer<String, String> producer = producer(impostor.clientSettings())) {
            assertThat(sendFailure(producer, topic)).isInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void aClientThatDoesNotAuthenticateGetsNoAnswer() {
        Map<String, Object> plaintext = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000);

        try (Admin admin = Admin.create(plaintext)) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TimeoutException.class);
        }
    }

    @Test
    void aReaderConsumesItsTopicsInItsGroupButNotInAnotherGroup() throws Exception {
        String prefix = unique("roam.events");
        String topic = prefix + ".llm";
        broker.createTopics(Map.of(topic, 1));
        KafkaUser producer = KafkaUser.withRandomPassword(unique("producer"));
        KafkaUser service = KafkaUser.withRandomPassword(unique("service"));
        broker.createUser(producer);
        broker.createUser(service);
        broker.allowWriting(producer.name(), KafkaNames.exactly(topic));
        broker.allowReading(service.name(), KafkaNames.startingWith(prefix), KafkaNames.exactly("service-group"));
        try (KafkaProducer<String, String> sender = producer(producer.clientSettings())) {
            sender.send(new ProducerRecord<>(topic, "run-1", "dataset registered")).get(30, TimeUnit.SECONDS);
        }

        assertThat(consume(service.clientSettings(), topic, "service-group", 1))
                .extracting(ConsumerRecord::value)
                .containsExactly("dataset registered");
        assertThatThrownBy(() -> consume(service.clientSettings(), topic, "someone-elses-group", 1))
                .isInstanceOf(GroupAuthorizationException.class);
    }

    @Test
    void keepsItsAdministratorPasswordReadableByTheOwnerOnly() throws Exception {
        assertThat(Files.getPosixFilePermissions(workDirectory.resolve("administrator.password")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.getPosixFilePermissions(workDirectory.resolve("server.properties")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(workDirectory.resolve("kafka-storage-format.arguments")).doesNotExist();
        assertThat(broker.administrator().orElseThrow().toString()).doesNotContain(broker.administrator().orElseThrow().password());
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static KafkaProducer<String, String> producer(Map<String, String> clientSettings) {
        Map<String, Object> configuration = new HashMap<>(clientSettings);
        configuration.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        configuration.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        configuration.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        configuration.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(configuration);
    }

    /** What stopped a record from reaching {@code topic}, whether {@code send} threw it or its future failed with it. */
    private static Throwable sendFailure(KafkaProducer<String, String> producer, String topic) {
        try {
            producer.send(new ProducerRecord<>(topic, "run-1", "refused")).get(30, TimeUnit.SECONDS);
        }
        catch (ExecutionException failure) {
            return failure.getCause();
        }
        catch (Exception failure) {
            return failure;
        }
        throw new AssertionError("the broker accepted a record on " + topic);
    }

    private static List<ConsumerRecord<String, String>> consume(Map<String, String> clientSettings, String topic, String group,
            int count) {
        return TestConsumer.receive(broker, clientSettings, topic, group, count);
    }
}
