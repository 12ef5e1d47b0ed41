package io.roam.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.roam.contracts.messages.Topics;
import io.roam.gateway.GatewayTestProfile;
import io.roam.infrastructure.testing.KafkaTestClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A training event is accepted only from a topic that may carry its project: {@code roam.training-events.<project>}
 * carries that project's events only, the shared {@code roam.training-events} those of the projects it is configured
 * for (here {@code llm}). Any other is dead-lettered with the reason, before the catalog is asked anything.
 */
@QuarkusTest
@TestProfile(GatewayTestProfile.class)
class TrainingEventTopicTrustTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "mp.messaging.incoming.training-events.topic")
    String subscription;

    @Test
    void theGatewaySubscribesToTheSharedTopicAndEveryProjectTopicButNotTheDeadLetterTopic() {
        assertThat(Topics.TRAINING_EVENTS).matches(subscription);
        assertThat("roam.training-events.llm").matches(subscription);
        assertThat("roam.training-events.vision-2").matches(subscription);
        assertThat(Topics.TRAINING_EVENTS_DEAD_LETTER).doesNotMatch(subscription);
        assertThat("roam.training-events-other").doesNotMatch(subscription);
        assertThat("roam.transfer-events").doesNotMatch(subscription);
    }

    @Test
    void anEventOnAProjectTopicNamingAnotherProjectIsDeadLettered() {
        ConsumerRecord<String, String> deadLetter = publishAndAwaitDeadLetter("roam.training-events.llm", "vision", "file:///data/r/v/");

        assertThat(reason(deadLetter)).isEqualTo("topic roam.training-events.llm may not carry events of project vision");
    }

    @Test
    void anEventOnTheSharedTopicForAProjectItMayNotCarryIsDeadLettered() {
        ConsumerRecord<String, String> deadLetter = publishAndAwaitDeadLetter(Topics.TRAINING_EVENTS, "vision", "file:///data/r/v/");

        assertThat(reason(deadLetter)).isEqualTo("topic roam.training-events may not carry events of project vision");
    }

    @Test
    void anEventOfItsTopicsProjectWithASourceTheProjectMayNotReadIsDeadLettered() {
        ConsumerRecord<String, String> deadLetter = publishAndAwaitDeadLetter("roam.training-events.llm", "llm",
                "file:///vision-only/r/v/");

        assertThat(reason(deadLetter)).isEqualTo("storage profile 'vision-only' may not be read by project 'llm'");
    }

    private ConsumerRecord<String, String> publishAndAwaitDeadLetter(String topic, String project, String uri) {
        String eventId = UUID.randomUUID().toString();
        String event = "{\"specversion\":\"1.0\",\"id\":\"" + eventId + "\",\"source\":\"/training/r\",\"type\":\"roam.checkpoint.saved\","
                + "\"data\":{\"project\":\"" + project + "\",\"run\":\"r\",\"version\":\"v\",\"uri\":\"" + uri + "\"}}";
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, project + "/r", event);
            record.headers().add("content-type", CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
        catch (ExecutionException failure) {
            throw new IllegalStateException(failure.getCause());
        }
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            return kafka.awaitRecord(Topics.TRAINING_EVENTS_DEAD_LETTER, record -> record.value().contains(eventId),
                    Duration.ofSeconds(60));
        }
    }

    private static String reason(ConsumerRecord<String, String> deadLetter) {
        return new String(deadLetter.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8);
    }
}
