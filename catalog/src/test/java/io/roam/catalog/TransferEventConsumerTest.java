package io.roam.catalog;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.roam.contracts.catalog.ArtifactView;
import io.roam.contracts.catalog.ManifestPage;
import io.roam.contracts.catalog.ReplicaState;
import io.roam.contracts.catalog.ReplicaView;
import io.roam.contracts.catalog.TransferState;
import io.roam.contracts.catalog.TransferView;
import io.roam.contracts.messages.ArtifactCoordinates;
import io.roam.contracts.messages.ArtifactKind;
import io.roam.contracts.messages.ManifestEntry;
import io.roam.contracts.messages.Topics;
import io.roam.contracts.messages.TransferError;
import io.roam.contracts.messages.TransferEvent;
import io.roam.contracts.messages.TransferProgress;
import io.roam.contracts.messages.TransferPurpose;
import io.roam.contracts.messages.TransferRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.roam.infrastructure.testing.KafkaTestClient;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(CatalogTestResources.class)
class TransferEventConsumerTest {

    private static final String SOURCE = "file:///data/run-7/checkpoint-5/";
    private static final String TARGET = "file:///replica/run-7/checkpoint-5/";
    private static final List<ManifestEntry> MANIFEST = List.of(
            new ManifestEntry("model.safetensors", 1024, "sha256", "a".repeat(64)),
            new ManifestEntry("optimizer/state.pt", 2048, "sha256", "b".repeat(64)));

    @Inject
    ObjectMapper objectMapper;

    @Inject
    MeterRegistry meters;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String databaseUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String databaseUsername;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> databasePassword;

    private KafkaTestClient kafka;
    private TransferRequest request;

    @BeforeEach
    void registerTransfer() {
        kafka = new KafkaTestClient(bootstrapServers);
        ArtifactView artifact = given().contentType(ContentType.JSON)
                .body(Map.of("project", "llm", "kind", "checkpoint", "name", "run-7", "version", "checkpoint-" + UUID.randomUUID(),
                        "source", SOURCE))
                .post("/v1/artifacts").then().statusCode(200).extract().as(ArtifactView.class);
        UUID transferId = UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body(Map.of("id", transferId, "artifactId", artifact.id(), "purpose", "REPLICATION", "source", SOURCE, "target", TARGET))
                .post("/v1/transfers").then().statusCode(200);
        request = new TransferRequest(transferId, artifact.id(),
                new ArtifactCoordinates("llm", ArtifactKind.CHECKPOINT, "run-7", artifact.version()), TransferPurpose.REPLICATION,
                SOURCE, TARGET, Instant.now());
    }

    @AfterEach
    void closeKafka() {
        kafka.close();
    }

    @Test
    void progressThenSuccessMakesTheTargetAnAvailableVerifiedReplica() {
        publish(TransferEvent.started(request, new TransferProgress(0, 3072, 0, 2, 0, 0, 0)));
        publish(TransferEvent.progress(request, new TransferProgress(1024, 3072, 1, 2, 512, 0, 0)));
        await().untilAsserted(() -> assertThat(transfer().state()).isEqualTo(TransferState.RUNNING));
        assertThat(targetReplica().state()).isEqualTo(ReplicaState.COPYING);

        publishSuccess(request);

        await().untilAsserted(() -> assertThat(transfer().state()).isEqualTo(TransferState.SUCCEEDED));
        TransferView transfer = transfer();
        assertThat(transfer.bytesDone()).isEqualTo(3072);
        assertThat(transfer.filesDone()).isEqualTo(2);
        ArtifactView artifact = artifact();
        assertThat(manifest().files()).containsExactlyElementsOf(MANIFEST);
        assertThat(artifact.manifest().fileCount()).isEqualTo(2);
        assertThat(artifact.manifest().totalBytes()).isEqualTo(3072);
        assertThat(artifact.replicas()).allSatisfy(replica -> {
            assertThat(replica.state()).isEqualTo(ReplicaState.AVAILABLE);
            assertThat(replica.digest()).hasSize(64);
            assertThat(replica.verifiedAt()).isNotNull();
        });
    }

