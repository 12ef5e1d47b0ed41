package io.roam.endtoend;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.roam.contracts.messages.Topics;
import io.roam.endtoend.OtlpTraceReceiver.ExportedSpan;
import io.roam.infrastructure.QuarkusApplication;
import io.roam.infrastructure.WorkDirectories;
import io.roam.infrastructure.testing.KafkaTestClient;
import io.roam.local.RoamStack;
import io.roam.storage.Location;
import io.roam.storage.StorageProfile;
import io.roam.storage.StorageRouter;
import io.roam.storage.config.StorageConfiguration;
import io.roam.storage.s3.testing.S3ProxyServer;
import io.roam.storage.testing.TestContent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What an operator sees of Roam, on a stack of its own whose services export traces to an in-memory
 * collector and log JSON as in production: the Prometheus series after real transfers, one trace from
 * the gateway's request through Kafka to the worker's copy and the catalog's update, JSON log lines
 * with the transfer's ids and no secret, and a worker stopped with SIGTERM in the middle of a large
 * copy that exits within its grace period and leaves the transfer to the next worker, which finishes it.
 */
class OperationsEndToEndTest {

    private static final Path WORK_DIRECTORY = Path.of("target", "operations").toAbsolutePath();
    private static final Path LOCAL_STORAGE = WORK_DIRECTORY.resolve("storage");
    private static final String BUCKET = "operations-replicas";
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    /** Short, so that a large transfer is still running when it ends and must be left for another worker. */
    private static final Duration SHUTDOWN_GRACE_PERIOD = Duration.ofSeconds(2);
    /** What the worker may take beyond its grace period: stopping the writes in flight and leaving the consumer group. */
    private static final Duration SHUTDOWN_MARGIN = Duration.ofSeconds(20);

    private static S3ProxyServer s3;
    private static OtlpTraceReceiver traces;
    private static RoamStack stack;
    private static StorageRouter storage;

