package io.roam.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTest {

    @TempDir
    Path workDirectory;

    @Test
    void carriesARecordFromAProducerToAConsumerOnATopicItCreated() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(workDirectory)) {
            broker.createTopics(Map.of("transfers", 3));

            assertThat(partitionsOf(broker, "transfers")).isEqualTo(3);
            send(broker, "transfers", "transfer-1", "requested");
            assertThat(receiveAll(broker, "transfers", 1))
                    .singleElement()
                    .satisfies(record -> {
                        assertThat(record.key()).isEqualTo("transfer-1");
                        assertThat(record.value()).isEqualTo("requested");
                    });
        }
    }

    @Test
    void createsTopicsIdempotentlyAndCreatesUnknownTopicsOnFirstUseWithTheDefaultPartitionCount() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(workDirectory)) {
            broker.createTopics(Map.of("catalog-events", 2));
            broker.createTopics(Map.of("catalog-events", 6));
            send(broker, "auto-created", "key", "value");

            assertThat(partitionsOf(broker, "catalog-events")).isEqualTo(2);
            assertThat(partitionsOf(broker, "auto-created")).isEqualTo(KafkaBroker.DEFAULT_PARTITIONS);
        }
    }

    @Test
    void closeEndsTheBrokerProcessAndKeepsTheWorkDirectory() {
        KafkaBroker broker = KafkaBroker.start(workDirectory);
        long pid = broker.pid();
        assertThat(ProcessHandle.of(pid)).hasValueSatisfying(process -> assertThat(process.isAlive()).isTrue());

        broker.close();

        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(workDirectory.resolve("kafka-broker.log")).content().contains("Kafka Server started");
    }

    @Test
    void aBrokerRestartedOnTheSameWorkDirectoryStillHasTheRecords() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(workDirectory)) {
            send(broker, "datasets", "dataset-1", "registered");
        }
        try (KafkaBroker restarted = KafkaBroker.start(workDirectory)) {
            assertThat(receiveAll(restarted, "datasets", 1))
                    .extracting(ConsumerRecord::value)
                    .containsExactly("registered");
        }
    }

    private static int partitionsOf(KafkaBroker broker, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
        }
    }

    private static void send(KafkaBroker broker, String topic, String key, String value) throws Exception {
        Map<String, Object> configuration = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(configuration)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static List<ConsumerRecord<String, String>> receiveAll(KafkaBroker broker, String topic, int count) {
        return TestConsumer.receive(broker, Map.of(), topic, "test-" + topic, count);
    }
}
