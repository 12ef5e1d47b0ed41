package io.roam.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.roam.storage.Location;
import io.roam.storage.ResumableOutputStream;
import io.roam.storage.ResumableWrite;
import io.roam.storage.StorageErrors;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.s3.testing.S3ProxyServer;
import io.roam.storage.testing.AbstractResumableWriteContractTest;
import io.roam.storage.testing.AbstractWriteVerificationContractTest;
import io.roam.storage.testing.TestContent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The write capabilities of S3 against one S3Proxy, with S3's smallest part size and one part in flight
 * at a time: resumed multipart uploads (over each HTTP client), and written objects verified by what
 * S3Proxy keeps for them — the CRC32C it checked (the default upload checksum), or the ETag it computed
 * when uploads carry an MD5 or nothing.
 */
class S3WriteContractTest {

    private static final String BUCKET = "roam-writes";
    private static final int PART_SIZE = 5 * 1024 * 1024;

    @TempDir
    static Path workDirectory;

    private static S3ProxyServer server;

    @BeforeAll
    static void startServer() {
        server = S3ProxyServer.start(workDirectory);
        server.createBucket(BUCKET);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Nested
    class ResumedWrites extends Resumed {
        ResumedWrites() {
            super("apache");
        }
    }

    @Nested
    class ResumedWritesOverCrtHttpClient extends Resumed {
        ResumedWritesOverCrtHttpClient() {
            super("crt");
        }
    }

    /** Uploads whose parts fail past the SDK's own retries, through a network that breaks large uploads. */
    @Nested
    class BrokenUploads {

        private final String key = UUID.randomUUID() + "/checkpoint.bin";
        private final Location file = Location.parse("s3://%s/%s".formatted(BUCKET, key));
        private final TestContent content = new TestContent(31, 6L * PART_SIZE + 100);

        @ParameterizedTest(name = "over the {0} HTTP client")
        @ValueSource(strings = {"apache", "crt"})
        void aFailedWriteThatIsAbandonedLeavesTheStoredPartsForTheRetryToContinue(String httpClient) throws Exception {
            try (FaultInjectingRelay relay = FaultInjectingRelay.start(server.endpoint().getPort());
                    StorageFileSystem fileSystem = relayedFileSystem(relay, httpClient);
                    S3Client direct = server.newClient()) {
                failAfterStoringThreeParts(relay, fileSystem, direct).abandon();

                relay.restore();
                ResumableOutputStream retry = ((ResumableWrite) fileSystem).openResumableWrite(file);
                try (retry) {
                    content.newInputStream().transferTo(retry);
                }

                assertThat(retry.partsResumed()).isEqualTo(3);
                try (InputStream copy = fileSystem.openRead(file, 0)) {
                    assertThat(TestContent.sha256Of(copy)).isEqualTo(content.sha256());
                }
                assertThat(storedParts(direct)).isZero();
            }
        }

        @ParameterizedTest(name = "over the {0} HTTP client")
        @ValueSource(strings = {"apache", "crt"})
        void aFailedWriteThatIsAbortedLeavesNoUploadAndNoObject(String httpClient) throws Exception {
            try (FaultInjectingRelay relay = FaultInjectingRelay.start(server.endpoint().getPort());
                    StorageFileSystem fileSystem = relayedFileSystem(relay, httpClient);
                    S3Client direct = server.newClient()) {
                failAfterStoringThreeParts(relay, fileSystem, direct).abort();

                assertThat(direct.listMultipartUploads(request -> request.bucket(BUCKET).prefix(key)).uploads()).isEmpty();
                assertThat(fileSystem.stat(file)).isEmpty();
            }
        }

        private StorageFileSystem relayedFileSystem(FaultInjectingRelay relay, String httpClient) {
            return new S3StorageBackend().create(server.profile("relayed", List.of(Location.parse("s3://" + BUCKET + "/")),
                    Map.of("endpoint", "http://127.0.0.1:" + relay.port(), "part-size", "5MiB", "upload-concurrency", "1", "http-client", httpClient)));
        }

        /** A resumable write that stored three parts, then failed retryably once the network cut its uploads. */
        private ResumableOutputStream failAfterStoringThreeParts(FaultInjectingRelay relay, StorageFileSystem fileSystem, S3Client direct)
                throws IOException {
            ResumableOutputStream broken = ((ResumableWrite) fileSystem).openResumableWrite(file);
            try (InputStream bytes = content.newInputStream()) {
                broken.write(bytes.readNBytes(3 * PART_SIZE + 1));
                await().atMost(Duration.ofSeconds(30)).until(() -> storedParts(direct) == 3);

                relay.cutUploadsLargerThan(1024 * 1024);

                assertThatThrownBy(() -> {
                    bytes.transferTo(broken);
                    broken.close();
                }).isInstanceOf(IOException.class)
                        .satisfies(failure -> assertThat(StorageErrors.classify(failure).retryable()).as("whether %s is retryable", failure).isTrue());
            }
            assertThat(relay.connectionsCut()).isPositive();
            assertThat(storedParts(direct)).isEqualTo(3);
            return broken;
        }

        /** How many parts the newest unfinished upload of the key has stored; 0 when there is none. */
        private int storedParts(S3Client client) {
            return client.listMultipartUploads(request -> request.bucket(BUCKET).prefix(key)).uploads().stream()
                    .findFirst()
                    .map(upload -> client.listParts(request -> request.bucket(BUCKET).key(key).uploadId(upload.uploadId())).parts().size())
                    .orElse(0);
        }
    }

    @Nested
    class WithCrc32cUploads extends Contract {
        WithCrc32cUploads() {
            super("crc32c");
        }
    }

    @Nested
    class WithMd5Uploads extends Contract {
        WithMd5Uploads() {
            super("md5");
        }
    }

    @Nested
    class WithoutUploadChecksums extends Contract {
        WithoutUploadChecksums() {
            super("none");
        }
    }

    /** Bodies sent over plain HTTP without their signed SHA-256, as rclone sends them: the upload checksum protects them. */
    @Nested
    class WithCrc32cUploadsAndUnsignedPayloads extends Contract {
        WithCrc32cUploadsAndUnsignedPayloads() {
            super("crc32c", false);
        }
    }

    private static StorageFileSystem newFileSystem(String uploadChecksum, String httpClient) {
        return newFileSystem(uploadChecksum, httpClient, true);
    }

    private static StorageFileSystem newFileSystem(String uploadChecksum, String httpClient, boolean signPayloads) {
        return new S3StorageBackend().create(server.profile("writes", List.of(Location.parse("s3://" + BUCKET + "/")),
                Map.of("part-size", "5MiB", "upload-concurrency", "1", "upload-checksum", uploadChecksum, "http-client", httpClient,
                        "sign-payloads", Boolean.toString(signPayloads))));
    }

    /** Unfinished uploads resumed, over one HTTP client. */
    abstract static class Resumed extends AbstractResumableWriteContractTest {

        private final String httpClient;
        private final Location root = newRoot();

        Resumed(String httpClient) {
            this.httpClient = httpClient;
        }

        @Override
        protected StorageFileSystem newFileSystem() {
            return S3WriteContractTest.newFileSystem("crc32c", httpClient);
        }

        @Override
        protected Location rootDirectory() {
            return root;
        }

        @Override
        protected int partSize() {
            return PART_SIZE;
        }

        @Override
        protected boolean abortDiscardsStoredParts() {
            return true;
        }
    }

    private static Location newRoot() {
        return Location.parse("s3://%s/%s/".formatted(BUCKET, UUID.randomUUID()));
    }

    /** Written objects verified, with each upload checksum. */
    abstract static class Contract extends AbstractWriteVerificationContractTest {

        private final String uploadChecksum;
        private final boolean signPayloads;
        private final Location root = newRoot();

        Contract(String uploadChecksum) {
            this(uploadChecksum, true);
        }

        Contract(String uploadChecksum, boolean signPayloads) {
            this.uploadChecksum = uploadChecksum;
            this.signPayloads = signPayloads;
        }

        @Override
        protected StorageFileSystem newFileSystem() {
            return S3WriteContractTest.newFileSystem(uploadChecksum, "apache", signPayloads);
        }

        @Override
        protected Location rootDirectory() {
            return root;
        }

        @Override
        protected int partSize() {
            return PART_SIZE;
        }

        @Override
        protected boolean answersWritesWithTheStoredChecksum(long size) {
            return true;
        }
    }
}