    @Test
    void whatATransferDidNotHaveToSendIsShownBesideWhatItDid() {
        publish(TransferEvent.started(request, new TransferProgress(0, 3072, 0, 2, 0, 0, 0)));
        publish(TransferEvent.progress(request, new TransferProgress(3072, 3072, 2, 2, 512, 1024, 1536)));

        await().untilAsserted(() -> assertThat(transfer().bytesDone()).isEqualTo(3072));
        assertThat(transfer().bytesSkipped()).isEqualTo(1024);
        assertThat(transfer().bytesResumed()).isEqualTo(1536);
    }

    @Test
    void anEventWithFieldsOfALaterReleaseIsAppliedNotDeadLettered() {
        String later = json(TransferEvent.progress(request, new TransferProgress(2048, 3072, 1, 2, 512, 0, 0)))
                .replaceFirst("\\{", "{\"fieldOfALaterRelease\":\"x\",")
                .replace("\"progress\":{", "\"progress\":{\"filesVerified\":1,");

        kafka.send(Topics.TRANSFER_EVENTS, request.transferId().toString(), later);

        await().untilAsserted(() -> assertThat(transfer().bytesDone()).isEqualTo(2048));
        assertThat(transfer().state()).isEqualTo(TransferState.RUNNING);
    }

    @Test
    void aDirectoryTargetWrittenWithoutItsSlashIsRecordedAsTheOneReplicaOfThatDirectory() {
        String withoutSlash = TARGET.substring(0, TARGET.length() - 1);
        TransferRequest unslashed = registerTransfer(withoutSlash);

        publish(TransferEvent.copyStarted(unslashed, new TransferProgress(0, 3072, 0, 2, 0, 0, 0), TARGET));
        publishSuccess(unslashed);

        await().untilAsserted(() -> assertThat(transfer(unslashed.transferId()).state()).isEqualTo(TransferState.SUCCEEDED));
        assertThat(transfer(unslashed.transferId()).target()).isEqualTo(TARGET);
        assertThat(artifact().replicas()).extracting(ReplicaView::location).containsExactlyInAnyOrder(SOURCE, TARGET);
        assertThat(targetReplica().state()).isEqualTo(ReplicaState.AVAILABLE);
    }

    @Test
    void oneFileCopiedIntoADirectoryIsRecordedAsThatFileNotAsTheDirectory() {
        TransferRequest intoDirectory = registerTransfer("file:///replica/shared-models/");
        String copiedFile = "file:///replica/shared-models/model.safetensors";

        publish(TransferEvent.copyStarted(intoDirectory, new TransferProgress(0, 3072, 0, 2, 0, 0, 0), copiedFile));
        publishSuccess(intoDirectory);

        await().untilAsserted(() -> assertThat(transfer(intoDirectory.transferId()).state()).isEqualTo(TransferState.SUCCEEDED));
        // Verifying or deleting a replica recorded as the directory would read or delete every other file there.
        assertThat(artifact().replicas()).extracting(ReplicaView::location).contains(copiedFile)
                .doesNotContain("file:///replica/shared-models/");
    }

    @Test
    void aManifestSentInSeveralChunksIsRecordedWhole() {
        publish(TransferEvent.manifestChunk(request, new TransferProgress(1024, 3072, 1, 2, 0, 0, 0), MANIFEST.subList(0, 1)));
        publish(TransferEvent.manifestChunk(request, new TransferProgress(3072, 3072, 2, 2, 0, 0, 0), MANIFEST.subList(1, 2)));
        publish(TransferEvent.succeeded(request, new TransferProgress(3072, 3072, 2, 2, 1024, 0, 0), MANIFEST.size()));

        await().untilAsserted(() -> assertThat(transfer().state()).isEqualTo(TransferState.SUCCEEDED));
        assertThat(manifest().files()).containsExactlyElementsOf(MANIFEST);
        assertThat(targetReplica().state()).isEqualTo(ReplicaState.AVAILABLE);
    }

    @Test
    void aSuccessWhoseManifestDidNotArriveWholeFailsTheTransferRetryably() {
        publish(TransferEvent.manifestChunk(request, new TransferProgress(1024, 3072, 1, 2, 0, 0, 0), MANIFEST.subList(0, 1)));
        publish(TransferEvent.succeeded(request, new TransferProgress(3072, 3072, 2, 2, 1024, 0, 0), MANIFEST.size()));

        await().untilAsserted(() -> assertThat(transfer().state()).isEqualTo(TransferState.FAILED));
        assertThat(transfer().error().code()).isEqualTo("MANIFEST_INCOMPLETE");
        assertThat(transfer().error().retryable()).isTrue();
        assertThat(targetReplica().state()).isEqualTo(ReplicaState.FAILED);
        assertThat(artifact().manifest().digest()).isNull();
    }

