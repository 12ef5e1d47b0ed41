package io.roam.endtoend;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.roam.infrastructure.WorkDirectories;
import io.roam.local.RoamStack;
import io.roam.storage.Location;
import io.roam.storage.StorageProfile;
import io.roam.storage.StorageRouter;
import io.roam.storage.config.StorageConfiguration;
import io.roam.storage.s3.testing.S3ProxyServer;
import io.roam.storage.testing.TestContent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * A transfer-worker killed with SIGKILL in the middle of a large file, on a stack of its own: Kafka
 * redelivers the unfinished request to another worker of the same consumer group, which continues the
 * multipart upload the dead one left at S3 (S3Proxy) instead of starting over, and the replica ends
 * verified and byte for byte the source.
 *
 * <p>The S3 profile uploads 5 MiB parts one at a time, so that when the worker dies every part it had
 * handed over but one is stored: the new worker must reuse all of those and may send again only the one
 * that was in flight.
 */
class WorkerCrashResumeTest {

    private static final Path WORK_DIRECTORY = Path.of("target", "worker-crash").toAbsolutePath();
    private static final Path LOCAL_STORAGE = WORK_DIRECTORY.resolve("storage");
    private static final String BUCKET = "crash-replicas";
    private static final int PART_SIZE = 5 * 1024 * 1024;
    private static final TestContent SHARD = new TestContent(404, 320L * 1024 * 1024 + 12_345);
    private static final long PARTS = Math.ceilDiv(SHARD.size(), PART_SIZE);
    private static final Pattern RESUMED_PARTS = Pattern.compile("(?m)^roam_transfer_resumed_parts_total(?:\\{[^}]*})? ([0-9.E]+)$");

    private static S3ProxyServer s3;
    private static RoamStack stack;
    private static StorageRouter storage;

