package io.roam.endtoend;

import static io.roam.endtoend.RoamUnderTest.awaitFinished;
import static io.roam.endtoend.RoamUnderTest.gateway;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.roam.storage.Location;
import io.roam.storage.testing.TestContent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Roam as it runs in production: Kafka, PostgreSQL and the three packaged services as separate
 * processes, driven only through the gateway's public API, on local and POSIX storage.
 */
@ExtendWith(RoamUnderTest.class)
class EndToEndReplicationTest {

    private static final Path STORAGE = RoamUnderTest.LOCAL_STORAGE;

    @Test
    void replicatesACheckpointDirectoryToTwoTargetsAndRecordsEveryVerifiedReplica() throws Exception {
        String run = "run-" + UUID.randomUUID();
        Path checkpoint = STORAGE.resolve("data").resolve(run).resolve("checkpoint-1000");
        Map<String, Integer> files = Map.of(
                "model.safetensors", 40 * 1024 * 1024 + 123,
                "optimizer/state.pt", 3 * 1024 * 1024,
                "optimizer/shards/rank-0/shard 0.bin", 1024 * 1024 + 1,
                "trainer_state.json", 57,
                "COMPLETE", 0);
        files.forEach((relativePath, size) -> write(checkpoint.resolve(relativePath), size));
        String source = "file://" + checkpoint + "/";
        List<String> targets = List.of(
                "file://" + STORAGE.resolve("replica-east").resolve(run) + "/checkpoint-1000/",
                // A bare path, and without its trailing slash: the source is a directory, and so is the target.
                STORAGE.resolve("replica-west").resolve(run) + "/checkpoint-1000");

        JsonPath accepted = gateway().contentType(ContentType.JSON)
                .body(Map.of("project", "llm",
                        "artifact", Map.of("kind", "checkpoint", "name", run, "version", "checkpoint-1000"),
                        "source", source,
                        "targets", targets))
                .post("/v1/replications").then()
                .statusCode(202)
                .body("transfers.target", equalTo(List.of(targets.get(0), targets.get(1) + "/")))
                .body("transfers.state", equalTo(List.of("REQUESTED", "REQUESTED")))
                .extract().jsonPath();

        String artifactId = accepted.getString("artifactId");
        for (String transferId : accepted.<String>getList("transfers.id")) {
            JsonPath transfer = awaitFinished(transferId);
            assertThat(transfer.getString("state")).isEqualTo("SUCCEEDED");
            assertThat(transfer.getLong("bytesDone")).isEqualTo(transfer.getLong("bytesTotal")).isEqualTo(totalSize(files));
            assertThat(transfer.getInt("filesDone")).isEqualTo(transfer.getInt("filesTotal")).isEqualTo(files.size());
        }
        for (Path replica : List.of(STORAGE.resolve("replica-east").resolve(run).resolve("checkpoint-1000"),
                STORAGE.resolve("replica-west").resolve(run).resolve("checkpoint-1000"))) {
            for (String relativePath : files.keySet()) {
                assertThat(replica.resolve(relativePath)).hasSameBinaryContentAs(checkpoint.resolve(relativePath));
            }
        }

        JsonPath artifact = gateway().get("/v1/artifacts/{id}", artifactId).then().statusCode(200).extract().jsonPath();
        assertThat(artifact.getString("project")).isEqualTo("llm");
        assertThat(artifact.getString("kind")).isEqualTo("checkpoint");
        // Replicas are recorded in the canonical form of their location (a bare path as file:///…), a directory as one.
        assertThat(artifact.<String>getList("replicas.location"))
                .containsExactlyInAnyOrder(source, targets.get(0), "file://" + targets.get(1) + "/");
        assertThat(artifact.<String>getList("replicas.state")).containsOnly("AVAILABLE");
        assertThat(artifact.<String>getList("replicas.digest")).hasSize(3).doesNotContainNull().containsOnly(
                artifact.<String>getList("replicas.digest").getFirst());
        assertThat(artifact.getLong("manifest.totalBytes")).isEqualTo(totalSize(files));
        assertThat(artifact.getString("manifest.digest")).isEqualTo(artifact.<String>getList("replicas.digest").getFirst());
        List<Map<String, Object>> manifest = gateway().get("/v1/artifacts/{id}/manifest", artifactId).then().statusCode(200)
                .extract().jsonPath().getList("files");
        assertThat(manifest).hasSize(files.size());
        for (Map<String, Object> entry : manifest) {
            Path file = checkpoint.resolve((String) entry.get("path"));
            assertThat(((Number) entry.get("size")).longValue()).isEqualTo(Files.size(file));
            assertThat(entry.get("digestAlgorithm")).isEqualTo("sha256");
            assertThat(entry.get("digest")).isEqualTo(sha256(file));
        }
    }

