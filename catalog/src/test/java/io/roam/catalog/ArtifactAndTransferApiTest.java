package io.roam.catalog;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.roam.contracts.catalog.ArtifactView;
import io.roam.contracts.catalog.ReplicaState;
import io.roam.contracts.catalog.ReplicaView;
import io.roam.contracts.catalog.TransferState;
import io.roam.contracts.catalog.TransferView;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(CatalogTestResources.class)
class ArtifactAndTransferApiTest {

    @Test
    void registeringTheSameArtifactTwiceFindsTheFirstOneAndKeepsEverySource() {
        String version = "checkpoint-" + UUID.randomUUID();
        ArtifactView first = registerArtifact(version, "file:///data/run-42/" + version + "/");
        ArtifactView second = registerArtifact(version, "file:///mirror/run-42/" + version + "/");

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.replicas())
                .extracting(replica -> replica.location(), replica -> replica.state())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("file:///data/run-42/" + version + "/", ReplicaState.AVAILABLE),
                        org.assertj.core.groups.Tuple.tuple("file:///mirror/run-42/" + version + "/", ReplicaState.AVAILABLE));
        assertThat(second.manifest().fileCount()).isZero();
        assertThat(second.manifest().digest()).isNull();
    }

    @Test
    void onePlaceIsOneReplicaHoweverRequestsWriteItsLocation() {
        String version = "checkpoint-" + UUID.randomUUID();
        ArtifactView artifact = registerArtifact(version, "/data/run-42/" + version + "/");
        registerArtifact(version, "FILE:///data/run-42/" + version + "/");
        registerTransfer(UUID.randomUUID(), artifact.id(), "/replica/" + version + "/");
        UUID latestToReplica = UUID.randomUUID();
        registerTransfer(latestToReplica, artifact.id(), "file:///replica/" + version + "/");
        registerTransfer(UUID.randomUUID(), artifact.id(), "az://ckpt-azure/" + version + "/");
        UUID latestToAzure = UUID.randomUUID();
        registerTransfer(latestToAzure, artifact.id(), "abfs://ckpt-azure/" + version + "/");

        ArtifactView read = given().get("/v1/artifacts/{id}", artifact.id()).then().statusCode(200).extract().as(ArtifactView.class);

        assertThat(read.replicas())
                .extracting(ReplicaView::location, ReplicaView::state, ReplicaView::transferId, ReplicaView::profile)
                .containsExactly(
                        tuple("abfs://ckpt-azure/" + version + "/", ReplicaState.PENDING, latestToAzure, "azure"),
                        tuple("file:///data/run-42/" + version + "/", ReplicaState.AVAILABLE, null, "data"),
                        tuple("file:///replica/" + version + "/", ReplicaState.PENDING, latestToReplica, "replicas"));
    }

    @Test
    void latestFindsTheNewestVersionOfANamedArtifact() {
        String run = "run-" + UUID.randomUUID();
        registerArtifact(run, "checkpoint-1000", "file:///data/" + run + "/checkpoint-1000/");
        ArtifactView newest = registerArtifact(run, "checkpoint-2000", "file:///data/" + run + "/checkpoint-2000/");

        ArtifactView latest = given().queryParam("project", "llm").queryParam("kind", "checkpoint").queryParam("name", run)
                .get("/v1/artifacts/latest").then().statusCode(200).extract().as(ArtifactView.class);

        assertThat(latest.id()).isEqualTo(newest.id());
        assertThat(latest.version()).isEqualTo("checkpoint-2000");
        given().queryParam("project", "llm").queryParam("kind", "checkpoint").queryParam("name", "no-such-run")
                .get("/v1/artifacts/latest").then().statusCode(404).contentType("application/problem+json");
        given().queryParam("project", "llm").queryParam("kind", "weights")
                .get("/v1/artifacts/latest").then()
                .statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("name", "kind"));
    }

    @Test
    void aRegisteredTransferIsRequestedAndItsTargetReplicaPending() {
        ArtifactView artifact = registerArtifact("checkpoint-" + UUID.randomUUID(), "file:///data/source/");
        UUID transferId = UUID.randomUUID();

        TransferView registered = registerTransfer(transferId, artifact.id(), "file:///replica/target/");
        TransferView again = registerTransfer(transferId, artifact.id(), "file:///replica/target/");

        assertThat(registered.state()).isEqualTo(TransferState.REQUESTED);
        assertThat(again).isEqualTo(registered);
        TransferView read = given().get("/v1/transfers/{id}", transferId).then().statusCode(200).extract().as(TransferView.class);
        assertThat(read).isEqualTo(registered);
        ArtifactView withTarget = given().get("/v1/artifacts/{id}", artifact.id()).then().statusCode(200).extract().as(ArtifactView.class);
        assertThat(withTarget.replicas())
                .filteredOn(replica -> replica.location().equals("file:///replica/target/"))
                .singleElement()
                .satisfies(replica -> {
                    assertThat(replica.state()).isEqualTo(ReplicaState.PENDING);
                    assertThat(replica.transferId()).isEqualTo(transferId);
                });
    }

    @Test
    void aCancelledTransferStaysCancelledAndItsTargetReplicaFailed() {
        ArtifactView artifact = registerArtifact("checkpoint-" + UUID.randomUUID(), "file:///data/source/");
        UUID transferId = UUID.randomUUID();
        registerTransfer(transferId, artifact.id(), "file:///replica/cancelled/");

        TransferView cancelled = given().post("/v1/transfers/{id}/cancellation", transferId).then().statusCode(200)
                .extract().as(TransferView.class);
        TransferView again = given().post("/v1/transfers/{id}/cancellation", transferId).then().statusCode(200)
                .extract().as(TransferView.class);

        assertThat(cancelled.state()).isEqualTo(TransferState.CANCELLED);
        assertThat(again).isEqualTo(cancelled);
        ArtifactView withTarget = given().get("/v1/artifacts/{id}", artifact.id()).then().statusCode(200).extract().as(ArtifactView.class);
        assertThat(withTarget.replicas())
                .filteredOn(replica -> replica.location().equals("file:///replica/cancelled/"))
                .singleElement()
                .satisfies(replica -> assertThat(replica.state()).isEqualTo(ReplicaState.FAILED));
    }

    @Test
    void cancellingAnUnknownTransferIsNotFound() {
        given().post("/v1/transfers/{id}/cancellation", UUID.randomUUID()).then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void unknownIdsAnswerNotFoundWithAProblemBody() {
        UUID unknown = UUID.randomUUID();
        given().get("/v1/transfers/{id}", unknown).then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:roam:problem:not-found"))
                .body("detail", equalTo("no transfer has id " + unknown));
        given().get("/v1/artifacts/{id}", unknown).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aTransferForAnUnknownArtifactIsRefused() {
        given().contentType(ContentType.JSON)
                .body(Map.of("id", UUID.randomUUID(), "artifactId", UUID.randomUUID(), "purpose", "REPLICATION",
                        "source", "file:///a/", "target", "file:///b/"))
                .post("/v1/transfers").then()
                .statusCode(400)
                .body("errors[0].field", equalTo("artifactId"));
    }

    @Test
    void anIncompleteRegistrationNamesEveryMissingField() {
        given().contentType(ContentType.JSON).body(Map.of("project", "llm"))
                .post("/v1/artifacts").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors", hasSize(4));
    }

    private static ArtifactView registerArtifact(String version, String source) {
        return registerArtifact("run-42", version, source);
    }

    private static ArtifactView registerArtifact(String name, String version, String source) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("project", "llm", "kind", "checkpoint", "name", name, "version", version, "source", source))
                .post("/v1/artifacts").then().statusCode(200).extract().as(ArtifactView.class);
    }

    private static TransferView registerTransfer(UUID transferId, UUID artifactId, String target) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("id", transferId, "artifactId", artifactId, "purpose", "REPLICATION", "source", "file:///data/source/",
                        "target", target))
                .post("/v1/transfers").then().statusCode(200).extract().as(TransferView.class);
    }
}
