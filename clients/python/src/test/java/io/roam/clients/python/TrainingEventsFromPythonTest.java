package io.roam.clients.python;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roam.infrastructure.KafkaBroker;
import io.roam.infrastructure.testing.KafkaTestClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python client, {@code roam_events}, run by a real {@code python3}: its own unit tests, and its Hugging Face and
 * Lightning callbacks publishing to a real Kafka broker records that are read back here the way Roam reads them.
 */
class TrainingEventsFromPythonTest {

    private static final Path CLIENT_DIRECTORY =
            Path.of(System.getProperty("roam.python.client.directory", "")).toAbsolutePath();
    private static final String TOPIC = "roam.training-events";
    private static final Duration PYTHON_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration RECORD_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PythonInterpreter python;

    @TempDir
    Path temporaryDirectory;

    @BeforeAll
    static void findPythonWithKafka(@TempDir Path probeDirectory) {
        python = PythonInterpreter.withKafkaPython(probeDirectory);
    }

    @Test
    void thePythonUnitTestsPass() {
        PythonRun run = python.run(CLIENT_DIRECTORY, temporaryDirectory, Map.of(), PYTHON_TIMEOUT,
                "-m", "unittest", "discover", "--start-directory", "tests", "--top-level-directory", ".", "--verbose");

        assertThat(run.exitCode()).as(run.report()).isZero();
        assertThat(run.standardError()).as(run.report()).containsPattern("Ran [1-9][0-9]* tests").contains("\nOK");
    }

    @Test
    void theCallbacksPublishEveryCheckpointOnceAsACloudEventThatRoamCanRead() throws IOException {
        Path brokerDirectory = Files.createDirectory(temporaryDirectory.resolve("kafka"));
        Path jobDirectory = Files.createDirectory(temporaryDirectory.resolve("job")).toAbsolutePath();
        try (KafkaBroker broker = KafkaBroker.start(brokerDirectory);
                KafkaTestClient kafka = new KafkaTestClient(broker.bootstrapServers())) {
            broker.createTopics(Map.of(TOPIC, KafkaBroker.DEFAULT_PARTITIONS));
            Instant started = Instant.now().truncatedTo(ChronoUnit.MILLIS);

            PythonRun run = python.run(CLIENT_DIRECTORY, temporaryDirectory,
                    Map.of("ROAM_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(), "ROAM_PROJECT", "llm"),
                    PYTHON_TIMEOUT, "-m", "tests.emit_to_kafka", jobDirectory.toString());

            Instant ended = Instant.now();
            assertThat(run.exitCode()).as(run.report()).isZero();
            JsonNode delivered = JSON.readTree(run.standardOutput());
            String huggingFaceId = delivered.path("huggingface").path("id").asText();
            String lightningId = delivered.path("lightning").path("id").asText();

            ConsumerRecord<String, String> binary = kafka.awaitRecord(TOPIC,
                    record -> huggingFaceId.equals(header(record, "ce_id")), RECORD_TIMEOUT);
            assertThat(binary.key()).isEqualTo("llm/run-42");
            assertThat(headerNames(binary)).containsExactly(
                    "ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "ce_subject", "content-type");
            assertThat(header(binary, "ce_specversion")).isEqualTo("1.0");
            assertThat(UUID.fromString(header(binary, "ce_id")).version()).isEqualTo(4);
            assertThat(header(binary, "ce_source")).isEqualTo("/training/llm/run-42");
            assertThat(header(binary, "ce_type")).isEqualTo("roam.checkpoint.saved");
            assertThat(header(binary, "ce_time")).isEqualTo(delivered.path("huggingface").path("time").asText());
            assertThat(Instant.parse(header(binary, "ce_time"))).isBetween(started, ended);
            assertThat(header(binary, "ce_subject")).isEqualTo("checkpoint-1000");
            assertThat(header(binary, "content-type")).isEqualTo("application/json");
            assertThat(JSON.readTree(binary.value())).isEqualTo(JSON.valueToTree(Map.of(
                    "project", "llm",
                    "run", "run-42",
                    "version", "checkpoint-1000",
                    "uri", "file://" + jobDirectory + "/huggingface/run-42/checkpoint-1000/",
                    "labels", Map.of("step", "1000", "epoch", "2"))));

            ConsumerRecord<String, String> structured = kafka.awaitRecord(TOPIC,
                    record -> record.value().contains(lightningId), RECORD_TIMEOUT);
            assertThat(structured.key()).isEqualTo("llm/run-7");
            assertThat(headerNames(structured)).containsExactly("content-type");
            assertThat(header(structured, "content-type")).isEqualTo("application/cloudevents+json");
            JsonNode event = JSON.readTree(structured.value());
            assertThat(UUID.fromString(event.path("id").asText()).version()).isEqualTo(4);
            assertThat(Instant.parse(event.path("time").asText())).isBetween(started, ended);
            assertThat(event).isEqualTo(JSON.valueToTree(Map.of(
                    "specversion", "1.0",
                    "id", lightningId,
                    "source", "/training/llm/run-7",
                    "type", "roam.checkpoint.saved",
                    "time", delivered.path("lightning").path("time").asText(),
                    "subject", "checkpoint-500",
                    "datacontenttype", "application/json",
                    "data", Map.of(
                            "project", "llm",
                            "run", "run-7",
                            "version", "checkpoint-500",
                            "uri", "s3://ckpt/run-7/checkpoints/epoch=1-step=500.ckpt",
                            "labels", Map.of("step", "500", "epoch", "1", "file", "epoch=1-step=500.ckpt")))));

            // Neither the save on rank 1 nor Lightning's last.ckpt, overwritten at every save, was announced.
            await().during(Duration.ofSeconds(1)).atMost(RECORD_TIMEOUT)
                    .untilAsserted(() -> assertThat(kafka.records(TOPIC)).hasSize(2));
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), UTF_8);
    }

    private static List<String> headerNames(ConsumerRecord<String, String> record) {
        return StreamSupport.stream(record.headers().spliterator(), false).map(Header::key).toList();
    }
}
