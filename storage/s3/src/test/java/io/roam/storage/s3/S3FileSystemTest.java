package io.roam.storage.s3;

import static io.roam.storage.testing.AbstractStorageFileSystemContractTest.assertFailsWith;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roam.storage.Checksum;
import io.roam.storage.FileIterator;
import io.roam.storage.Location;
import io.roam.storage.ServerSideCopy;
import io.roam.storage.StorageBackend;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageErrors;
import io.roam.storage.StorageException;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageOutputStream;
import io.roam.storage.s3.testing.S3ProxyServer;
import io.roam.storage.testing.TestContent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** What the S3 backend does beyond the shared contract, against S3Proxy. */
class S3FileSystemTest {

    private static final String BUCKET = "roam-test";
    private static final String OTHER_BUCKET = "roam-other";
    private static final long MEBIBYTE = 1024 * 1024;

    @TempDir
    static Path workDirectory;

    private static S3ProxyServer server;
    private static S3Client rawClient;

    private final List<StorageFileSystem> fileSystems = new ArrayList<>();
    private Location root;
    private StorageFileSystem fileSystem;

    @BeforeAll
    static void startServer() {
        server = S3ProxyServer.start(workDirectory);
        server.createBucket(BUCKET);
        server.createBucket(OTHER_BUCKET);
        rawClient = server.newClient();
    }