    @Test
    void theManifestAndTheReplicasCanBeReadOnTheirOwnPageByPage() {
        publishSuccess(request);
        await().untilAsserted(() -> assertThat(transfer().state()).isEqualTo(TransferState.SUCCEEDED));

        ManifestPage first = given().queryParam("limit", 1).get("/v1/artifacts/{id}/manifest", request.artifactId())
                .then().statusCode(200).extract().as(ManifestPage.class);
        ManifestPage second = given().queryParam("limit", 1).queryParam("after", first.next())
                .get("/v1/artifacts/{id}/manifest", request.artifactId()).then().statusCode(200).extract().as(ManifestPage.class);
        ManifestPage whole = given().get("/v1/artifacts/{id}/manifest", request.artifactId())
                .then().statusCode(200).extract().as(ManifestPage.class);

        assertThat(first.files()).containsExactly(MANIFEST.get(0));
        assertThat(first.next()).isEqualTo(MANIFEST.get(0).path());
        assertThat(second.files()).containsExactly(MANIFEST.get(1));
        assertThat(second.next()).isNull();
        assertThat(whole.files()).containsExactlyElementsOf(MANIFEST);
        assertThat(whole.next()).isNull();
        ReplicaView[] replicas = given().get("/v1/artifacts/{id}/replicas", request.artifactId())
                .then().statusCode(200).extract().as(ReplicaView[].class);
        assertThat(replicas).extracting(ReplicaView::location).containsExactly(SOURCE, TARGET);
        given().queryParam("limit", 0).get("/v1/artifacts/{id}/manifest", request.artifactId()).then()
                .statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("limit"));
    }

    @Test
    void aRedeliveredOutcomeOrLateProgressChangesNothing() {
        TransferEvent chunk = TransferEvent.manifestChunk(request, new TransferProgress(3072, 3072, 2, 2, 0, 0, 0), MANIFEST);
        TransferEvent succeeded = TransferEvent.succeeded(request, new TransferProgress(3072, 3072, 2, 2, 1024, 0, 0), MANIFEST.size());
        publish(chunk);
        publish(succeeded);
        await().untilAsserted(() -> assertThat(transfer().state()).isEqualTo(TransferState.SUCCEEDED));
        TransferView settled = transfer();
        ArtifactView settledArtifact = artifact();

        publish(chunk);
        publish(succeeded);
        publish(TransferEvent.progress(request, new TransferProgress(10, 3072, 0, 2, 5, 0, 0)));
        publish(TransferEvent.failed(request, TransferProgress.NONE, new TransferError("TRANSIENT", "late failure", true)));
        // A marker event on another transfer, in the same partition order, shows the catalog got past them.
        TransferRequest marker = registerAnotherTransferWithTheSameKey();
        publish(TransferEvent.started(marker, new TransferProgress(0, 1, 0, 1, 0, 0, 0)));
        await().untilAsserted(() -> assertThat(transfer(marker.transferId()).state()).isEqualTo(TransferState.RUNNING));

        assertThat(transfer()).isEqualTo(settled);
        assertThat(artifact()).isEqualTo(settledArtifact);
    }

    @Test
    void aTransferThatSucceededCannotBeCancelledAndACancelledOneIgnoresLaterEvents() {
        publishSuccess(request);
        await().untilAsserted(() -> assertThat(transfer().state()).isEqualTo(TransferState.SUCCEEDED));

        given().post("/v1/transfers/{id}/cancellation", request.transferId()).then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("has already ended: SUCCEEDED"));

        TransferRequest cancelledOne = registerAnotherTransferWithTheSameKey();
        given().post("/v1/transfers/{id}/cancellation", cancelledOne.transferId()).then().statusCode(200);
        publishSuccess(cancelledOne);
        TransferRequest marker = registerAnotherTransferWithTheSameKey();
        publish(TransferEvent.started(marker, new TransferProgress(0, 1, 0, 1, 0, 0, 0)));
        await().untilAsserted(() -> assertThat(transfer(marker.transferId()).state()).isEqualTo(TransferState.RUNNING));
        assertThat(transfer(cancelledOne.transferId()).state()).isEqualTo(TransferState.CANCELLED);
    }

    @Test
    void aFailureIsRecordedWithItsClassifiedError() {
        TransferError error = new TransferError("ACCESS_DENIED", "cannot write '" + TARGET + "': access denied", false);
        publish(TransferEvent.failed(request, TransferProgress.NONE, error));

        await().untilAsserted(() -> assertThat(transfer().state()).isEqualTo(TransferState.FAILED));
        assertThat(transfer().error()).isEqualTo(error);
        assertThat(targetReplica().state()).isEqualTo(ReplicaState.FAILED);
        assertThat(sourceReplica().state()).isEqualTo(ReplicaState.AVAILABLE);
    }

    @Test
    void aCopyThatFindsNoFilesAtItsSourceStopsTheSourceReplicaFromBeingServed() {
        TransferError error = new TransferError("SOURCE_NOT_FOUND", "source '" + SOURCE + "' does not exist: no file there", false);
        publish(TransferEvent.failed(request, TransferProgress.NONE, error));

        await().untilAsserted(() -> assertThat(transfer().state()).isEqualTo(TransferState.FAILED));
        assertThat(targetReplica().state()).isEqualTo(ReplicaState.FAILED);
        assertThat(sourceReplica().state()).isEqualTo(ReplicaState.STALE);
        assertThat(sourceReplica().stateReason()).isEqualTo("a copy from it found no files there: " + error.message());
        given().queryParam("near", "data").get("/v1/artifacts/{id}/resolve", request.artifactId()).then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void unreadableRecordsGoToTheDeadLetterTopicWithTheReasonAndDoNotBlockThePartition() {
        String garbageKey = "garbage-" + UUID.randomUUID();
        kafka.send(Topics.TRANSFER_EVENTS, garbageKey, "{not json");
        String unknownKey = UUID.randomUUID().toString();
        TransferEvent forUnknownTransfer = TransferEvent.started(new TransferRequest(UUID.fromString(unknownKey), request.artifactId(),
                request.artifact(), TransferPurpose.REPLICATION, SOURCE, TARGET, Instant.now()), TransferProgress.NONE);
        kafka.send(Topics.TRANSFER_EVENTS, unknownKey, json(forUnknownTransfer));
        publishSuccess(request);

        ConsumerRecord<String, String> garbage = kafka.awaitRecord(Topics.TRANSFER_EVENTS_DEAD_LETTER,
                record -> garbageKey.equals(record.key()), Duration.ofSeconds(30));
        assertThat(header(garbage, "dead-letter-reason")).contains("not a transfer event");
        ConsumerRecord<String, String> unknown = kafka.awaitRecord(Topics.TRANSFER_EVENTS_DEAD_LETTER,
                record -> unknownKey.equals(record.key()), Duration.ofSeconds(30));
        assertThat(header(unknown, "dead-letter-reason")).contains("which the catalog never registered");
        await().untilAsserted(() -> assertThat(transfer().state()).isEqualTo(TransferState.SUCCEEDED));
    }

    @Test
    void aValidEventIsAppliedOnceTheDatabaseAnswersAgainAndIsNeverDeadLettered() throws SQLException {
        double waitsBefore = meters.counter("roam.transfer.events.database.waits").count();
        double deadLettersBefore = deadLetters();
        try (Connection locker = DriverManager.getConnection(databaseUrl, databaseUsername, databasePassword.orElse(""))) {
            // The applier first records the event's id: the catalog's transaction waits on this lock ...
            locker.setAutoCommit(false);
            execute(locker, "lock table processed_event in access exclusive mode");
            publishSuccess(request);
            int waitingBackend = await().until(() -> backendWaitingForTheLockOnProcessedEvent(locker), Optional::isPresent).get();

            // ... until its connection dies, as when the server restarts (SQLState 57P01).
            execute(locker, "select pg_terminate_backend(" + waitingBackend + ")");
            locker.rollback();
        }

        await().untilAsserted(() -> assertThat(transfer().state()).isEqualTo(TransferState.SUCCEEDED));
        assertThat(targetReplica().state()).isEqualTo(ReplicaState.AVAILABLE);
        assertThat(manifest().files()).containsExactlyElementsOf(MANIFEST);
        assertThat(meters.counter("roam.transfer.events.database.waits").count()).isGreaterThan(waitsBefore);
        // An unreadable record with the same key follows the events into the dead-letter topic at once, and alone.
        String key = request.transferId().toString();
        kafka.send(Topics.TRANSFER_EVENTS, key, "{not json");
        kafka.awaitRecord(Topics.TRANSFER_EVENTS_DEAD_LETTER, record -> key.equals(record.key()), Duration.ofSeconds(30));
        assertThat(kafka.records(Topics.TRANSFER_EVENTS_DEAD_LETTER)).filteredOn(record -> key.equals(record.key()))
                .extracting(ConsumerRecord::value)
                .containsExactly("{not json");
        assertThat(deadLetters()).isEqualTo(deadLettersBefore + 1);
    }

    private static Optional<Integer> backendWaitingForTheLockOnProcessedEvent(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet waiting = statement.executeQuery(
                        "select pid from pg_locks where relation = 'processed_event'::regclass and not granted")) {
            return waiting.next() ? Optional.of(waiting.getInt(1)) : Optional.empty();
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private double deadLetters() {
        return meters.counter("roam.dead.letters", "topic", Topics.TRANSFER_EVENTS_DEAD_LETTER).count();
    }

    /** A transfer of another artifact, whose events the test sends with this test's key, so they share its partition. */
    private TransferRequest registerAnotherTransferWithTheSameKey() {
        ArtifactView other = given().contentType(ContentType.JSON)
                .body(Map.of("project", "llm", "kind", "checkpoint", "name", "marker", "version", UUID.randomUUID().toString(),
                        "source", SOURCE))
                .post("/v1/artifacts").then().statusCode(200).extract().as(ArtifactView.class);
        UUID markerId = UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body(Map.of("id", markerId, "artifactId", other.id(), "purpose", "REPLICATION", "source", SOURCE, "target", TARGET))
                .post("/v1/transfers").then().statusCode(200);
        return new TransferRequest(markerId, other.id(), request.artifact(), TransferPurpose.REPLICATION, SOURCE, TARGET,
                Instant.now());
    }

    /** What a worker sends when a copy succeeded: the manifest, then the outcome. */
    /** Another copy of the same artifact, from the same source, to {@code target}. */
    private TransferRequest registerTransfer(String target) {
        UUID transferId = UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body(Map.of("id", transferId, "artifactId", request.artifactId(), "purpose", "REPLICATION", "source", SOURCE, "target", target))
                .post("/v1/transfers").then().statusCode(200);
        return new TransferRequest(transferId, request.artifactId(), request.artifact(), TransferPurpose.REPLICATION, SOURCE, target,
                Instant.now());
    }

    private void publishSuccess(TransferRequest transfer) {
        publish(TransferEvent.manifestChunk(transfer, new TransferProgress(3072, 3072, 2, 2, 0, 0, 0), MANIFEST));
        publish(TransferEvent.succeeded(transfer, new TransferProgress(3072, 3072, 2, 2, 1024, 0, 0), MANIFEST.size()));
    }

    private void publish(TransferEvent event) {
        kafka.send(Topics.TRANSFER_EVENTS, request.transferId().toString(), json(event));
    }

    private String json(Object value) {
        try {
            return objectMapper.writeValueAsString(value);
        }
        catch (Exception impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private TransferView transfer() {
        return transfer(request.transferId());
    }

    private static TransferView transfer(UUID id) {
        return given().get("/v1/transfers/{id}", id).then().statusCode(200).extract().as(TransferView.class);
    }

    private ArtifactView artifact() {
        return given().get("/v1/artifacts/{id}", request.artifactId()).then().statusCode(200).extract().as(ArtifactView.class);
    }

    private ManifestPage manifest() {
        return given().get("/v1/artifacts/{id}/manifest", request.artifactId()).then().statusCode(200).extract().as(ManifestPage.class);
    }

    private ReplicaView targetReplica() {
        return artifact().replicas().stream().filter(replica -> replica.location().equals(TARGET)).findFirst().orElseThrow();
    }

    private ReplicaView sourceReplica() {
        return artifact().replicas().stream().filter(replica -> replica.location().equals(SOURCE)).findFirst().orElseThrow();
    }
}