    @Test
    void aRestartedRunFindsItsLatestCheckpointItsReplicasAndItsManifestPageByPage() {
        String run = "run-" + UUID.randomUUID();
        for (String version : List.of("checkpoint-100", "checkpoint-200")) {
            Path checkpoint = STORAGE.resolve("data").resolve(run).resolve(version);
            for (int shard = 0; shard < 3; shard++) {
                write(checkpoint.resolve("shard-" + shard + ".bin"), 1000 + shard);
            }
            String transferId = gateway().contentType(ContentType.JSON)
                    .body(Map.of("project", "llm",
                            "artifact", Map.of("kind", "checkpoint", "name", run, "version", version),
                            "source", checkpoint + "/",
                            "targets", List.of(STORAGE.resolve("replica-latest").resolve(run).resolve(version) + "/")))
                    .post("/v1/replications").then().statusCode(202)
                    .extract().path("transfers[0].id");
            assertThat(awaitFinished(transferId).getString("state")).isEqualTo("SUCCEEDED");
        }

        JsonPath latest = gateway().queryParam("project", "llm").queryParam("kind", "checkpoint").queryParam("name", run)
                .get("/v1/artifacts/latest").then().statusCode(200).extract().jsonPath();
        assertThat(latest.getString("version")).isEqualTo("checkpoint-200");
        String artifactId = latest.getString("id");
        assertThat(gateway().get("/v1/artifacts/{id}/replicas", artifactId).then().statusCode(200)
                .extract().jsonPath().<String>getList("state")).containsExactly("AVAILABLE", "AVAILABLE");
        JsonPath firstPage = gateway().queryParam("limit", 2).get("/v1/artifacts/{id}/manifest", artifactId)
                .then().statusCode(200).extract().jsonPath();
        JsonPath secondPage = gateway().queryParam("limit", 2).queryParam("after", firstPage.getString("next"))
                .get("/v1/artifacts/{id}/manifest", artifactId).then().statusCode(200).extract().jsonPath();
        assertThat(firstPage.<String>getList("files.path")).containsExactly("shard-0.bin", "shard-1.bin");
        assertThat(secondPage.<String>getList("files.path")).containsExactly("shard-2.bin");
        assertThat(secondPage.getString("next")).isNull();
        gateway().queryParam("project", "llm").get("/v1/artifacts/latest").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("name"));
    }

    @Test
    void stagesASingleDatasetFileNextToComputeAndAFinishedTransferCannotBeCancelled() {
        Path dataset = STORAGE.resolve("datasets/tokens-" + UUID.randomUUID() + ".bin");
        write(dataset, 5 * 1024 * 1024);
        Path scratch = STORAGE.resolve("scratch-" + UUID.randomUUID());

        String transferId = gateway().contentType(ContentType.JSON)
                .body(Map.of("project", "vision",
                        "artifact", Map.of("kind", "dataset", "name", "tokens", "version", "v1"),
                        "source", dataset.toString(),
                        "target", scratch + "/"))
                .post("/v1/stagings").then()
                .statusCode(202)
                .extract().path("transfers[0].id");

        JsonPath staged = awaitFinished(transferId);
        assertThat(staged.getString("state")).isEqualTo("SUCCEEDED");
        assertThat(scratch.resolve(dataset.getFileName())).hasSameBinaryContentAs(dataset);
        // The replica is the file copied into the directory, not the directory, which may hold other files.
        String copiedFile = "file://" + scratch.resolve(dataset.getFileName());
        assertThat(staged.getString("target")).isEqualTo(scratch.resolve(dataset.getFileName()).toString());
        assertThat(gateway().get("/v1/artifacts/{id}/replicas", staged.getString("artifactId")).then().statusCode(200)
                .extract().jsonPath().<String>getList("location")).contains(copiedFile).doesNotContain("file://" + scratch + "/");
        gateway().delete("/v1/transfers/{id}", transferId).then()
                .statusCode(409)
                .contentType("application/problem+json");
        gateway().delete("/v1/transfers/{id}", UUID.randomUUID()).then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void aDirectoryNamedWithoutItsSlashIsOneReplicaHoweverLaterRequestsWriteIt() {
        String run = "run-" + UUID.randomUUID();
        Path checkpoint = STORAGE.resolve("data").resolve(run).resolve("checkpoint-20");
        write(checkpoint.resolve("model.safetensors"), 1024 * 1024 + 3);
        String target = "file://" + STORAGE.resolve("replica-unslashed").resolve(run) + "/checkpoint-20";
        Map<String, Object> artifact = Map.of("kind", "checkpoint", "name", run, "version", "checkpoint-20");
        JsonPath first = gateway().contentType(ContentType.JSON)
                .body(Map.of("project", "llm", "artifact", artifact, "source", checkpoint.toString(), "targets", List.of(target)))
                .post("/v1/replications").then().statusCode(202).extract().jsonPath();
        assertThat(awaitFinished(first.getString("transfers[0].id")).getString("target")).as("where the copy went").isEqualTo(target + "/");

        JsonPath again = gateway().contentType(ContentType.JSON)
                .body(Map.of("project", "llm", "artifact", artifact, "source", checkpoint + "/", "targets", List.of(target + "/")))
                .post("/v1/replications").then().statusCode(202).extract().jsonPath();

        assertThat(awaitFinished(again.getString("transfers[0].id")).getString("state")).isEqualTo("SUCCEEDED");
        List<String> replicas = gateway().get("/v1/artifacts/{id}/replicas", first.getString("artifactId")).then().statusCode(200)
                .extract().jsonPath().getList("findAll { it.location.startsWith('file://%s') }.location"
                        .formatted(STORAGE.resolve("replica-unslashed")));
        assertThat(replicas).containsExactly(target + "/");
    }

    @Test
    void aReplicationRequestedAgainFindsEveryFileAtItsTargetAndSendsNothing() {
        String run = "run-" + UUID.randomUUID();
        Path checkpoint = STORAGE.resolve("data").resolve(run).resolve("checkpoint-10");
        write(checkpoint.resolve("model.safetensors"), 3 * 1024 * 1024 + 9);
        write(checkpoint.resolve("trainer_state.json"), 120);
        Map<String, Object> replication = Map.of("project", "llm",
                "artifact", Map.of("kind", "checkpoint", "name", run, "version", "checkpoint-10"),
                "source", "file://" + checkpoint + "/",
                "targets", List.of("file://" + STORAGE.resolve("replica-again").resolve(run) + "/checkpoint-10/"));
        JsonPath first = awaitFinished(gateway().contentType(ContentType.JSON).body(replication)
                .post("/v1/replications").then().statusCode(202).extract().path("transfers[0].id"));
        assertThat(first.getString("state")).isEqualTo("SUCCEEDED");
        assertThat(first.getLong("bytesSkipped")).isZero();

        JsonPath again = awaitFinished(gateway().contentType(ContentType.JSON).body(replication)
                .post("/v1/replications").then().statusCode(202).extract().path("transfers[0].id"));

        assertThat(again.getString("state")).isEqualTo("SUCCEEDED");
        assertThat(again.getLong("bytesDone")).isEqualTo(again.getLong("bytesTotal")).isEqualTo(3 * 1024 * 1024 + 9 + 120);
        assertThat(again.getLong("bytesSkipped")).as("bytes found at the target already").isEqualTo(again.getLong("bytesTotal"));
        assertThat(again.getLong("bytesResumed")).isZero();
    }

    @Test
    void aStagingThatNamesNoSourceCopiesFromTheVerifiedReplicaNearestItsTarget() {
        String version = "v-" + UUID.randomUUID();
        Path dataset = STORAGE.resolve("datasets").resolve("captions").resolve(version);
        write(dataset.resolve("train/shard-0.parquet"), 2 * 1024 * 1024 + 5);
        write(dataset.resolve("train/shard-1.parquet"), 700_000);
        String onPremise = "file://" + dataset + "/";
        String inTheCloud = "s3://" + RoamUnderTest.S3_REPLICA_BUCKET + "/datasets/captions/" + version + "/";
        JsonPath replicated = gateway().contentType(ContentType.JSON)
                .body(Map.of("project", "vision",
                        "artifact", Map.of("kind", "dataset", "name", "captions", "version", version),
                        "source", onPremise,
                        "targets", List.of(inTheCloud)))
                .post("/v1/replications").then()
                .statusCode(202)
                .extract().jsonPath();
        assertThat(awaitFinished(replicated.getString("transfers[0].id")).getString("state")).isEqualTo("SUCCEEDED");
        // The lab's NAS is on premise, in the region of the local disks: the copy there is the nearest, not S3's.
        Location nearGpus = RoamUnderTest.sftp().location("scratch/captions/" + version + "/");
        Map<String, Object> staging = Map.of("project", "vision",
                "artifact", Map.of("kind", "dataset", "name", "captions", "version", version),
                "target", nearGpus.toString());

        JsonPath staged = gateway().contentType(ContentType.JSON).body(staging)
                .post("/v1/stagings").then()
                .statusCode(202)
                .body("artifactId", equalTo(replicated.getString("artifactId")))
                .body("source", equalTo(onPremise))
                .extract().jsonPath();

        JsonPath transfer = awaitFinished(staged.getString("transfers[0].id"));
        assertThat(transfer.getString("state")).isEqualTo("SUCCEEDED");
        assertThat(transfer.getString("source")).isEqualTo(onPremise);
        Path onNas = RoamUnderTest.sftp().rootDirectory().resolve("scratch/captions").resolve(version);
        for (String file : List.of("train/shard-0.parquet", "train/shard-1.parquet")) {
            assertThat(onNas.resolve(file)).hasSameBinaryContentAs(dataset.resolve(file));
        }
        // Staged again (a scratch disk's cleanup may have removed files the catalog still lists): the target's own
        // replica is never its source, and the copy finds every file there already.
        JsonPath again = gateway().contentType(ContentType.JSON).body(staging)
                .post("/v1/stagings").then()
                .statusCode(202)
                .body("source", equalTo(onPremise))
                .extract().jsonPath();
        JsonPath restaged = awaitFinished(again.getString("transfers[0].id"));
        assertThat(restaged.getString("state")).isEqualTo("SUCCEEDED");
        assertThat(restaged.getLong("bytesSkipped")).isEqualTo(restaged.getLong("bytesTotal")).isEqualTo(2 * 1024 * 1024 + 5 + 700_000);
    }

    @Test
    void aStagingThatNamesNoSourceOfAnArtifactNotRecordedAsksForOne() {
        gateway().contentType(ContentType.JSON)
                .body(Map.of("project", "vision",
                        "artifact", Map.of("kind", "dataset", "name", "never-registered", "version", "v1"),
                        "target", "file://" + STORAGE.resolve("scratch/never-registered") + "/"))
                .post("/v1/stagings").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("source")))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("records no dataset 'never-registered' version 'v1'"));
    }

    @Test
    void aSourceThatDoesNotExistFailsTheTransferSayingSoAndIsNeverServed() {
        String missing = "file://" + STORAGE.resolve("no-such-run") + "/checkpoint-1/";
        JsonPath accepted = gateway().contentType(ContentType.JSON)
                .body(Map.of("project", "llm",
                        "artifact", Map.of("kind", "checkpoint", "name", "no-such-run", "version", "checkpoint-1"),
                        "source", missing,
                        "targets", List.of("file://" + STORAGE.resolve("replica-missing") + "/")))
                .post("/v1/replications").then()
                .statusCode(202)
                .extract().jsonPath();

        JsonPath transfer = awaitFinished(accepted.getString("transfers[0].id"));
        assertThat(transfer.getString("state")).isEqualTo("FAILED");
        assertThat(transfer.getString("error.code")).isEqualTo("SOURCE_NOT_FOUND");
        assertThat(transfer.getString("error.message")).contains(missing, "does not exist");
        assertThat(transfer.getBoolean("error.retryable")).isFalse();
        JsonPath replicas = gateway().get("/v1/artifacts/{id}/replicas", accepted.getString("artifactId")).then()
                .statusCode(200).extract().jsonPath();
        assertThat(replicas.<String>getList("findAll { it.location == '%s' }.state".formatted(missing))).containsExactly("STALE");
        gateway().queryParam("near", "lab").get("/v1/artifacts/{id}/resolve", accepted.getString("artifactId")).then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void anInvalidRequestIsRefusedBeforeAnythingIsRecorded() {
        gateway().contentType(ContentType.JSON)
                .body(Map.of("project", "llm",
                        "artifact", Map.of("kind", "checkpoint", "name", "run-1", "version", "checkpoint-1"),
                        "source", "file://" + STORAGE + "/data/../../etc/",
                        "targets", List.of("s3://")))
                .post("/v1/replications").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("source"))
                .body("errors.field", hasItem("targets[0]"));
    }

    private static long totalSize(Map<String, Integer> files) {
        return files.values().stream().mapToLong(Integer::longValue).sum();
    }

    private static void write(Path file, int size) {
        try {
            Files.createDirectories(file.getParent());
            byte[] content = new byte[size];
            new Random(size).nextBytes(content);
            Files.write(file, content);
        }
        catch (IOException failure) {
            throw new java.io.UncheckedIOException(failure);
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream input = Files.newInputStream(file)) {
            return TestContent.sha256Of(input).value();
        }
    }

}
