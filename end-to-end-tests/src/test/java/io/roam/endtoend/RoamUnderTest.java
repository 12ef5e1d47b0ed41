package io.roam.endtoend;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.roam.infrastructure.WorkDirectories;
import io.roam.infrastructure.security.TokenIssuer;
import io.roam.local.RoamStack;
import io.roam.storage.Location;
import io.roam.storage.StorageProfile;
import io.roam.storage.StorageRouter;
import io.roam.storage.azure.testing.AzuriteServer;
import io.roam.storage.config.StorageConfiguration;
import io.roam.storage.gcs.testing.GcsEmulatorServer;
import io.roam.storage.s3.testing.S3ProxyServer;
import io.roam.storage.sftp.testing.SftpServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The system under test, started once for every end-to-end test class and stopped when the run ends:
 * a real S3 server (S3Proxy), the GCS storage emulator, Azurite and an SFTP server, then Kafka, PostgreSQL and
 * the three packaged services with a storage profile for each. The test itself reaches the same
 * storage through a {@link StorageRouter} over the same profiles, as a user's tooling would. Requests to the
 * gateway carry the stack's admin token unless a test presents another one.
 */
final class RoamUnderTest implements BeforeAllCallback {

    /** One per test run, so that runs side by side (several developers on one machine) do not share servers' data. */
    static final Path WORK_DIRECTORY = Path.of("target", "end-to-end", "run-" + ProcessHandle.current().pid()).toAbsolutePath();
    static final Path LOCAL_STORAGE = WORK_DIRECTORY.resolve("storage");
    static final String S3_SOURCE_BUCKET = "checkpoints-source";
    static final String S3_REPLICA_BUCKET = "replicas-us";
    static final String GCS_REPLICA_BUCKET = "replicas-eu";
    static final String AZURE_REPLICA_CONTAINER = "replicas-east";
    private static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(3);

    /**
     * Every test calls as the same admin, far faster than a person would: the gateway's per-caller rate limit must
     * not be what a test measures, except where a test sets its own.
     */
    static final Map<String, String> GENEROUS_RATE_LIMITS = Map.of(
            "roam.gateway.security.rate-limit.requests-per-second", "100000",
            "roam.gateway.security.rate-limit.burst", "100000");

    private static Running running;