    @AfterAll
    static void stopServer() {
        if (rawClient != null) {
            rawClient.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void createFileSystem() {
        root = Location.parse("s3://%s/%s/".formatted(BUCKET, UUID.randomUUID()));
        fileSystem = fileSystem(Map.of("part-size", "5MiB"));
    }

    @AfterEach
    void closeFileSystems() {
        fileSystems.forEach(StorageFileSystem::close);
    }

    @Test
    void isFoundByServiceLoaderUnderItsName() {
        assertThat(ServiceLoader.load(StorageBackend.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(backend -> assertThat(backend).isInstanceOf(S3StorageBackend.class).extracting(StorageBackend::name).isEqualTo("s3"));
    }

    @Test
    void anAbortedMultipartUploadLeavesNoUploadAndNoObject() throws IOException {
        Location file = root.resolve("aborted.bin");
        StorageOutputStream stream = fileSystem.openWrite(file);
        new TestContent(1, 12 * MEBIBYTE).newInputStream().transferTo(stream);
        assertThat(multipartUploadKeys()).as("the upload is in progress").contains(root.path() + "aborted.bin");

        stream.abort();

        assertThat(multipartUploadKeys()).doesNotContain(root.path() + "aborted.bin");
        assertThat(fileSystem.stat(file)).isEmpty();
        assertThatThrownBy(() -> stream.write(1)).isInstanceOf(IOException.class);
    }

    @Test
    void anUploadThatCannotBeAbortedIsLoggedWithItsIdForTheOperatorToRemove() throws IOException {
        Location file = root.resolve("kept.bin");
        try (FaultInjectingRelay relay = FaultInjectingRelay.start(server.endpoint().getPort());
                RecordedLog log = RecordedLog.of(S3MultipartUploads.class)) {
            StorageOutputStream stream = relayedFileSystem(relay, "apache").openWrite(file);
            new TestContent(2, 12 * MEBIBYTE).newInputStream().transferTo(stream);
            String uploadId = multipartUploadId(root.path() + "kept.bin");
            relay.cutUploadsLargerThan(0);

            stream.abort();

            assertThat(log.records()).singleElement().satisfies(record -> {
                assertThat(record.getLevel()).isEqualTo(Level.WARNING);
                assertThat(record.getMessage()).contains(uploadId, file.toString(), "lifecycle rule");
                assertThat(record.getThrown()).isNotNull();
            });
            assertThat(multipartUploadKeys()).as("the upload S3 could not be asked to abort").contains(root.path() + "kept.bin");
            rawClient.abortMultipartUpload(request -> request.bucket(BUCKET).key(root.path() + "kept.bin").uploadId(uploadId));
        }
    }

    @Test
    void anUploadAbortedAlreadyIsNotReportedAsLeftBehind() throws IOException {
        S3Location file = S3Location.of(root.resolve("gone.bin"));
        String uploadId = rawClient.createMultipartUpload(request -> request.bucket(BUCKET).key(file.key())).uploadId();
        rawClient.abortMultipartUpload(request -> request.bucket(BUCKET).key(file.key()).uploadId(uploadId));

        try (RecordedLog log = RecordedLog.of(S3MultipartUploads.class)) {
            IOException failure = new IOException("the write failed");
            S3MultipartUploads.abort(rawClient, file, uploadId, failure);

            assertThat(log.records()).isEmpty();
            assertThat(failure.getSuppressed()).isEmpty();
        }
    }

    @ParameterizedTest(name = "upload-checksum={0}")
    @ValueSource(strings = {"crc32c", "md5", "none"})
    void everyUploadChecksumWritesSinglePartAndMultipartFiles(String checksum) throws IOException {
        StorageFileSystem checked = fileSystem(Map.of("part-size", "5MiB", "upload-checksum", checksum, "upload-concurrency", "3"));
        TestContent small = new TestContent(3, 1000);
        TestContent large = new TestContent(4, 16 * MEBIBYTE + 7);

        write(checked, root.resolve("small.bin"), small);
        write(checked, root.resolve("large.bin"), large);

        assertThat(sha256(checked, root.resolve("small.bin"))).isEqualTo(small.sha256());
        assertThat(sha256(checked, root.resolve("large.bin"))).isEqualTo(large.sha256());
    }

    @Test
    void aFileOfExactlyOnePartIsWrittenWithOnePutObject() throws IOException {
        Location file = root.resolve("one-part.bin");
        TestContent content = new TestContent(5, 5 * MEBIBYTE);

        write(fileSystem, file, content);

        assertThat(fileSystem.stat(file).orElseThrow().nativeChecksum()).as("a single-part ETag").isPresent();
        assertThat(sha256(fileSystem, file)).isEqualTo(content.sha256());
    }

    @Test
    void anObjectSentInOneRequestIsSignedWithTheDigestItsWriterOffers() throws IOException {
        Location file = root.resolve("offered.bin");
        TestContent content = new TestContent(16, 1000);

        try (InputStream source = content.newInputStream(); StorageOutputStream stream = fileSystem.openWrite(file)) {
            source.transferTo(stream);
            stream.offerContentSha256(HexFormat.of().parseHex(content.sha256().value()));
        }

        assertThat(sha256(fileSystem, file)).isEqualTo(content.sha256());
    }

    @Test
    void anOfferedDigestThatIsNotThatOfTheBytesWrittenIsRefusedByS3AndTheObjectKept() throws IOException {
        Location file = root.resolve("kept.bin");
        TestContent previous = new TestContent(17, 1000);
        write(fileSystem, file, previous);
        StorageOutputStream stream = fileSystem.openWrite(file);
        new TestContent(18, 1000).newInputStream().transferTo(stream);

        stream.offerContentSha256(HexFormat.of().parseHex(new TestContent(19, 1000).sha256().value()));

        assertThatThrownBy(stream::close).hasMessageContaining("XAmzContentSHA256Mismatch");
        assertThat(sha256(fileSystem, file)).isEqualTo(previous.sha256());
    }

    @Test
    void withoutPayloadSigningAnObjectIsSentWithoutItsSha256() throws IOException {
        StorageFileSystem unsigned = fileSystem(Map.of("part-size", "5MiB", "sign-payloads", "false"));
        Location file = root.resolve("unsigned.bin");
        TestContent content = new TestContent(31, 1000);

        try (InputStream source = content.newInputStream(); StorageOutputStream stream = unsigned.openWrite(file)) {
            source.transferTo(stream);
            // Refused as XAmzContentSHA256Mismatch were it sent (see the test above).
            stream.offerContentSha256(HexFormat.of().parseHex(new TestContent(32, 1000).sha256().value()));
        }

        assertThat(sha256(fileSystem, file)).isEqualTo(content.sha256());
    }

    /**
     * What protects a body on the way: its signed SHA-256 over plain HTTP by default, or, with {@code
     * sign-payloads=false}, its upload checksum, which S3 checks as it does over HTTPS.
     */
    @ParameterizedTest(name = "sign-payloads={0}, upload-checksum={1}")
    @CsvSource({"true, none, XAmzContentSHA256Mismatch", "false, crc32c, BadDigest", "false, md5, BadDigest"})
    void aBodyCorruptedOnTheWayIsRefusedAndTheObjectKept(String signPayloads, String uploadChecksum, String errorCode) throws IOException {
        Location file = root.resolve("corrupted.bin");
        TestContent previous = new TestContent(33, 1000);
        write(fileSystem, file, previous);
        try (FaultInjectingRelay relay = FaultInjectingRelay.start(server.endpoint().getPort())) {
            StorageFileSystem relayed = fileSystem(Map.of("endpoint", "http://127.0.0.1:" + relay.port(),
                    "sign-payloads", signPayloads, "upload-checksum", uploadChecksum));
            relay.corruptNextConnectionAt(256 * 1024);

            assertThatThrownBy(() -> write(relayed, file, new TestContent(34, MEBIBYTE))).hasMessageContaining(errorCode);

            assertThat(relay.bytesCorrupted()).isEqualTo(1);
            assertThat(sha256(fileSystem, file)).isEqualTo(previous.sha256());
        }
    }

    @Test
    void statReportsTheSinglePartETagAsMd5AndNothingForMultipartObjects() {
        TestContent small = new TestContent(6, 4096);
        write(fileSystem, root.resolve("small.bin"), small);
        write(fileSystem, root.resolve("large.bin"), new TestContent(7, 6 * MEBIBYTE));

        assertThat(fileSystem.stat(root.resolve("small.bin")).orElseThrow().nativeChecksum()).contains(new Checksum("md5", md5(small.bytes())));
        assertThat(fileSystem.stat(root.resolve("large.bin")).orElseThrow().nativeChecksum()).isEmpty();
    }

    @Test
    void readingPastTheEndIsEmpty() throws IOException {
        Location file = root.resolve("short.bin");
        write(fileSystem, file, new TestContent(8, 10));

        try (InputStream stream = fileSystem.openRead(file, 11)) {
            assertThat(stream.read()).isEqualTo(-1);
        }
    }

    @Test
    void listingSkipsFolderMarkers() {
        write(fileSystem, root.resolve("folder/file.bin"), new TestContent(10, 1));
        rawClient.putObject(request -> request.bucket(BUCKET).key(root.path() + "empty-folder/"), RequestBody.empty());

        assertThat(listRelativePaths(fileSystem, root)).containsExactly("folder/file.bin");
    }

    @Test
    void copiesAcrossBucketsOfTheProfile() throws IOException {
        StorageFileSystem twoBuckets = fileSystem(List.of(root, Location.parse("s3://%s/".formatted(OTHER_BUCKET))), Map.of());
        Location source = root.resolve("source.bin");
        Location target = Location.parse("s3://%s/%s/copied.bin".formatted(OTHER_BUCKET, UUID.randomUUID()));
        TestContent content = new TestContent(11, 2000);
        write(twoBuckets, source, content);

        assertThat(((ServerSideCopy) twoBuckets).copy(source, target, () -> false)).isTrue();

        assertThat(sha256(twoBuckets, target)).isEqualTo(content.sha256());
    }

    @Test
    void aMultipartCopyStoppedBetweenItsPartsAbortsItsUpload() {
        StorageFileSystem partCopies = fileSystem(List.of(root), Map.of("multipart-copy-threshold", "5MiB", "part-size", "5MiB"));
        Location source = root.resolve("large-source.bin");
        Location target = root.resolve("stopped-copy.bin");
        write(partCopies, source, new TestContent(12, 12 * MEBIBYTE));
        AtomicInteger asked = new AtomicInteger();

        boolean completed = ((ServerSideCopy) partCopies).copy(source, target, () -> asked.incrementAndGet() > 1);

        assertThat(completed).isFalse();
        assertThat(partCopies.stat(target)).isEmpty();
        assertThat(multipartUploadKeys()).doesNotContain(root.path() + "stopped-copy.bin");
    }

    @Test
    void aBucketThatDoesNotExistIsNotFound() {
        Location missingBucket = Location.parse("s3://roam-missing-bucket/");
        StorageFileSystem missing = fileSystem(List.of(missingBucket), Map.of());

        assertFailsWith(StorageErrorKind.NOT_FOUND, () -> missing.list(missingBucket).hasNext());
        assertFailsWith(StorageErrorKind.NOT_FOUND, () -> missing.openRead(missingBucket.resolve("file.bin"), 0).close());
        assertThat(missing.stat(missingBucket.resolve("file.bin"))).isEmpty();
        assertThatThrownBy(() -> write(missing, missingBucket.resolve("file.bin"), new TestContent(12, 10)))
                .satisfies(failure -> assertThat(StorageErrors.classify(failure).kind()).isEqualTo(StorageErrorKind.NOT_FOUND));
    }

    @ParameterizedTest(name = "over the {0} HTTP client")
    @ValueSource(strings = {"apache", "crt"})
    void anEndpointThatRefusesConnectionsIsATransientFailure(String httpClient) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        StorageFileSystem unreachable = fileSystem(List.of(root), Map.of("endpoint", "http://127.0.0.1:" + closedPort, "http-client", httpClient));

        assertFailsWith(StorageErrorKind.TRANSIENT, () -> unreachable.stat(root.resolve("file.bin")));
        assertFailsWith(StorageErrorKind.TRANSIENT, () -> unreachable.openRead(root.resolve("file.bin"), 0).close());
    }

    @ParameterizedTest(name = "over the {0} HTTP client")
    @ValueSource(strings = {"apache", "crt"})
    void throttledWritesAndReadsAreSentAgainAfterABackoff(String httpClient) throws IOException {
        Location file = root.resolve("throttled.bin");
        TestContent content = new TestContent(14, 256 * 1024);
        int throttledAttempts = S3ObjectRequests.MAXIMUM_ATTEMPTS - 1;
        try (FaultInjectingRelay relay = FaultInjectingRelay.start(server.endpoint().getPort())) {
            relay.throttleNextConnections(throttledAttempts);
            write(relayedFileSystem(relay, httpClient), file, content);
            relay.throttleNextConnections(throttledAttempts);
            // A new file system, so that the read opens new connections rather than reuse the write's.
            Checksum read = sha256(relayedFileSystem(relay, httpClient), file);

            assertThat(relay.requestsThrottled()).isEqualTo(2 * throttledAttempts);
            assertThat(read).isEqualTo(content.sha256());
        }
    }

    @ParameterizedTest(name = "over the {0} HTTP client")
    @ValueSource(strings = {"apache", "crt"})
    void aWriteThrottledOnEveryAttemptFailsAsThrottledAndStoresNothing(String httpClient) throws IOException {
        Location file = root.resolve("throttled.bin");
        try (FaultInjectingRelay relay = FaultInjectingRelay.start(server.endpoint().getPort())) {
            relay.throttleNextConnections(S3ObjectRequests.MAXIMUM_ATTEMPTS);

            assertThatThrownBy(() -> write(relayedFileSystem(relay, httpClient), file, new TestContent(15, 1024)))
                    .satisfies(failure -> assertThat(StorageErrors.classify(failure).kind()).isEqualTo(StorageErrorKind.THROTTLED))
                    .hasMessageContaining("SlowDown");
            assertThat(relay.requestsThrottled()).isEqualTo(S3ObjectRequests.MAXIMUM_ATTEMPTS);
            assertThat(fileSystem.stat(file)).isEmpty();
        }
    }

    @Test
    void aWrongSecretIsAccessDeniedAndNeverQuoted() {
        String wrongSecret = "wrong-" + UUID.randomUUID();
        Map<String, String> environment = Map.of("ROAM_TEST_ACCESS_KEY_ID", server.accessKeyId(), "ROAM_TEST_SECRET_ACCESS_KEY", wrongSecret);
        StorageFileSystem wrong = track(new S3FileSystem(server.profile("wrong", List.of(root), Map.of(
                "credentials", "environment",
                "access-key-id-env", "ROAM_TEST_ACCESS_KEY_ID",
                "secret-access-key-env", "ROAM_TEST_SECRET_ACCESS_KEY")), environment));

        assertThatThrownBy(() -> wrong.list(root).hasNext())
                .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.kind()).isEqualTo(StorageErrorKind.ACCESS_DENIED))
                .message().contains(root.toString()).doesNotContain(wrongSecret).doesNotContain(server.secretAccessKey());
        assertFailsWith(StorageErrorKind.ACCESS_DENIED, () -> wrong.stat(root.resolve("file.bin")));
        assertFailsWith(StorageErrorKind.ACCESS_DENIED, () -> wrong.openRead(root.resolve("file.bin"), 0));
    }

    @Test
    void environmentCredentialsWithTheRightSecretWork() {
        Map<String, String> environment = Map.of("ROAM_TEST_ACCESS_KEY_ID", server.accessKeyId(), "ROAM_TEST_SECRET_ACCESS_KEY", server.secretAccessKey());
        StorageFileSystem fromEnvironment = track(new S3FileSystem(server.profile("environment", List.of(root), Map.of(
                "credentials", "environment",
                "access-key-id-env", "ROAM_TEST_ACCESS_KEY_ID",
                "secret-access-key-env", "ROAM_TEST_SECRET_ACCESS_KEY")), environment));

        write(fromEnvironment, root.resolve("file.bin"), new TestContent(13, 10));

        assertThat(fromEnvironment.stat(root.resolve("file.bin"))).isPresent();
    }

    @Test
    void anonymousRequestsToAnAuthenticatedServerAreAccessDenied() {
        StorageFileSystem anonymous = fileSystem(Map.of("credentials", "anonymous"));

        assertFailsWith(StorageErrorKind.ACCESS_DENIED, () -> anonymous.list(root).hasNext());
    }

    @Test
    void aRotatedCredentialsFileIsReadAgain() throws IOException {
        Path credentialsFile = workDirectory.resolve("rotated-" + UUID.randomUUID() + ".properties");
        writeCredentials(credentialsFile, server.secretAccessKey(), Instant.parse("2025-01-01T00:00:00Z"));
        StorageFileSystem rotating = fileSystem(Map.of("credentials-file", credentialsFile.toString()));
        assertThat(listRelativePaths(rotating, root)).isEmpty();

        writeCredentials(credentialsFile, UUID.randomUUID().toString(), Instant.parse("2025-01-02T00:00:00Z"));
        assertFailsWith(StorageErrorKind.ACCESS_DENIED, () -> rotating.list(root).hasNext());

        writeCredentials(credentialsFile, server.secretAccessKey(), Instant.parse("2025-01-03T00:00:00Z"));
        assertThat(listRelativePaths(rotating, root)).isEmpty();
    }

    @Test
    void aMissingCredentialsFileIsAccessDeniedNamingTheFile() {
        Path missingFile = workDirectory.resolve("missing-credentials.properties");
        StorageFileSystem withoutCredentials = fileSystem(Map.of("credentials-file", missingFile.toString()));

        assertThatThrownBy(() -> withoutCredentials.stat(root.resolve("file.bin")))
                .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.kind()).isEqualTo(StorageErrorKind.ACCESS_DENIED))
                .message().contains(missingFile.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://ab/file.bin", "s3://Uppercase/file.bin", "s3://under_score/file.bin", "s3://192.168.1.10/file.bin",
            "s3://two..dots/file.bin", "s3://xn--reserved/file.bin",
            "s3://bucket-name-of-sixty-four-characters-xxxxxxxxxxxxxxxxxxxxxxxxxxx/file.bin"})
    void invalidBucketNamesAreInvalidLocations(String text) {
        Location location = Location.parse(text);

        assertThatThrownBy(() -> fileSystem.stat(location))
                .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.kind()).isEqualTo(StorageErrorKind.INVALID_LOCATION))
                .hasMessageContaining("invalid S3 bucket name");
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.openWrite(location));
    }

    @Test
    void aKeyLongerThanS3AllowsIsAnInvalidLocation() {
        Location location = root.resolve("k".repeat(1100));

        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.openWrite(location));
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://roam-other/file.bin", "s3://roam-test/elsewhere/file.bin", "gs://roam-test/file.bin", "/tmp/file.bin"})
    void locationsOutsideTheProfileRootsAreInvalid(String text) {
        Location outside = Location.parse(text);

        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.stat(outside));
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.openRead(outside, 0));
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.openWrite(outside));
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.delete(outside));
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> ((ServerSideCopy) fileSystem).copy(root.resolve("file.bin"), outside, () -> false));
    }

    @Test
    void aProfileWithANonS3RootIsRefused() {
        assertThatThrownBy(() -> fileSystem(List.of(Location.parse("gs://bucket/")), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not an s3:// location");
        assertThatThrownBy(() -> fileSystem(List.of(Location.parse("s3://Bad_Bucket/")), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid S3 bucket name");
    }

    private StorageFileSystem fileSystem(Map<String, String> properties) {
        return fileSystem(List.of(root), properties);
    }

    private StorageFileSystem fileSystem(List<Location> roots, Map<String, String> properties) {
        return track(new S3StorageBackend().create(server.profile("test", roots, properties)));
    }

    private StorageFileSystem relayedFileSystem(FaultInjectingRelay relay, String httpClient) {
        return fileSystem(List.of(root), Map.of("endpoint", "http://127.0.0.1:" + relay.port(), "http-client", httpClient));
    }

    private StorageFileSystem track(StorageFileSystem created) {
        fileSystems.add(created);
        return created;
    }

    private List<String> multipartUploadKeys() {
        return rawClient.listMultipartUploads(request -> request.bucket(BUCKET)).uploads().stream().map(upload -> upload.key()).toList();
    }

    private String multipartUploadId(String key) {
        return rawClient.listMultipartUploads(request -> request.bucket(BUCKET).prefix(key)).uploads().getFirst().uploadId();
    }

    /** What a class logs through the JDK's platform logging, which goes to java.util.logging in tests, while open. */
    private static final class RecordedLog extends Handler implements AutoCloseable {

        private final Logger logger;
        private final boolean usedParentHandlers;
        private final List<LogRecord> records = new CopyOnWriteArrayList<>();

        private RecordedLog(Logger logger) {
            this.logger = logger;
            this.usedParentHandlers = logger.getUseParentHandlers();
        }

        /** Records what {@code source} logs instead of printing it. */
        static RecordedLog of(Class<?> source) {
            RecordedLog log = new RecordedLog(Logger.getLogger(source.getName()));
            log.logger.setUseParentHandlers(false);
            log.logger.addHandler(log);
            return log;
        }

        List<LogRecord> records() {
            return records;
        }

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
            logger.setUseParentHandlers(usedParentHandlers);
        }
    }

    private static void writeCredentials(Path file, String secret, Instant modified) throws IOException {
        Files.writeString(file, "[default]\naws_access_key_id=%s\naws_secret_access_key=%s\n".formatted(server.accessKeyId(), secret), UTF_8);
        Files.setLastModifiedTime(file, FileTime.from(modified));
    }

    private static void write(StorageFileSystem target, Location file, TestContent content) {
        try {
            content.writeTo(target, file);
        }
        catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
    }

    private static Checksum sha256(StorageFileSystem source, Location file) throws IOException {
        return TestContent.sha256Of(source, file);
    }

    private static List<String> listRelativePaths(StorageFileSystem source, Location directory) {
        List<String> paths = new ArrayList<>();
        FileIterator iterator = source.list(directory);
        while (iterator.hasNext()) {
            paths.add(directory.relativePathOf(iterator.next().location()));
        }
        return paths;
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        }
        catch (NoSuchAlgorithmException exception) {
            throw new IllegalStateException(exception);
        }
    }
}
