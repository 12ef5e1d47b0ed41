package io.roam.endtoend;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.roam.contracts.messages.Topics;
import io.roam.infrastructure.KafkaBroker;
import io.roam.infrastructure.KafkaNames;
import io.roam.infrastructure.KafkaUser;
import io.roam.infrastructure.QuarkusApplication;
import io.roam.infrastructure.WorkDirectories;
import io.roam.local.RoamStack;
import io.roam.local.RoamStack.KafkaAuthentication;
import io.roam.storage.Location;
import io.roam.storage.StorageProfile;
import io.roam.storage.config.StorageConfiguration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may announce artifacts over Kafka is decided twice: the broker authenticates every producer (SASL/SCRAM) and its
 * ACLs decide which topic each may write; the gateway then accepts on {@code roam.training-events.<project>} only
 * events of that project. A stack of its own runs on a secured broker, each service authenticating as its own SCRAM
 * user; the training job {@code trainer-llm} may write {@code roam.training-events.llm} only. Its checkpoint of
 * project {@code llm} is registered and replicated by the project's policy; the same job cannot announce an artifact
 * of project {@code vision}, neither through its own topic (dead-lettered with the reason) nor through vision's topic
 * (refused by the broker); and with a wrong password it cannot produce at all.
 */
class KafkaProducerTrustTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final Path WORK_DIRECTORY = RoamUnderTest.WORK_DIRECTORY.resolveSibling("kafka-trust-" + ProcessHandle.current().pid());
    private static final Path LOCAL_STORAGE = WORK_DIRECTORY.resolve("storage");
    private static final String LLM_TOPIC = Topics.TRAINING_EVENTS + ".llm";
    private static final String VISION_TOPIC = Topics.TRAINING_EVENTS + ".vision";

    private static final Path PYTHON_CLIENT = Path.of("..", "clients", "python").toAbsolutePath().normalize();
    /** A Hugging Face trainer's save as the Python client's callback sees it, announced as the environment says. */
    private static final String HUGGING_FACE_JOB = """
            import logging, sys
            from roam_events.huggingface import RoamCheckpointCallback
            from tests.stand_ins import save_hugging_face_checkpoint, trainer_state, training_arguments
            logging.basicConfig(level=logging.INFO, stream=sys.stdout)
            output_dir = sys.argv[1]
            save_hugging_face_checkpoint(output_dir, 1000)
            callback = RoamCheckpointCallback(on_failure="raise")
            callback.on_save(training_arguments(output_dir), trainer_state(1000, 2.0), control=None)
            callback.on_train_end(training_arguments(output_dir), None, None)
            """;

    private static RoamStack stack;
    private static KafkaUser trainer;

    @BeforeAll
    static void startAStackOnASecuredBroker() throws IOException {
        deleteDirectoriesOfEndedRuns();
        WorkDirectories.deleteRecursively(WORK_DIRECTORY);
        Files.createDirectories(LOCAL_STORAGE);
        StorageProfile local = new StorageProfile("local", "local", List.of(Location.parse("file://" + LOCAL_STORAGE + "/")),
                Optional.empty(), Optional.empty(), Map.of());
        stack = RoamStack.start(new RoamStack.Settings(Path.of("..").toAbsolutePath().normalize(), WORK_DIRECTORY,
                StorageConfiguration.toConfiguration(local), Optional.empty(), Optional.empty())
                .withKafkaAuthentication(KafkaAuthentication.SCRAM));

        KafkaBroker broker = stack.kafkaBroker();
        broker.createTopics(Map.of(LLM_TOPIC, 1, VISION_TOPIC, 1));
        trainer = KafkaUser.withRandomPassword("trainer-llm");
        broker.createUser(trainer);
        broker.allowWriting(trainer.name(), KafkaNames.exactly(LLM_TOPIC));
    }

    /** The work directories of earlier runs of this class whose process has ended; this one's stays for its logs. */
    private static void deleteDirectoriesOfEndedRuns() throws IOException {
        Path runs = WORK_DIRECTORY.getParent();
        if (!Files.isDirectory(runs)) {
            return;
        }
        try (Stream<Path> directories = Files.list(runs)) {
            directories.filter(directory -> directory.getFileName().toString().matches("kafka-trust-\\d+"))
                    .filter(directory -> ProcessHandle.of(Long.parseLong(directory.getFileName().toString().substring(12)))
                            .map(process -> !process.isAlive()).orElse(true))
                    .forEach(WorkDirectories::deleteRecursively);
        }
    }

    @AfterAll
    static void stopTheStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aCheckpointOfItsProjectOnItsProjectTopicIsRegisteredAndReplicatedByThePolicy() throws Exception {
        String run = "llama-" + UUID.randomUUID().toString().substring(0, 8);
        String target = "file://" + LOCAL_STORAGE + "/replicas/{project}/{run}/{version}/";
        gateway().contentType(ContentType.JSON)
                .body(Map.of("project", "llm", "name", "checkpoints-to-replicas-" + run, "kinds", List.of("checkpoint"),
                        "namePattern", run, "targets", List.of(target), "keepLast", 2))
                .post("/v1/policies").then().statusCode(201);
        Location checkpoint = writeCheckpoint("llm", run, "checkpoint-100");

        try (KafkaProducer<String, String> producer = producer(trainer)) {
            producer.send(checkpointEvent(LLM_TOPIC, "llm", run, "checkpoint-100", checkpoint)).get(30, TimeUnit.SECONDS);
        }

        String artifactId = await().atMost(TIMEOUT).until(() -> artifactIds("llm", run), ids -> ids.size() == 1).getFirst();
        String copy = target.replace("{project}", "llm").replace("{run}", run).replace("{version}", "checkpoint-100");
        Map<String, Object> replica = await().atMost(TIMEOUT).until(() -> replica(artifactId, copy),
                found -> found != null && "AVAILABLE".equals(found.get("state")));
        gateway().get("/v1/transfers/{id}", replica.get("transferId")).then().statusCode(200)
                .body("state", equalTo("SUCCEEDED"))
                .body("project", equalTo("llm"));
        assertThat(LOCAL_STORAGE.resolve("replicas/llm").resolve(run).resolve("checkpoint-100/trainer_state.json"))
                .hasContent("{\"step\":100}");
    }

    @Test
    void anEventOfAnotherProjectOnItsProjectTopicIsDeadLetteredWithTheReasonAndNothingIsRegistered() throws Exception {
        String run = "stolen-" + UUID.randomUUID().toString().substring(0, 8);
        Location checkpoint = writeCheckpoint("vision", run, "checkpoint-1");
        ProducerRecord<String, String> event = checkpointEvent(LLM_TOPIC, "vision", run, "checkpoint-1", checkpoint);
        String eventId = header(event.headers().lastHeader("ce_id").value());

        try (KafkaProducer<String, String> producer = producer(trainer)) {
            producer.send(event).get(30, TimeUnit.SECONDS);
        }

        ConsumerRecord<String, String> deadLetter = awaitDeadLetter(eventId);
        assertThat(header(deadLetter.headers().lastHeader("dead-letter-reason").value()))
                .contains("topic " + LLM_TOPIC + " may not carry events of project vision");
        assertThat(artifactIds("vision", run)).isEmpty();
    }

    @Test
    void theBrokerRefusesItsRecordsOnAnotherProjectsTopic() throws IOException {
        Location checkpoint = writeCheckpoint("vision", "resnet-1", "checkpoint-1");

        try (KafkaProducer<String, String> producer = producer(trainer)) {
            assertThat(sendFailure(producer, checkpointEvent(VISION_TOPIC, "vision", "resnet-1", "checkpoint-1", checkpoint)))
                    .isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void aProducerWithAWrongPasswordCannotProduceAtAll() throws IOException {
        Location checkpoint = writeCheckpoint("llm", "llama-wrong-password", "checkpoint-1");
        KafkaUser impostor = new KafkaUser(trainer.name(), "not-" + trainer.password());

        try (KafkaProducer<String, String> producer = producer(impostor)) {
            assertThat(sendFailure(producer, checkpointEvent(LLM_TOPIC, "llm", "llama-wrong-password", "checkpoint-1", checkpoint)))
                    .isInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void aHuggingFaceJobConfiguredFromTheEnvironmentAnnouncesItsCheckpointOnItsProjectTopicAsItsScramUser() throws Exception {
        Path outputDirectory = LOCAL_STORAGE.resolve("llm").resolve("bert-python");
        ProcessBuilder job = new ProcessBuilder(python(), "-c", HUGGING_FACE_JOB, outputDirectory.toString())
                .directory(PYTHON_CLIENT.toFile())
                .redirectErrorStream(true);
        job.environment().putAll(Map.of("PYTHONPATH", PYTHON_CLIENT.toString(), "ROAM_PROJECT", "llm",
                "ROAM_KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers(),
                "ROAM_KAFKA_TOPIC", "roam.training-events.{project}",
                "ROAM_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "ROAM_KAFKA_SASL_USERNAME", trainer.name(),
                "ROAM_KAFKA_SASL_PASSWORD", trainer.password()));
        Process process = job.start();
        boolean exited = process.waitFor(2, TimeUnit.MINUTES);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(exited).as("the training job finished: %s", output).isTrue();
        assertThat(process.exitValue()).as("the training job's exit status; its output: %s", output).isZero();
        assertThat(output).contains("to " + LLM_TOPIC + " partition").doesNotContain(trainer.password());
        await().atMost(TIMEOUT).until(() -> artifactIds("llm", "bert-python"), ids -> ids.size() == 1);
    }

    @Test
    void theServicesKafkaPasswordsAreNotOnTheirCommandLines() {
        for (QuarkusApplication service : List.of(stack.gateway(), stack.catalog(), stack.worker())) {
            assertThat(ProcessHandle.of(service.pid()).orElseThrow().info().commandLine().orElseThrow())
                    .as("command line of %s", service.name())
                    .contains("-Dkafka.sasl.mechanism=SCRAM-SHA-512")
                    .doesNotContain("ScramLoginModule", "password=");
        }
    }

    private static RequestSpecification gateway() {
        return given().baseUri(stack.gatewayUrl().toString()).header("Authorization", "Bearer " + stack.adminToken());
    }

    private static List<String> artifactIds(String project, String run) {
        return gateway().queryParam("project", project).queryParam("name", run).get("/v1/artifacts").then().statusCode(200)
                .extract().jsonPath().getList("artifacts.id");
    }

    /** The replica of the artifact at {@code location}, or null while there is none. */
    private static Map<String, Object> replica(String artifactId, String location) {
        return gateway().get("/v1/artifacts/{id}/replicas", artifactId).then().statusCode(200).extract().jsonPath()
                .getMap("find { it.location == '" + location + "' }");
    }

    private static Location writeCheckpoint(String project, String run, String version) throws IOException {
        Path directory = Files.createDirectories(LOCAL_STORAGE.resolve(project).resolve(run).resolve(version));
        String step = version.substring(version.indexOf('-') + 1);
        Files.writeString(directory.resolve("trainer_state.json"), "{\"step\":" + step + "}");
        Files.write(directory.resolve("model.safetensors"), new byte[64 * 1024]);
        return Location.parse("file://" + directory + "/");
    }

    /** A checkpoint event in binary mode, as the Python callbacks publish it. */
    private static ProducerRecord<String, String> checkpointEvent(String topic, String project, String run, String version,
            Location uri) {
        String data = "{\"project\":\"" + project + "\",\"run\":\"" + run + "\",\"version\":\"" + version + "\",\"uri\":\"" + uri
                + "\"}";
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, project + "/" + run, data);
        Map.of("ce_specversion", "1.0", "ce_id", UUID.randomUUID().toString(), "ce_source", "/training/" + project + "/" + run,
                "ce_type", "roam.checkpoint.saved", "ce_time", Instant.now().toString(), "ce_subject", version,
                "content-type", "application/json")
                .forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    private static KafkaProducer<String, String> producer(KafkaUser user) {
        Map<String, Object> settings = new HashMap<>(user.clientSettings());
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        return new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer());
    }

    /** What kept the record from the broker, whether {@code send} threw it or its future failed with it. */
    private static Throwable sendFailure(KafkaProducer<String, String> producer, ProducerRecord<String, String> record) {
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        }
        catch (ExecutionException failure) {
            return failure.getCause();
        }
        catch (Exception failure) {
            return failure;
        }
        throw new AssertionError("the broker accepted a record on " + record.topic());
    }

    /** Reads the dead-letter topic from its beginning as the broker's administrator, without a consumer group. */
    private static ConsumerRecord<String, String> awaitDeadLetter(String eventId) {
        Map<String, Object> settings = new HashMap<>(stack.kafkaBroker().administrator().orElseThrow().clientSettings());
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.TRAINING_EVENTS_DEAD_LETTER).stream()
                    .map(partition -> new TopicPartition(partition.topic(), partition.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return await().atMost(TIMEOUT).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(received::add);
                return received.stream().filter(record -> record.headers().lastHeader("ce_id") != null
                        && eventId.equals(header(record.headers().lastHeader("ce_id").value()))).findFirst().orElse(null);
            }, found -> found != null);
        }
    }

    /** The Debian interpreter, which has kafka-python (installed by bin/test-tools.sh); any python3 otherwise. */
    private static String python() {
        return Path.of("/usr/bin/python3").toFile().canExecute() ? "/usr/bin/python3" : "python3";
    }

    private static String header(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }
}
