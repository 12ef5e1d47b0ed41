package io.roam.infrastructure.testing;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What a test needs of a real broker: send a record and wait for one to appear. Every topic is read
 * from its beginning, on every partition, without joining a consumer group, so reading never takes
 * records away from the services under test.
 */
public final class KafkaTestClient implements AutoCloseable {

    private final String bootstrapServers;
    private final KafkaProducer<String, String> producer;
    private final Map<String, KafkaConsumer<String, String>> consumers = new HashMap<>();
    private final Map<String, List<ConsumerRecord<String, String>>> received = new HashMap<>();

    public KafkaTestClient(String bootstrapServers) {
        this.bootstrapServers = requireNonNull(bootstrapServers, "bootstrapServers is null");
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    /** Sends a record and waits until the broker has it. */
    public void send(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending to " + topic, interrupted);
        }
        catch (ExecutionException failure) {
            throw new IllegalStateException("could not send to " + topic, failure.getCause());
        }
    }

    /**
     * Waits for the first record of {@code topic} that matches, reading from the topic's beginning.
     *
     * @throws AssertionError when none arrives within {@code timeout}
     */
    public synchronized ConsumerRecord<String, String> awaitRecord(String topic, Predicate<ConsumerRecord<String, String>> matching,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<ConsumerRecord<String, String>> found = records(topic).stream().filter(matching).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no matching record on " + topic + " within " + timeout + "; received "
                        + records(topic).size() + " record(s)");
            }
            poll(topic);
        }
    }

    /** Every record received from {@code topic} so far, after one more poll. */
    public synchronized List<ConsumerRecord<String, String>> records(String topic) {
        poll(topic);
        return List.copyOf(received.getOrDefault(topic, List.of()));
    }

    private void poll(String topic) {
        KafkaConsumer<String, String> consumer = consumers.computeIfAbsent(topic, this::subscribeFromBeginning);
        if (consumer.assignment().isEmpty()) {
            assignAllPartitions(topic, consumer);
            if (consumer.assignment().isEmpty()) {
                return;
            }
        }
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
            received.computeIfAbsent(topic, ignored -> new ArrayList<>()).add(record);
        }
    }

    private KafkaConsumer<String, String> subscribeFromBeginning(String topic) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
        assignAllPartitions(topic, consumer);
        return consumer;
    }

    /** The topic may not exist yet: then nothing is assigned and the next poll tries again. */
    private static void assignAllPartitions(String topic, KafkaConsumer<String, String> consumer) {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
        if (partitions == null || partitions.isEmpty()) {
            return;
        }
        List<TopicPartition> assignment = partitions.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(assignment);
        consumer.seekToBeginning(assignment);
    }

    @Override
    public synchronized void close() {
        producer.close(Duration.ofSeconds(5));
        consumers.values().forEach(consumer -> consumer.close(CloseOptions.timeout(Duration.ofSeconds(5))));
    }
}