    @BeforeAll
    static void startStack() throws IOException {
        WorkDirectories.deleteRecursively(WORK_DIRECTORY);
        Files.createDirectories(LOCAL_STORAGE);
        s3 = S3ProxyServer.start(WORK_DIRECTORY.resolve("s3proxy"));
        s3.createBucket(BUCKET);
        traces = OtlpTraceReceiver.start();
        // Small parts sent one at a time keep a large copy going long enough to stop the worker in its middle.
        List<StorageProfile> profiles = List.of(
                new StorageProfile("local", "local", List.of(Location.parse("file://" + LOCAL_STORAGE + "/")), Optional.empty(),
                        Optional.empty(), Map.of()),
                s3.profile("operations-s3", List.of(Location.parse("s3://" + BUCKET + "/")),
                        Map.of("part-size", "5MiB", "upload-concurrency", "1")));
        Map<String, String> storageConfiguration = new HashMap<>();
        profiles.forEach(profile -> storageConfiguration.putAll(StorageConfiguration.toConfiguration(profile)));
        Map<String, String> operations = Map.of(
                "quarkus.otel.sdk.disabled", "false",
                "quarkus.otel.exporter.otlp.endpoint", traces.endpoint().toString(),
                "quarkus.otel.exporter.otlp.protocol", "http/protobuf",
                "quarkus.otel.bsp.schedule.delay", "200ms",
                "quarkus.log.console.json.enabled", "true",
                "roam.worker.shutdown.grace-period", SHUTDOWN_GRACE_PERIOD.toMillis() + "ms");
        storage = new StorageRouter(profiles);
        stack = RoamStack.start(new RoamStack.Settings(Path.of("..").toAbsolutePath().normalize(), WORK_DIRECTORY,
                storageConfiguration, Optional.empty(), Optional.empty(), operations));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
        if (storage != null) {
            storage.close();
        }
        if (traces != null) {
            traces.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void metricsShowBytesPerBackendPairDurationsFailuresInFlightTransfersConsumerLagAndDeadLetters() throws IOException {
        String run = "metrics-" + UUID.randomUUID();
        Path checkpoint = LOCAL_STORAGE.resolve(run);
        TestContent model = new TestContent(601, 7L * 1024 * 1024 + 3);
        TestContent optimizer = new TestContent(602, 300_000);
        write(checkpoint.resolve("model.safetensors"), model);
        write(checkpoint.resolve("optimizer.pt"), optimizer);
        double bytesBefore = metric(worker(), "roam_transfer_bytes_total", Map.of("source_backend", "local", "target_backend", "s3"));

        String copied = replicate(run, "file://" + checkpoint + "/", "s3://" + BUCKET + "/" + run + "/").getString("transfers[0].id");
        assertThat(awaitFinished(copied).getString("state")).isEqualTo("SUCCEEDED");
        String missing = replicate(run + "-missing", "file://" + LOCAL_STORAGE + "/no-such-checkpoint/", "s3://" + BUCKET + "/missing/")
                .getString("transfers[0].id");
        assertThat(awaitFinished(missing).getString("error.code")).isEqualTo("SOURCE_NOT_FOUND");
        try (KafkaTestClient kafka = new KafkaTestClient(stack.kafkaBootstrapServers())) {
            kafka.send(Topics.TRANSFER_REQUESTS, "poison-" + run, "not a transfer request");
            kafka.send(Topics.TRANSFER_EVENTS, "poison-" + run, "not a transfer event");
        }

        await().atMost(TIMEOUT).untilAsserted(() -> {
            String worker = worker();
            assertThat(metric(worker, "roam_transfer_bytes_total", Map.of("source_backend", "local", "target_backend", "s3")) - bytesBefore)
                    .as("bytes copied from local to s3").isEqualTo((double) (model.size() + optimizer.size()));
            assertThat(metric(worker, "roam_transfer_duration_seconds_count", Map.of("purpose", "replication", "outcome", "succeeded")))
                    .isGreaterThanOrEqualTo(1);
            assertThat(metric(worker, "roam_transfer_duration_seconds_sum", Map.of("purpose", "replication", "outcome", "succeeded")))
                    .isPositive().isLessThan(TIMEOUT.toSeconds());
            assertThat(worker).contains("roam_transfer_duration_seconds_bucket{");
            assertThat(metric(worker, "roam_transfer_failures_total", Map.of("code", "SOURCE_NOT_FOUND", "retryable", "false")))
                    .isGreaterThanOrEqualTo(1);
            assertThat(metric(worker, "roam_transfers_in_flight", Map.of())).isZero();
            assertThat(metric(worker, "roam_transfer_throughput_bytes_per_second", Map.of())).isZero();
            assertThat(metric(worker, "roam_dead_letters_total", Map.of("topic", Topics.TRANSFER_REQUESTS_DEAD_LETTER)))
                    .isGreaterThanOrEqualTo(1);
            assertThat(worker).as("the consumer lag of the worker's Kafka consumers")
                    .containsPattern("(?m)^kafka_consumer_fetch_manager_records_lag\\w*\\{.*topic=\"" + Topics.TRANSFER_REQUESTS + "\"");
            assertThat(metric(scrape(stack.catalog()), "roam_dead_letters_total", Map.of("topic", Topics.TRANSFER_EVENTS_DEAD_LETTER)))
                    .isGreaterThanOrEqualTo(1);
        });
        assertThat(worker()).as("no label names a transfer, an artifact or a location")
                .doesNotContain(copied).doesNotContain(run).doesNotContain(LOCAL_STORAGE.toString());
    }

    @Test
    void oneTraceLinksTheGatewayRequestTheWorkersCopyAndTheCatalogUpdate() throws IOException {
        String run = "traced-" + UUID.randomUUID();
        Path checkpoint = LOCAL_STORAGE.resolve(run);
        write(checkpoint.resolve("model.safetensors"), new TestContent(611, 2L * 1024 * 1024));
        String transferId = replicate(run, "file://" + checkpoint + "/", "s3://" + BUCKET + "/" + run + "/").getString("transfers[0].id");
        assertThat(awaitFinished(transferId).getString("state")).isEqualTo("SUCCEEDED");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ExportedSpan copy = onlySpan("roam-transfer-worker", "roam.transfer", Map.of("roam.transfer.id", transferId));
            ExportedSpan update = onlySpan("roam-catalog", "roam.transfer-event",
                    Map.of("roam.transfer.id", transferId, "roam.transfer-event.type", "SUCCEEDED"));
            assertThat(update.traceId()).as("the catalog's update is in the worker's trace").isEqualTo(copy.traceId());
            assertThat(traces.spans()).as("the gateway's request is in the same trace")
                    .anySatisfy(span -> {
                        assertThat(span.service()).isEqualTo("roam-gateway");
                        assertThat(span.name()).isEqualTo("POST /v1/replications");
                        assertThat(span.traceId()).isEqualTo(copy.traceId());
                    });
        });
    }