    /** What one run started; closed by JUnit after the last test class. */
    record Running(RoamStack stack, StorageRouter router, SftpServer sftp, Deque<AutoCloseable> started)
            implements ExtensionContext.Store.CloseableResource {

        @Override
        public void close() {
            while (!started.isEmpty()) {
                try {
                    started.pop().close();
                }
                catch (Exception failure) {
                    System.err.println("could not stop a test server: " + failure);
                }
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        synchronized (RoamUnderTest.class) {
            if (running == null) {
                running = start();
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(RoamUnderTest.class, running);
            }
        }
    }

    private static Running start() throws Exception {
        deleteDirectoriesOfEndedRuns();
        WorkDirectories.deleteRecursively(WORK_DIRECTORY);
        Files.createDirectories(LOCAL_STORAGE);
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            S3ProxyServer s3 = remember(started, S3ProxyServer.start(WORK_DIRECTORY.resolve("s3proxy")));
            s3.createBucket(S3_SOURCE_BUCKET);
            s3.createBucket(S3_REPLICA_BUCKET);
            GcsEmulatorServer gcs = remember(started, GcsEmulatorServer.start(WORK_DIRECTORY.resolve("gcs")));
            gcs.createBucket(GCS_REPLICA_BUCKET);
            AzuriteServer azure = remember(started, AzuriteServer.start(WORK_DIRECTORY.resolve("azurite")));
            azure.createContainer(AZURE_REPLICA_CONTAINER);
            SftpServer sftp = remember(started, SftpServer.start(WORK_DIRECTORY.resolve("sftp")));

            // Placed as a lab's storage would be: an on-premise site and three clouds, so that resolving the
            // nearest replica has something to choose between.
            List<StorageProfile> profiles = List.of(
                    placed(new StorageProfile("local", "local", List.of(Location.parse("file://" + LOCAL_STORAGE + "/")),
                            Optional.empty(), Optional.empty(), Map.of()), "lab", "on-premise"),
                    placed(s3.profile("lab-s3", List.of(Location.parse("s3://" + S3_SOURCE_BUCKET + "/"),
                            Location.parse("s3://" + S3_REPLICA_BUCKET + "/")), Map.of()), "us-east-1", "aws"),
                    placed(gcs.profile("gcs-eu", List.of(Location.parse("gs://" + GCS_REPLICA_BUCKET + "/"))), "europe-west4", "gcp"),
                    placed(azure.profile("azure-east", List.of(Location.parse("abfs://" + AZURE_REPLICA_CONTAINER + "/"))),
                            "eastus", "azure"),
                    placed(sftp.profile("lab-nas"), "lab", "on-premise"));
            Map<String, String> storageConfiguration = new HashMap<>();
            profiles.forEach(profile -> storageConfiguration.putAll(StorageConfiguration.toConfiguration(profile)));

            RoamStack stack = remember(started, RoamStack.start(new RoamStack.Settings(Path.of("..").toAbsolutePath().normalize(),
                    WORK_DIRECTORY, storageConfiguration, Optional.empty(), Optional.empty(), GENEROUS_RATE_LIMITS)));
            StorageRouter router = remember(started, new StorageRouter(profiles));
            return new Running(stack, router, sftp, started);
        }
        catch (Exception | Error failure) {
            new Running(null, null, null, started).close();
            throw failure;
        }
    }

    /** The work directories of earlier runs whose process has ended: their data is of no further use. */
    private static void deleteDirectoriesOfEndedRuns() throws IOException {
        Path runs = WORK_DIRECTORY.getParent();
        if (!Files.isDirectory(runs)) {
            return;
        }
        try (Stream<Path> directories = Files.list(runs)) {
            directories.filter(directory -> directory.getFileName().toString().startsWith("run-"))
                    .filter(directory -> ProcessHandle.of(Long.parseLong(directory.getFileName().toString().substring(4)))
                            .map(process -> !process.isAlive()).orElse(true))
                    .forEach(WorkDirectories::deleteRecursively);
        }
    }

    private static StorageProfile placed(StorageProfile profile, String region, String cloud) {
        return new StorageProfile(profile.name(), profile.backend(), profile.roots(), Optional.of(region), Optional.of(cloud),
                profile.properties());
    }

    static String gatewayUrl() {
        return running.stack().gatewayUrl().toString();
    }

    static String kafkaBootstrapServers() {
        return running.stack().kafkaBootstrapServers();
    }

    static StorageRouter storage() {
        return running.router();
    }

    static SftpServer sftp() {
        return running.sftp();
    }

    /** The issuer whose tokens the gateway trusts; a new {@link TokenIssuer} forges tokens. */
    static TokenIssuer tokens() {
        return running.stack().tokens();
    }

    /** A token that is admin of every project. */
    static String adminToken() {
        return running.stack().adminToken();
    }

    /** A request to the gateway as admin of every project. */
    static RequestSpecification gateway() {
        return gatewayAs(adminToken());
    }

    /** A request to the gateway bearing {@code token}. */
    static RequestSpecification gatewayAs(String token) {
        return anonymousGateway().header("Authorization", "Bearer " + token);
    }

    /** A request to the gateway bearing no token. */
    static RequestSpecification anonymousGateway() {
        return given().baseUri(running.stack().gatewayUrl().toString());
    }

    /** Waits until the transfer has ended, and returns it as the gateway reports it. */
    static JsonPath awaitFinished(String transferId) {
        await().atMost(TRANSFER_TIMEOUT).pollInterval(Duration.ofMillis(250)).until(
                () -> gateway().get("/v1/transfers/{id}", transferId).then().statusCode(200).extract().<String>path("state"),
                state -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(state));
        return gateway().get("/v1/transfers/{id}", transferId).then().statusCode(200).extract().jsonPath();
    }

    private static <T extends AutoCloseable> T remember(Deque<AutoCloseable> started, T resource) {
        started.push(resource);
        return resource;
    }
}