    @BeforeAll
    static void startStack() throws IOException {
        WorkDirectories.deleteRecursively(WORK_DIRECTORY);
        Files.createDirectories(LOCAL_STORAGE);
        s3 = S3ProxyServer.start(WORK_DIRECTORY.resolve("s3proxy"));
        s3.createBucket(BUCKET);
        List<StorageProfile> profiles = List.of(
                new StorageProfile("local", "local", List.of(Location.parse("file://" + LOCAL_STORAGE + "/")), Optional.empty(),
                        Optional.empty(), Map.of()),
                s3.profile("crash-s3", List.of(Location.parse("s3://" + BUCKET + "/")),
                        Map.of("part-size", "5MiB", "upload-concurrency", "1")));
        Map<String, String> configuration = new HashMap<>();
        profiles.forEach(profile -> configuration.putAll(StorageConfiguration.toConfiguration(profile)));
        storage = new StorageRouter(profiles);
        stack = RoamStack.start(new RoamStack.Settings(Path.of("..").toAbsolutePath().normalize(), WORK_DIRECTORY, configuration,
                Optional.empty(), Optional.empty()));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
        if (storage != null) {
            storage.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void aWorkerKilledMidFileIsReplacedAndTheNextOneResumesTheUploadSendingAtMostOnePartAgain() throws IOException {
        Path checkpoint = LOCAL_STORAGE.resolve("run-9/checkpoint-3000");
        Files.createDirectories(checkpoint);
        try (InputStream content = SHARD.newInputStream()) {
            Files.copy(content, checkpoint.resolve("model-00001-of-00001.safetensors"));
        }
        String key = "run-9/checkpoint-3000/model-00001-of-00001.safetensors";
        Location target = Location.parse("s3://" + BUCKET + "/" + key);

        JsonPath accepted = gateway().contentType(ContentType.JSON)
                .body(Map.of("project", "llm",
                        "artifact", Map.of("kind", "checkpoint", "name", "run-9", "version", "checkpoint-3000"),
                        "source", "file://" + checkpoint + "/",
                        "targets", List.of("s3://" + BUCKET + "/run-9/checkpoint-3000/")))
                .post("/v1/replications").then().statusCode(202)
                .extract().jsonPath();
        String transferId = accepted.getString("transfers[0].id");

        try (S3Client client = s3.newClient()) {
            // Kill the worker once a good share of the file's parts is stored, well before its end.
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
                    .until(() -> storedParts(client, key), parts -> parts >= PARTS / 3);
            stack.killWorker();
            long storedWhenKilled = storedParts(client, key);
            assertThat(storedWhenKilled).as("parts stored when the worker died").isBetween(PARTS / 3, PARTS - 1);

            stack.startAnotherWorker();
            JsonPath transfer = awaitFinished(transferId);

            assertThat(transfer.getString("state")).as("transfer: %s", transfer.getString("error.message")).isEqualTo("SUCCEEDED");
            assertThat(transfer.getLong("bytesDone")).isEqualTo(SHARD.size());
            try (InputStream written = storage.fileSystem(target).openRead(target, 0)) {
                assertThat(TestContent.sha256Of(written)).isEqualTo(SHARD.sha256());
            }
            // Every part stored before the kill was reused, so only the part in flight then was sent again.
            assertThat(resumedPartsOfCurrentWorker()).isGreaterThanOrEqualTo(storedWhenKilled).isLessThanOrEqualTo(storedWhenKilled + 1);
            assertThat(transfer.getLong("bytesResumed")).as("bytes the transfer did not send again")
                    .isBetween(storedWhenKilled * PART_SIZE, (storedWhenKilled + 1) * PART_SIZE);
            assertThat(unfinishedUploads(client, key)).as("no multipart upload is left unfinished").isEmpty();
        }
        String artifactId = accepted.getString("artifactId");
        JsonPath replicas = gateway().get("/v1/artifacts/{id}/replicas", artifactId).then().statusCode(200).extract().jsonPath();
        Map<String, Object> replica = replicas.<Map<String, Object>>getList("$").stream()
                .filter(candidate -> candidate.get("location").equals("s3://" + BUCKET + "/run-9/checkpoint-3000/"))
                .findFirst().orElseThrow();
        assertThat(replica.get("state")).isEqualTo("AVAILABLE");
        assertThat(replica.get("verifiedAt")).isNotNull();
        JsonPath manifest = gateway().get("/v1/artifacts/{id}/manifest", artifactId).then().statusCode(200).extract().jsonPath();
        assertThat(manifest.<String>getList("files.digest")).containsExactly(SHARD.sha256().value());
    }

    private static long storedParts(S3Client client, String key) {
        return unfinishedUploads(client, key).stream()
                .mapToLong(upload -> client.listPartsPaginator(request -> request.bucket(BUCKET).key(key).uploadId(upload.uploadId()))
                        .parts().stream().count())
                .max().orElse(0);
    }

    private static List<MultipartUpload> unfinishedUploads(S3Client client, String key) {
        return client.listMultipartUploadsPaginator(request -> request.bucket(BUCKET).prefix(key)).uploads().stream()
                .filter(upload -> upload.key().equals(key))
                .toList();
    }

    /** The worker's count of parts it did not send because the dead worker's upload held them, from its Prometheus metrics. */
    private static long resumedPartsOfCurrentWorker() {
        String metrics = given().baseUri(stack.worker().baseUrl().toString()).get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher matcher = RESUMED_PARTS.matcher(metrics);
        assertThat(matcher.find()).as("the worker exposes roam_transfer_resumed_parts_total").isTrue();
        return (long) Double.parseDouble(matcher.group(1));
    }

    /** A request to the gateway as admin of every project. */
    private static RequestSpecification gateway() {
        return given().baseUri(stack.gatewayUrl().toString()).header("Authorization", "Bearer " + stack.adminToken());
    }

    private static JsonPath awaitFinished(String transferId) {
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(
                () -> gateway().get("/v1/transfers/{id}", transferId).then().statusCode(200).extract().<String>path("state"),
                state -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(state));
        return gateway().get("/v1/transfers/{id}", transferId).then().statusCode(200).extract().jsonPath();
    }
}