    @Test
    void productionLogsAreJsonLinesWithTheTransferAndArtifactIdsAndNoSecret() throws IOException {
        String run = "logged-" + UUID.randomUUID();
        Path checkpoint = LOCAL_STORAGE.resolve(run);
        write(checkpoint.resolve("model.safetensors"), new TestContent(621, 1024 * 1024));
        JsonPath accepted = replicate(run, "file://" + checkpoint + "/", "s3://" + BUCKET + "/" + run + "/");
        String transferId = accepted.getString("transfers[0].id");
        String artifactId = accepted.getString("artifactId");
        assertThat(awaitFinished(transferId).getString("state")).isEqualTo("SUCCEEDED");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode succeeded = jsonLines(stack.worker().logFile()).stream()
                    .filter(line -> line.path("message").asText().startsWith("transfer " + transferId + " succeeded"))
                    .findFirst().orElseThrow(() -> new AssertionError("no JSON log line of the transfer's success"));
            assertThat(succeeded.path("level").asText()).isEqualTo("INFO");
            assertThat(succeeded.path("mdc").path("transferId").asText()).isEqualTo(transferId);
            assertThat(succeeded.path("mdc").path("artifactId").asText()).isEqualTo(artifactId);
            assertThat(succeeded.path("mdc").path("traceId").asText()).hasSize(32);
        });
        for (QuarkusApplication service : List.of(stack.gateway(), stack.worker(), stack.catalog())) {
            assertThat(Files.readString(service.logFile())).as("the log of %s", service.name())
                    .doesNotContain(s3.secretAccessKey());
        }
    }

    @Test
    void aWorkerStoppedWithSigtermMidTransferExitsWithinItsGracePeriodAndTheNextWorkerContinuesTheTransfer() throws IOException {
        String run = "sigterm-" + UUID.randomUUID();
        Path checkpoint = LOCAL_STORAGE.resolve(run);
        TestContent shard = new TestContent(631, 400L * 1024 * 1024 + 4321);
        TestContent config = new TestContent(632, 512);
        write(checkpoint.resolve("config.json"), config);
        write(checkpoint.resolve("model-00001-of-00001.safetensors"), shard);
        JsonPath accepted = replicate(run, "file://" + checkpoint + "/", "s3://" + BUCKET + "/" + run + "/");
        String transferId = accepted.getString("transfers[0].id");
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> transfer(transferId).getLong("bytesDone"), bytesDone -> bytesDone >= 20L * 1024 * 1024);

        Path stoppedWorkerLog = stack.worker().logFile();
        Duration exit = stack.stopWorker(SHUTDOWN_GRACE_PERIOD.plus(SHUTDOWN_MARGIN));

        JsonPath whenStopped = transfer(transferId);
        assertThat(whenStopped.getString("state")).as("the stopped worker reports no outcome").isEqualTo("RUNNING");
        assertThat(whenStopped.getLong("bytesDone")).as("stopped in the middle of the copy").isLessThan(shard.size());
        assertThat(Files.readString(stoppedWorkerLog)).contains("transfer " + transferId + " stopped by the worker's shutdown");
        System.out.printf("worker exited %d ms after SIGTERM (grace period %d ms), %d of %d bytes copied%n", exit.toMillis(),
                SHUTDOWN_GRACE_PERIOD.toMillis(), whenStopped.getLong("bytesDone"), shard.size() + config.size());

        stack.startAnotherWorker();
        JsonPath finished = awaitFinished(transferId);
        assertThat(finished.getString("state")).as("transfer: %s", finished.getString("error.message")).isEqualTo("SUCCEEDED");
        assertThat(finished.getLong("bytesDone")).isEqualTo(shard.size() + config.size());
        // The stopped worker handed its upload over instead of aborting it: the next one reused the stored parts.
        assertThat(metric(worker(), "roam_transfer_resumed_parts_total", Map.of())).as("parts the next worker did not send again")
                .isGreaterThan(0);
        Location shardCopy = Location.parse("s3://" + BUCKET + "/" + run + "/model-00001-of-00001.safetensors");
        try (InputStream written = storage.fileSystem(shardCopy).openRead(shardCopy, 0)) {
            assertThat(TestContent.sha256Of(written)).isEqualTo(shard.sha256());
        }
        JsonPath manifest = gateway().get("/v1/artifacts/{id}/manifest", accepted.getString("artifactId")).then().statusCode(200)
                .extract().jsonPath();
        assertThat(manifest.<String>getList("files.digest")).containsExactlyInAnyOrder(config.sha256().value(), shard.sha256().value());
        JsonPath replicas = gateway().get("/v1/artifacts/{id}/replicas", accepted.getString("artifactId")).then().statusCode(200)
                .extract().jsonPath();
        Map<String, Object> replica = replicas.<Map<String, Object>>getList("$").stream()
                .filter(candidate -> candidate.get("location").equals("s3://" + BUCKET + "/" + run + "/"))
                .findFirst().orElseThrow();
        assertThat(replica.get("state")).isEqualTo("AVAILABLE");
        assertThat(replica.get("verifiedAt")).isNotNull();
    }

    @Test
    void aTransferCancelledMidFileStopsAndLeavesNeitherAPartialFileNorItsUploadedParts() throws IOException {
        String run = "cancelled-" + UUID.randomUUID();
        Path checkpoint = LOCAL_STORAGE.resolve(run);
        TestContent shard = new TestContent(633, 300L * 1024 * 1024 + 17);
        write(checkpoint.resolve("model-00001-of-00001.safetensors"), shard);
        JsonPath accepted = replicate(run, "file://" + checkpoint + "/", "s3://" + BUCKET + "/" + run + "/");
        String transferId = accepted.getString("transfers[0].id");
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> transfer(transferId).getLong("bytesDone"), bytesDone -> bytesDone >= 20L * 1024 * 1024);

        gateway().delete("/v1/transfers/{id}", transferId).then().statusCode(202);

        JsonPath cancelled = awaitFinished(transferId);
        assertThat(cancelled.getString("state")).isEqualTo("CANCELLED");
        assertThat(cancelled.getLong("bytesDone")).as("stopped in the middle of the copy").isLessThan(shard.size());
        String key = run + "/model-00001-of-00001.safetensors";
        Location copy = Location.parse("s3://" + BUCKET + "/" + key);
        // The catalog ends the transfer when asked; the worker stops it and cleans up a moment later.
        try (S3Client client = s3.newClient()) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    client.listMultipartUploadsPaginator(request -> request.bucket(BUCKET).prefix(key)).uploads())
                    .as("multipart uploads of the cancelled file left behind").isEmpty());
        }
        assertThat(storage.fileSystem(copy).stat(copy)).as("the partial copy is not published").isEmpty();
    }

    private static JsonPath replicate(String run, String source, String target) {
        return gateway().contentType(ContentType.JSON)
                .body(Map.of("project", "operations",
                        "artifact", Map.of("kind", "checkpoint", "name", run, "version", "checkpoint-1"),
                        "source", source,
                        "targets", List.of(target)))
                .post("/v1/replications").then().statusCode(202)
                .extract().jsonPath();
    }

    private static JsonPath transfer(String transferId) {
        return gateway().get("/v1/transfers/{id}", transferId).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath awaitFinished(String transferId) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(250)).until(
                () -> transfer(transferId).getString("state"),
                state -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(state));
        return transfer(transferId);
    }

    private static ExportedSpan onlySpan(String service, String name, Map<String, String> attributes) {
        List<ExportedSpan> matching = traces.spans().stream()
                .filter(span -> span.service().equals(service) && span.name().equals(name)
                        && span.attributes().entrySet().containsAll(attributes.entrySet()))
                .toList();
        assertThat(matching).as("spans %s of %s with %s among the spans received: %s", name, service, attributes, received()).hasSize(1);
        return matching.getFirst();
    }

    /** Which services sent spans of which names, for the messages of failed assertions. */
    private static Map<String, Long> received() {
        return traces.spans().stream().collect(Collectors.groupingBy(span -> span.service() + " " + span.name(), TreeMap::new,
                Collectors.counting()));
    }

    private static String worker() {
        return scrape(stack.worker());
    }

    private static String scrape(QuarkusApplication service) {
        return given().baseUri(service.baseUrl().toString()).get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /**
     * The sum of the samples of a series whose labels include {@code labels}; 0 when there is none. A sample may
     * end with an exemplar ({@code # {trace_id=...} ...}), as it does when tracing is on.
     */
    private static double metric(String metrics, String name, Map<String, String> labels) {
        Matcher sample = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{([^}]*)})? ([-+0-9.eE]+|NaN)(?: # .*)?$").matcher(metrics);
        double sum = 0;
        while (sample.find()) {
            String sampleLabels = sample.group(1) == null ? "" : sample.group(1);
            if (labels.entrySet().stream().allMatch(label -> sampleLabels.contains(label.getKey() + "=\"" + label.getValue() + "\""))) {
                sum += Double.parseDouble(sample.group(2));
            }
        }
        return sum;
    }

    private static List<JsonNode> jsonLines(Path log) throws IOException {
        ObjectMapper json = new ObjectMapper();
        return Files.readAllLines(log).stream()
                .filter(line -> line.startsWith("{"))
                .map(line -> {
                    try {
                        return json.readTree(line);
                    }
                    catch (IOException notJson) {
                        throw new UncheckedIOException("a log line is not JSON: " + line, notJson);
                    }
                })
                .toList();
    }

    /** A request to the gateway as admin of every project. */
    private static RequestSpecification gateway() {
        return given().baseUri(stack.gatewayUrl().toString()).header("Authorization", "Bearer " + stack.adminToken());
    }

    private static void write(Path file, TestContent content) throws IOException {
        Files.createDirectories(file.getParent());
        try (InputStream input = content.newInputStream()) {
            Files.copy(input, file);
        }
    }
}
