package io.roam.infrastructure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/** Reads what the broker tests published, as a consumer of the given group from the earliest offset. */
final class TestConsumer {

    private TestConsumer() {
    }

    /**
     * Waits (at most 30 s) until {@code count} records of {@code topic} arrived.
     *
     * @param clientSettings further client settings, such as SASL credentials
     */
    static List<ConsumerRecord<String, String>> receive(KafkaBroker broker, Map<String, String> clientSettings, String topic,
            String group, int count) {
        Map<String, Object> configuration = new HashMap<>(clientSettings);
        configuration.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        configuration.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        configuration.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        configuration.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        configuration.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(configuration)) {
            consumer.subscribe(List.of(topic));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return received.size() >= count;
            });
        }
        return received;
    }
}
