package io.roam.endtoend;

import static io.roam.endtoend.RoamUnderTest.awaitFinished;
import static io.roam.endtoend.RoamUnderTest.gateway;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.roam.storage.Checksum;
import io.roam.storage.Location;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageOutputStream;
import io.roam.storage.testing.TestContent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Checkpoints replicated between clouds through Kafka, each backend on a real server of its API: the
 * worker reads one provider and writes another, and the catalog records every verified replica.
 */
@ExtendWith(RoamUnderTest.class)
class CrossBackendReplicationTest {

    private static final Map<String, TestContent> CHECKPOINT = Map.of(
            "model-00001-of-00002.safetensors", new TestContent(101, 9L * 1024 * 1024 + 7),
            "model-00002-of-00002.safetensors", new TestContent(102, 3L * 1024 * 1024),
            "optimizer/rank-0.pt", new TestContent(103, 512 * 1024),
            "trainer_state.json", new TestContent(104, 311),
            "COMPLETE", new TestContent(105, 0));

    @Test
    void replicatesACheckpointFromS3ToAzureGcsAnotherBucketAndLocalAndRecordsEveryReplica() throws IOException {
        String run = "run-" + UUID.randomUUID();
        Location source = Location.parse("s3://" + RoamUnderTest.S3_SOURCE_BUCKET + "/" + run + "/checkpoint-100/");
        Location gcsTarget = Location.parse("gs://" + RoamUnderTest.GCS_REPLICA_BUCKET + "/" + run + "/checkpoint-100/");
        Location azureTarget = Location.parse("abfs://" + RoamUnderTest.AZURE_REPLICA_CONTAINER + "/" + run + "/checkpoint-100/");
        Location localTarget = Location.parse("file://" + RoamUnderTest.LOCAL_STORAGE + "/" + run + "/checkpoint-100/");
        // The same S3 profile serves both buckets: the worker has the server copy it.
        Location s3Target = Location.parse("s3://" + RoamUnderTest.S3_REPLICA_BUCKET + "/" + run + "/checkpoint-100/");
        writeCheckpoint(source);

        JsonPath artifact = replicate(run, source, List.of(azureTarget, gcsTarget, localTarget, s3Target));

        assertCheckpointAt(s3Target);
        assertCheckpointAt(azureTarget);
        assertCheckpointAt(gcsTarget);
        assertCheckpointAt(localTarget);
        assertThat(artifact.<String>getList("replicas.location"))
                .containsExactlyInAnyOrder(source.toString(), azureTarget.toString(), gcsTarget.toString(), localTarget.toString(),
                        s3Target.toString());
        assertThat(artifact.<String>getList("replicas.state")).containsOnly("AVAILABLE");
    }

    @Test
    void replicatesACheckpointFromAnSftpServerToS3() throws IOException {
        String run = "run-" + UUID.randomUUID();
        Path onServer = RoamUnderTest.sftp().rootDirectory().resolve(run).resolve("checkpoint-200");
        for (Map.Entry<String, TestContent> file : CHECKPOINT.entrySet()) {
            Path path = onServer.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            try (InputStream content = file.getValue().newInputStream()) {
                Files.copy(content, path);
            }
        }
        Location source = RoamUnderTest.sftp().location(run + "/checkpoint-200/");
        Location s3Target = Location.parse("s3://" + RoamUnderTest.S3_REPLICA_BUCKET + "/" + run + "/checkpoint-200/");

        JsonPath artifact = replicate(run, source, List.of(s3Target));

        assertCheckpointAt(s3Target);
        assertThat(artifact.<String>getList("replicas.location")).containsExactlyInAnyOrder(source.toString(), s3Target.toString());
        assertThat(artifact.<String>getList("replicas.state")).containsOnly("AVAILABLE");
    }

    @Test
    void aBucketNoProfileServesIsRefusedByTheGateway() {
        gateway().contentType(ContentType.JSON)
                .body(Map.of("project", "llm",
                        "artifact", Map.of("kind", "checkpoint", "name", "run-1", "version", "checkpoint-1"),
                        "source", "s3://" + RoamUnderTest.S3_SOURCE_BUCKET + "/run-1/checkpoint-1/",
                        "targets", List.of("s3://someone-elses-bucket/run-1/")))
                .post("/v1/replications").then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    /** Sends the replication through the gateway, waits for every transfer, and returns the catalog's artifact. */
    private static JsonPath replicate(String run, Location source, List<Location> targets) {
        JsonPath accepted = gateway().contentType(ContentType.JSON)
                .body(Map.of("project", "llm",
                        "artifact", Map.of("kind", "checkpoint", "name", run, "version", "checkpoint"),
                        "source", source.toString(),
                        "targets", targets.stream().map(Location::toString).toList()))
                .post("/v1/replications").then()
                .statusCode(202)
                .extract().jsonPath();
        for (String transferId : accepted.<String>getList("transfers.id")) {
            JsonPath transfer = awaitFinished(transferId);
            assertThat(transfer.getString("state")).as("transfer %s: %s", transferId, transfer.getString("error.message"))
                    .isEqualTo("SUCCEEDED");
            assertThat(transfer.getInt("filesDone")).isEqualTo(CHECKPOINT.size());
        }
        JsonPath artifact = gateway().get("/v1/artifacts/{id}", accepted.getString("artifactId")).then().statusCode(200)
                .extract().jsonPath();
        JsonPath manifest = gateway().get("/v1/artifacts/{id}/manifest", accepted.getString("artifactId")).then().statusCode(200)
                .extract().jsonPath();
        assertThat(artifact.getLong("manifest.fileCount")).isEqualTo(CHECKPOINT.size());
        assertThat(manifest.<String>getList("files.path")).containsExactlyInAnyOrderElementsOf(CHECKPOINT.keySet());
        for (Map<String, Object> entry : manifest.<Map<String, Object>>getList("files")) {
            assertThat(entry.get("digest")).isEqualTo(CHECKPOINT.get((String) entry.get("path")).sha256().value());
        }
        return artifact;
    }

    private static void writeCheckpoint(Location directory) throws IOException {
        StorageFileSystem fileSystem = RoamUnderTest.storage().fileSystem(directory);
        for (Map.Entry<String, TestContent> file : CHECKPOINT.entrySet()) {
            try (InputStream content = file.getValue().newInputStream();
                    StorageOutputStream output = fileSystem.openWrite(directory.resolve(file.getKey()))) {
                content.transferTo(output);
            }
        }
    }

    private static void assertCheckpointAt(Location directory) throws IOException {
        StorageFileSystem fileSystem = RoamUnderTest.storage().fileSystem(directory);
        for (Map.Entry<String, TestContent> file : CHECKPOINT.entrySet()) {
            Checksum digest;
            try (InputStream written = fileSystem.openRead(directory.resolve(file.getKey()), 0)) {
                digest = TestContent.sha256Of(written);
            }
            assertThat(digest).as(file.getKey()).isEqualTo(file.getValue().sha256());
        }
    }
}
