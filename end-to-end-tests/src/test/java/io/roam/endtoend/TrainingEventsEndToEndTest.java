package io.roam.endtoend;

import static io.roam.endtoend.RoamUnderTest.gateway;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.roam.contracts.messages.Topics;
import io.roam.infrastructure.testing.KafkaTestClient;
import io.roam.storage.Location;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageOutputStream;
import io.roam.storage.testing.TestContent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A training job announces its checkpoints with CloudEvents and does nothing else: the project's
 * replication policy copies each to S3 and Azure, verified; a restarted job finds the nearest copy;
 * retention deletes the oldest; the integrity audit catches a tampered copy; poison events go to the
 * dead-letter topic without blocking the ones behind them.
 */
@ExtendWith(RoamUnderTest.class)
class TrainingEventsEndToEndTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final Map<String, TestContent> CHECKPOINT = Map.of(
            "model.safetensors", new TestContent(201, 3L * 1024 * 1024 + 5),
            "optimizer/rank-0.pt", new TestContent(202, 256 * 1024),
            "trainer_state.json", new TestContent(203, 97));

    private final String project = "vision-" + UUID.randomUUID().toString().substring(0, 8);
    private final String run = "resnet-" + UUID.randomUUID().toString().substring(0, 8);
    private KafkaProducer<String, String> producer;
    private KafkaTestClient kafka;

    @BeforeEach
    void connect() {
        Properties settings = new Properties();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RoamUnderTest.kafkaBootstrapServers());
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer());
        kafka = new KafkaTestClient(RoamUnderTest.kafkaBootstrapServers());
    }

    @AfterEach
    void disconnect() {
        producer.close();
        kafka.close();
    }

    @Test
    void checkpointEventsAloneLeadToVerifiedReplicasAtEveryPolicyTargetKeepingTheLastTwo() throws IOException {
        String s3Template = "s3://" + RoamUnderTest.S3_REPLICA_BUCKET + "/{project}/{run}/{version}/";
        String azureTemplate = "abfs://" + RoamUnderTest.AZURE_REPLICA_CONTAINER + "/{project}/{run}/{version}/";
        gateway().contentType(ContentType.JSON)
                .body(Map.of("project", project, "name", "checkpoints-to-clouds", "kinds", List.of("checkpoint"),
                        "namePattern", "resnet-*", "targets", List.of(s3Template, azureTemplate), "keepLast", 2))
                .post("/v1/policies").then().statusCode(201);

        List<String> artifactIds = new ArrayList<>();
        for (int step = 1; step <= 3; step++) {
            String version = "checkpoint-" + step * 100;
            Location saved = writeCheckpoint(version);
            if (step == 2) {
                publishStructured(event("roam.checkpoint.saved", version, saved.toString()));
            }
            else {
                publishBinary(event("roam.checkpoint.saved", version, saved.toString()));
            }
            artifactIds.add(awaitReplicasAvailable(version, 3));
        }

        String newest = artifactIds.get(2);
        Location s3Copy = Location.parse(s3Template.replace("{project}", project).replace("{run}", run).replace("{version}", "checkpoint-300"));
        Location azureCopy = Location.parse(azureTemplate.replace("{project}", project).replace("{run}", run)
                .replace("{version}", "checkpoint-300"));
        assertCheckpointAt(s3Copy);
        assertCheckpointAt(azureCopy);
        JsonPath artifact = gateway().get("/v1/artifacts/{id}", newest).then().statusCode(200).extract().jsonPath();
        assertThat(artifact.getString("labels.step")).isEqualTo("300");
        assertThat(artifact.<String>getList("replicas.digest")).containsOnly(artifact.getString("manifest.digest"));

        // A restarted run asks for the nearest verified copy of its latest checkpoint.
        JsonPath latest = gateway().queryParam("project", project).queryParam("kind", "checkpoint").queryParam("name", run)
                .get("/v1/artifacts/latest").then().statusCode(200).extract().jsonPath();
        assertThat(latest.getString("id")).isEqualTo(newest);
        assertResolves(newest, "azure-east", azureCopy.toString(), "PROFILE");
        assertResolves(newest, "lab-s3", s3Copy.toString(), "PROFILE");
        assertResolves(newest, "eastus", azureCopy.toString(), "REGION");
        assertResolves(newest, "us-east-1", s3Copy.toString(), "REGION");
        assertResolves(newest, "lab", localCheckpoint("checkpoint-300").toString(), "REGION");
        assertThat(resolve(newest, "gcs-eu").getString("match")).isEqualTo("ANY");

        // Retention: the policy keeps two versions per target, so the first checkpoint's copies go.
        String oldest = artifactIds.get(0);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(replicaStates(oldest))
                .containsEntry(policyCopy(s3Template, "checkpoint-100"), "DELETED")
                .containsEntry(policyCopy(azureTemplate, "checkpoint-100"), "DELETED")
                .containsEntry(localCheckpoint("checkpoint-100").toString(), "AVAILABLE"));
        assertThat(RoamUnderTest.storage().fileSystem(Location.parse(policyCopy(s3Template, "checkpoint-100")))
                .list(Location.parse(policyCopy(s3Template, "checkpoint-100"))).hasNext()).isFalse();
        assertThat(replicaStates(artifactIds.get(1))).containsValue("AVAILABLE").doesNotContainValue("DELETED");

        // Integrity audit: a copy changed behind Roam's back is marked stale, with the file named.
        write(s3Copy.resolve("trainer_state.json"), new TestContent(999, 97));
        String replicaId = artifact.<Map<String, Object>>getList("replicas").stream()
                .filter(replica -> s3Copy.toString().equals(replica.get("location"))).map(replica -> (String) replica.get("id"))
                .findFirst().orElseThrow();
        gateway().post("/v1/artifacts/{artifact}/replicas/{replica}/verification", newest, replicaId).then().statusCode(202);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(replicaStates(newest)).containsEntry(s3Copy.toString(), "STALE"));
        JsonPath stale = gateway().get("/v1/artifacts/{id}/replicas", newest).then().statusCode(200).extract().jsonPath();
        assertThat(stale.<String>getList("findAll { it.state == 'STALE' }.stateReason").getFirst())
                .contains("'trainer_state.json' has other content");
        // A stale copy is never served: nearest to the S3 profile is now a copy on another cloud.
        assertThat(resolve(newest, "lab-s3").getString("replica.location")).isNotEqualTo(s3Copy.toString());
        assertThat(resolve(newest, "lab-s3").getString("match")).isEqualTo("ANY");
    }

    @Test
    void theSameEventOverHttpIsAcceptedOnceAndABadOneIsRefusedWithEveryReason() throws IOException {
        Location saved = writeCheckpoint("checkpoint-1");
        String id = UUID.randomUUID().toString();
        Map<String, Object> data = Map.of("project", project, "run", run, "version", "checkpoint-1", "uri", saved.toString(),
                "labels", Map.of("step", "1"));

        JsonPath first = postBinary(id, "roam.dataset.registered", data).then().statusCode(202).extract().jsonPath();
        JsonPath again = gateway().contentType("application/cloudevents+json")
                .body(Map.of("specversion", "1.0", "id", id, "source", "/training/" + project + "/" + run,
                        "type", "roam.dataset.registered", "datacontenttype", "application/json", "data", data))
                .post("/v1/events").then().statusCode(202).extract().jsonPath();

        assertThat(again.getString("artifactId")).isEqualTo(first.getString("artifactId"));
        JsonPath artifact = gateway().get("/v1/artifacts/{id}", first.getString("artifactId")).then().statusCode(200)
                .extract().jsonPath();
        assertThat(artifact.getString("kind")).isEqualTo("dataset");
        assertThat(artifact.<String>getList("replicas.location")).containsExactly(saved.toString());
        postBinary(UUID.randomUUID().toString(), "roam.weights.saved", Map.of("project", "Not A Project", "run", run,
                "version", "v1", "uri", "file:///etc/passwd", "extra", "x"))
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        postBinary(UUID.randomUUID().toString(), "roam.model.saved", Map.of("project", "Not A Project", "run", run,
                "version", "v1", "uri", "file:///etc/passwd"))
                .then()
                .statusCode(400)
                .body("errors.field", containsInAnyOrder("data.project", "data.uri"));
    }

    @Test
    void poisonEventsGoToTheDeadLetterTopicWithTheReasonAndDoNotBlockTheEventsBehindThem() throws IOException {
        String key = project + "/" + run;
        Map<String, String> valid = event("roam.checkpoint.saved", "checkpoint-9", writeCheckpoint("checkpoint-9").toString());
        List<ProducerRecord<String, String>> poison = List.of(
                record(key, "{\"project\":", Map.of("ce_specversion", "1.0", "ce_id", "poison-1", "ce_source", "/t",
                        "ce_type", "roam.checkpoint.saved", "content-type", "application/json")),
                record(key, "{\"project\":\"" + project + "\"}", Map.of("ce_specversion", "1.0", "ce_id", "poison-2",
                        "ce_source", "/t", "content-type", "application/json")),
                record(key, valid.get("data"), Map.of("ce_specversion", "1.0", "ce_id", "poison-3", "ce_source", "/t",
                        "ce_type", "roam.weights.saved", "content-type", "application/json")),
                record(key, valid.get("data").replace("file://", "file:///no-profile-serves-this"), Map.of("ce_specversion",
                        "1.0", "ce_id", "poison-4", "ce_source", "/t", "ce_type", "roam.checkpoint.saved",
                        "content-type", "application/json")),
                record(key, valid.get("data"), Map.of("ce_specversion", "0.3", "ce_id", "poison-5", "ce_source", "/t",
                        "ce_type", "roam.checkpoint.saved", "content-type", "application/json")),
                record(key, "not json at all", Map.of("content-type", "application/cloudevents+json")));
        poison.forEach(this::send);
        publishBinary(valid);

        awaitReplicasAvailable("checkpoint-9", 1);
        Map<String, String> reasons = new HashMap<>();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            for (ConsumerRecord<String, String> deadLetter : kafka.records(Topics.TRAINING_EVENTS_DEAD_LETTER)) {
                if (key.equals(deadLetter.key())) {
                    reasons.put(header(deadLetter, "ce_id"), header(deadLetter, "dead-letter-reason"));
                }
            }
            assertThat(reasons).hasSize(poison.size());
        });
        assertThat(reasons.get("poison-1")).contains("data: is not the data of a training event");
        assertThat(reasons.get("poison-2")).contains("type: is required");
        assertThat(reasons.get("poison-3")).contains("unknown event type 'roam.weights.saved'");
        assertThat(reasons.get("poison-4")).contains("data.uri: no storage profile serves");
        assertThat(reasons.get("poison-5")).contains("specversion: must be 1.0");
        assertThat(reasons.get(null)).contains("body: is not JSON");
        String metrics = gateway().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("roam_training_events_total\\{outcome=\"dead-lettered\"[^}]*} [1-9]");
    }

    private String awaitReplicasAvailable(String version, int replicas) {
        JsonPath page = await().atMost(TIMEOUT).until(
                () -> gateway().queryParam("project", project).queryParam("name", run).get("/v1/artifacts").then().statusCode(200)
                        .extract().jsonPath(),
                listing -> listing.<String>getList("artifacts.findAll { it.version == '" + version + "' }.id").size() == 1);
        String artifactId = page.<String>getList("artifacts.findAll { it.version == '" + version + "' }.id").getFirst();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(replicaStates(artifactId))
                .hasSize(replicas)
                .allSatisfy((location, state) -> assertThat(state).as(location).isEqualTo("AVAILABLE")));
        return artifactId;
    }

    private static Map<String, String> replicaStates(String artifactId) {
        JsonPath replicas = gateway().get("/v1/artifacts/{id}/replicas", artifactId).then().statusCode(200).extract().jsonPath();
        Map<String, String> states = new HashMap<>();
        List<String> locations = replicas.getList("location");
        List<String> stateList = replicas.getList("state");
        for (int index = 0; index < locations.size(); index++) {
            states.put(locations.get(index), stateList.get(index));
        }
        return states;
    }

    private static void assertResolves(String artifactId, String near, String location, String match) {
        JsonPath resolution = resolve(artifactId, near);
        assertThat(resolution.getString("replica.location")).as("nearest to %s", near).isEqualTo(location);
        assertThat(resolution.getString("match")).as("nearest to %s", near).isEqualTo(match);
    }

    private static JsonPath resolve(String artifactId, String near) {
        return gateway().queryParam("near", near).get("/v1/artifacts/{id}/resolve", artifactId).then().statusCode(200)
                .extract().jsonPath();
    }

    private String policyCopy(String template, String version) {
        return template.replace("{project}", project).replace("{run}", run).replace("{version}", version);
    }

    private Location localCheckpoint(String version) {
        return Location.parse("file://" + RoamUnderTest.LOCAL_STORAGE + "/" + project + "/" + run + "/" + version + "/");
    }

    private Location writeCheckpoint(String version) throws IOException {
        Location directory = localCheckpoint(version);
        for (Map.Entry<String, TestContent> file : CHECKPOINT.entrySet()) {
            write(directory.resolve(file.getKey()), file.getValue());
        }
        return directory;
    }

    private static void write(Location file, TestContent content) throws IOException {
        StorageFileSystem fileSystem = RoamUnderTest.storage().fileSystem(file);
        try (InputStream input = content.newInputStream(); StorageOutputStream output = fileSystem.openWrite(file)) {
            input.transferTo(output);
        }
    }

    private static void assertCheckpointAt(Location directory) throws IOException {
        StorageFileSystem fileSystem = RoamUnderTest.storage().fileSystem(directory);
        for (Map.Entry<String, TestContent> file : CHECKPOINT.entrySet()) {
            try (InputStream copy = fileSystem.openRead(directory.resolve(file.getKey()), 0)) {
                assertThat(TestContent.sha256Of(copy)).as(file.getKey()).isEqualTo(file.getValue().sha256());
            }
        }
    }

    /** The attributes and data of a training event, as the Python callbacks build it. */
    private Map<String, String> event(String type, String version, String uri) {
        String step = version.substring(version.indexOf('-') + 1);
        return Map.of("id", UUID.randomUUID().toString(), "source", "/training/" + project + "/" + run, "type", type,
                "subject", version, "time", Instant.now().toString(),
                "data", "{\"project\":\"" + project + "\",\"run\":\"" + run + "\",\"version\":\"" + version + "\",\"uri\":\""
                        + uri + "\",\"labels\":{\"step\":\"" + step + "\"}}");
    }

    private void publishBinary(Map<String, String> event) {
        send(record(project + "/" + run, event.get("data"), Map.of("ce_specversion", "1.0", "ce_id", event.get("id"),
                "ce_source", event.get("source"), "ce_type", event.get("type"), "ce_time", event.get("time"),
                "ce_subject", event.get("subject"), "content-type", "application/json")));
    }

    private void publishStructured(Map<String, String> event) {
        String structured = "{\"specversion\":\"1.0\",\"id\":\"" + event.get("id") + "\",\"source\":\"" + event.get("source")
                + "\",\"type\":\"" + event.get("type") + "\",\"time\":\"" + event.get("time") + "\",\"subject\":\""
                + event.get("subject") + "\",\"datacontenttype\":\"application/json\",\"data\":" + event.get("data") + "}";
        send(record(project + "/" + run, structured, Map.of("content-type", "application/cloudevents+json")));
    }

    private static ProducerRecord<String, String> record(String key, String value, Map<String, String> headers) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.TRAINING_EVENTS, key, value);
        headers.forEach((name, headerValue) -> record.headers().add(name, headerValue.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    private void send(ProducerRecord<String, String> record) {
        try {
            producer.send(record).get();
        }
        catch (Exception failure) {
            throw new IllegalStateException("could not publish a training event", failure);
        }
    }

    private Response postBinary(String id, String type, Map<String, Object> data) {
        return gateway().contentType(ContentType.JSON)
                .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/training/" + project + "/" + run)
                .header("ce-type", type)
                .body(data)
                .post("/v1/events");
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return record.headers().lastHeader(name) == null ? null
                : new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
