package io.roam.catalog;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.roam.catalog.audit.IntegrityAudit;
import io.roam.contracts.catalog.ArtifactView;
import io.roam.contracts.catalog.ReplicaState;
import io.roam.contracts.catalog.ReplicaView;
import io.roam.contracts.catalog.ReplicationPolicyView;
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
import io.roam.infrastructure.testing.KafkaTestClient;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retention and the integrity audit, with this test playing the worker: it reads the requests the
 * catalog publishes and answers with the events a worker would send.
 */
@QuarkusTest
@TestProfile(CatalogTestResources.class)
class RetentionAndAuditTest {

    private static final List<ManifestEntry> MANIFEST = List.of(
            new ManifestEntry("model.safetensors", 1024, "sha256", "a".repeat(64)),
            new ManifestEntry("optimizer/state.pt", 2048, "sha256", "b".repeat(64)));

    private final String project = "project-" + UUID.randomUUID();

    @Inject
    ObjectMapper objectMapper;

    @Inject
    IntegrityAudit audit;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private KafkaTestClient kafka;

    @BeforeEach
    void connect() {
        kafka = new KafkaTestClient(bootstrapServers);
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    @Test
    void retentionKeepsTheLastVersionsAtEachPolicyTargetAndDeletesTheOlderOnes() {
        ReplicationPolicyView policy = given().contentType(ContentType.JSON)
                .body(Map.of("project", project, "name", "keep-two", "kinds", List.of("checkpoint"), "namePattern", "run-*",
                        "targets", List.of("file:///replica/" + project + "/{run}/{version}/"), "keepLast", 2))
                .post("/v1/policies").then().statusCode(201).extract().as(ReplicationPolicyView.class);

        ArtifactView oldest = copyByPolicy(policy, "checkpoint-1");
        copyByPolicy(policy, "checkpoint-2");
        String oldestReplica = "file:///replica/" + project + "/run-1/checkpoint-1/";
        assertThat(replica(oldest.id(), oldestReplica).state()).isEqualTo(ReplicaState.AVAILABLE);
        copyByPolicy(policy, "checkpoint-3");

        TransferRequest deletion = awaitRequest(TransferPurpose.DELETION, oldestReplica);
        assertThat(deletion.source()).isEqualTo(oldestReplica);
        assertThat(deletion.artifactId()).isEqualTo(oldest.id());
        assertThat(replica(oldest.id(), oldestReplica).state()).isEqualTo(ReplicaState.DELETING);
        assertThat(replica(oldest.id(), oldestReplica).stateReason()).contains("keeps the last 2 versions");
        // The source the training job wrote is not the policy's to delete.
        assertThat(replica(oldest.id(), "file:///data/" + project + "/run-1/checkpoint-1/").state()).isEqualTo(ReplicaState.AVAILABLE);

        publish(TransferEvent.succeeded(deletion, new TransferProgress(0, 0, 2, 2, 0, 0, 0), 0));

        await().untilAsserted(() -> assertThat(replica(oldest.id(), oldestReplica).state()).isEqualTo(ReplicaState.DELETED));
        assertThat(transfer(deletion.transferId()).state()).hasToString("SUCCEEDED");
    }

    @Test
    void retentionFindsTheVersionsOfASingleFileCopiedIntoThePolicysDirectories() {
        ReplicationPolicyView policy = given().contentType(ContentType.JSON)
                .body(Map.of("project", project, "name", "keep-one", "kinds", List.of("checkpoint"), "namePattern", "run-*",
                        "targets", List.of("file:///replica/" + project + "/{run}/{version}/"), "keepLast", 1))
                .post("/v1/policies").then().statusCode(201).extract().as(ReplicationPolicyView.class);

        ArtifactView oldest = copyOneFileByPolicy(policy, "checkpoint-1");
        copyOneFileByPolicy(policy, "checkpoint-2");

        String oldestFile = "file:///replica/" + project + "/run-1/checkpoint-1/model.safetensors";
        TransferRequest deletion = awaitRequest(TransferPurpose.DELETION, oldestFile);
        assertThat(deletion.artifactId()).isEqualTo(oldest.id());
        assertThat(replica(oldest.id(), oldestFile).state()).isEqualTo(ReplicaState.DELETING);
    }

    @Test
    void theAuditMarksAReplicaWhoseFilesChangedStaleWithTheDifferencesAndAMatchingOneVerifiedAgain() {
        ArtifactView artifact = copyByPolicy(null, "checkpoint-audited");
        ReplicaView copy = replica(artifact.id(), "file:///replica/" + project + "/run-1/checkpoint-audited/");

        audit.auditDueReplicas();
        TransferRequest verification = awaitRequest(TransferPurpose.VERIFICATION, copy.location());
        List<ManifestEntry> tampered = List.of(MANIFEST.get(0),
                new ManifestEntry("optimizer/state.pt", 2048, "sha256", "c".repeat(64)),
                new ManifestEntry("unexpected.bin", 1, "sha256", "d".repeat(64)));
        publish(TransferEvent.manifestChunk(verification, new TransferProgress(3073, 3073, 3, 3, 0, 0, 0), tampered));
        publish(TransferEvent.succeeded(verification, new TransferProgress(3073, 3073, 3, 3, 0, 0, 0), tampered.size()));

        await().untilAsserted(() -> assertThat(replica(artifact.id(), copy.location()).state()).isEqualTo(ReplicaState.STALE));
        assertThat(replica(artifact.id(), copy.location()).stateReason())
                .contains("2 files differ from the manifest")
                .contains("'optimizer/state.pt' has other content")
                .contains("'unexpected.bin' is not in the manifest");

        TransferView again = given().post("/v1/artifacts/{artifact}/replicas/{replica}/verification", artifact.id(), copy.id())
                .then().statusCode(202).extract().as(TransferView.class);
        TransferRequest repaired = awaitRequest(TransferPurpose.VERIFICATION, copy.location(), again.id());
        publish(TransferEvent.manifestChunk(repaired, new TransferProgress(3072, 3072, 2, 2, 0, 0, 0), MANIFEST));
        publish(TransferEvent.succeeded(repaired, new TransferProgress(3072, 3072, 2, 2, 0, 0, 0), MANIFEST.size()));

        await().untilAsserted(() -> assertThat(replica(artifact.id(), copy.location()).state()).isEqualTo(ReplicaState.AVAILABLE));
        assertThat(replica(artifact.id(), copy.location()).verifiedAt()).isAfter(copy.verifiedAt());
    }

    @Test
    void aReplicaWhoseFilesAreGoneIsStaleAndAPendingOneCannotBeVerified() {
        ArtifactView artifact = copyByPolicy(null, "checkpoint-vanished");
        ReplicaView copy = replica(artifact.id(), "file:///replica/" + project + "/run-1/checkpoint-vanished/");
        TransferView verification = given().post("/v1/artifacts/{artifact}/replicas/{replica}/verification", artifact.id(), copy.id())
                .then().statusCode(202).extract().as(TransferView.class);
        TransferRequest request = awaitRequest(TransferPurpose.VERIFICATION, copy.location(), verification.id());

        publish(TransferEvent.failed(request, TransferProgress.NONE,
                new TransferError("NOT_FOUND", "nothing at '" + copy.location() + "'", false)));

        await().untilAsserted(() -> assertThat(replica(artifact.id(), copy.location()).state()).isEqualTo(ReplicaState.STALE));
        assertThat(replica(artifact.id(), copy.location()).stateReason()).contains("found no files there");
        given().post("/v1/artifacts/{artifact}/replicas/{replica}/verification", artifact.id(), UUID.randomUUID())
                .then().statusCode(404);
    }

    /** Registers a version of run-1 that is one file, and plays a worker copying it into the policy's directory. */
    private ArtifactView copyOneFileByPolicy(ReplicationPolicyView policy, String version) {
        String source = "file:///data/" + project + "/run-1/" + version + "/model.safetensors";
        String target = "file:///replica/" + project + "/run-1/" + version + "/";
        ArtifactView artifact = given().contentType(ContentType.JSON)
                .body(Map.of("project", project, "kind", "checkpoint", "name", "run-1", "version", version, "source", source))
                .post("/v1/artifacts").then().statusCode(200).extract().as(ArtifactView.class);
        UUID transferId = UUID.randomUUID();
        given().contentType(ContentType.JSON).body(Map.of("id", transferId, "artifactId", artifact.id(), "purpose", "REPLICATION",
                "source", source, "target", target, "policyId", policy.id())).post("/v1/transfers").then().statusCode(200);
        TransferRequest copy = new TransferRequest(transferId, artifact.id(), new ArtifactCoordinates(
                project, ArtifactKind.CHECKPOINT, "run-1", version), TransferPurpose.REPLICATION, source, target, Instant.now());
        List<ManifestEntry> oneFile = List.of(new ManifestEntry("model.safetensors", 1024, "sha256", "c".repeat(64)));
        publish(TransferEvent.copyStarted(copy, new TransferProgress(0, 1024, 0, 1, 0, 0, 0), target + "model.safetensors"));
        publish(TransferEvent.manifestChunk(copy, new TransferProgress(1024, 1024, 1, 1, 0, 0, 0), oneFile));
        publish(TransferEvent.succeeded(copy, new TransferProgress(1024, 1024, 1, 1, 0, 0, 0), 1));
        await().untilAsserted(() -> assertThat(replica(artifact.id(), target + "model.safetensors").state()).isEqualTo(ReplicaState.AVAILABLE));
        return artifact;
    }

    /** Registers a version of run-1 and plays a worker copying it, for the policy when one is given. */
    private ArtifactView copyByPolicy(ReplicationPolicyView policy, String version) {
        String source = "file:///data/" + project + "/run-1/" + version + "/";
        String target = "file:///replica/" + project + "/run-1/" + version + "/";
        ArtifactView artifact = given().contentType(ContentType.JSON)
                .body(Map.of("project", project, "kind", "checkpoint", "name", "run-1", "version", version, "source", source))
                .post("/v1/artifacts").then().statusCode(200).extract().as(ArtifactView.class);
        UUID transferId = UUID.randomUUID();
        Map<String, Object> registration = new HashMap<>(Map.of("id", transferId, "artifactId", artifact.id(),
                "purpose", "REPLICATION", "source", source, "target", target));
        if (policy != null) {
            registration.put("policyId", policy.id());
        }
        given().contentType(ContentType.JSON).body(registration).post("/v1/transfers").then().statusCode(200);
        TransferRequest copy = new TransferRequest(transferId, artifact.id(), new ArtifactCoordinates(
                project, ArtifactKind.CHECKPOINT, "run-1", version), TransferPurpose.REPLICATION,
                source, target, Instant.now());
        publish(TransferEvent.manifestChunk(copy, new TransferProgress(3072, 3072, 2, 2, 0, 0, 0), MANIFEST));
        publish(TransferEvent.succeeded(copy, new TransferProgress(3072, 3072, 2, 2, 0, 0, 0), MANIFEST.size()));
        await().untilAsserted(() -> assertThat(replica(artifact.id(), target).state()).isEqualTo(ReplicaState.AVAILABLE));
        return artifact;
    }

    private TransferRequest awaitRequest(TransferPurpose purpose, String location) {
        return awaitRequest(purpose, location, null);
    }

    private TransferRequest awaitRequest(TransferPurpose purpose, String location, UUID transferId) {
        return read(kafka.awaitRecord(Topics.TRANSFER_REQUESTS, record -> {
            TransferRequest request = read(record);
            return request.purpose() == purpose && request.target().equals(location)
                    && (transferId == null || request.transferId().equals(transferId));
        }, Duration.ofSeconds(30)));
    }

    private TransferRequest read(ConsumerRecord<String, String> record) {
        try {
            return objectMapper.readValue(record.value(), TransferRequest.class);
        }
        catch (Exception unreadable) {
            throw new IllegalStateException(unreadable);
        }
    }

    private void publish(TransferEvent event) {
        try {
            kafka.send(Topics.TRANSFER_EVENTS, event.transferId().toString(), objectMapper.writeValueAsString(event));
        }
        catch (Exception unwritable) {
            throw new IllegalStateException(unwritable);
        }
    }

    private static ReplicaView replica(UUID artifactId, String location) {
        return List.of(given().get("/v1/artifacts/{id}/replicas", artifactId).then().statusCode(200).extract().as(ReplicaView[].class))
                .stream().filter(replica -> replica.location().equals(location)).findFirst().orElseThrow();
    }

    private static TransferView transfer(UUID id) {
        return given().get("/v1/transfers/{id}", id).then().statusCode(200).extract().as(TransferView.class);
    }
}
