package io.roam.storage.gcs;

import static io.roam.storage.testing.AbstractStorageFileSystemContractTest.assertFailsWith;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.cloud.WriteChannel;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobWriteOption;

import io.roam.storage.Checksum;
import io.roam.storage.ChecksumCalculator;
import io.roam.storage.FileEntry;
import io.roam.storage.FileIterator;
import io.roam.storage.Location;
import io.roam.storage.StorageBackend;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageErrors;
import io.roam.storage.StorageException;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageOutputStream;
import io.roam.storage.StorageProfile;
import io.roam.storage.WriteVerification;
import io.roam.storage.WriteVerification.StoredChecksum;
import io.roam.storage.gcs.testing.GcsEmulatorServer;
import io.roam.storage.testing.AbstractWriteVerificationContractTest;
import io.roam.storage.testing.TestContent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.zip.CRC32C;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the GCS backend does beyond the shared contract, against the emulator. */
class GcsFileSystemTest {

    private static final String BUCKET = "roam-test";
    private static final String MISSING_BUCKET = "roam-missing";
    private static final int CHUNK_SIZE = GcsFileSystemContractTest.TEST_CHUNK_SIZE;

    @TempDir
    static Path workDirectory;

    private static GcsEmulatorServer server;

    private StorageFileSystem fileSystem;
    private Location root;

    @BeforeAll
    static void startServer() {
        server = GcsEmulatorServer.start(workDirectory);
        server.createBucket(BUCKET);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void createFileSystem() {
        root = Location.parse("gs://%s/test-%s/".formatted(BUCKET, UUID.randomUUID()));
        fileSystem = new GcsStorageBackend().create(GcsFileSystemContractTest.smallChunkProfile(server,
                List.of(Location.parse("gs://%s/".formatted(BUCKET)), Location.parse("gs://%s/".formatted(MISSING_BUCKET)))));
    }

    @AfterEach
    void closeFileSystem() {
        fileSystem.close();
    }

    @Test
    void theBackendIsFoundByItsName() {
        assertThat(ServiceLoader.load(StorageBackend.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(backend -> assertThat(backend).isInstanceOf(GcsStorageBackend.class).extracting(StorageBackend::name).isEqualTo("gcs"));
    }

    /**
     * Sent as five full chunks and a partial one of one resumable session. The stock emulator finalized
     * the object after the first chunk (the launcher's CHUNKED_RESUMABLE_UPLOAD_FINALIZED_AFTER_FIRST_CHUNK
     * workaround); a truncation anywhere shows as a wrong size or digest here.
     */
    @Test
    void aFileOfSeveralChunksRoundTripsByteExact() throws IOException {
        Location file = root.resolve("chunks.bin");
        TestContent content = new TestContent(31, 5L * CHUNK_SIZE + 12_345);

        write(file, content);

        assertThat(fileSystem.stat(file)).hasValueSatisfying(entry -> assertThat(entry.size()).isEqualTo(content.size()));
        try (InputStream stream = fileSystem.openRead(file, 0)) {
            assertThat(TestContent.sha256Of(stream)).isEqualTo(content.sha256());
        }
        long acrossAChunkBoundary = 3L * CHUNK_SIZE - 100;
        try (InputStream stream = fileSystem.openRead(file, acrossAChunkBoundary)) {
            assertThat(stream.readNBytes(200)).isEqualTo(content.newInputStream(acrossAChunkBoundary).readNBytes(200));
        }
    }

    /**
     * The client sends the crc32c of the whole content with the last chunk of every upload, and GCS refuses
     * an upload whose bytes do not match it. Quirk CRC32C_NOT_VALIDATED: the emulator never checks it, so
     * that refusal cannot be shown here; what can be is that the crc32c GCS keeps, reported by stat and
     * list, is that of the bytes written.
     */
    @Test
    void theNativeChecksumIsTheCrc32cOfTheContent() {
        Location file = root.resolve("checksummed.bin");
        TestContent content = new TestContent(32, 2L * CHUNK_SIZE + 7);
        CRC32C crc32c = new CRC32C();
        crc32c.update(content.bytes());
        Checksum expected = new Checksum("crc32c", HexFormat.of().toHexDigits((int) crc32c.getValue()));

        write(file, content);

        assertThat(fileSystem.stat(file)).hasValueSatisfying(entry -> assertThat(entry.nativeChecksum()).contains(expected));
        assertThat(list(root)).singleElement().satisfies(entry -> assertThat(entry.nativeChecksum()).contains(expected));
    }

    /**
     * The stored crc32c is the one the server computed from the bytes it received, never one a client
     * declared: GCS refuses an upload whose declared crc32c differs from its own, and the emulator (quirk
     * CRC32C_NOT_VALIDATED) accepts it but keeps the crc32c of the bytes. Write verification against the
     * emulator thus compares with what the server received, as against GCS.
     */
    @Test
    void theStoredChecksumIsComputedFromTheBytesNotDeclaredByTheClient() throws Exception {
        Location file = root.resolve("declared.bin");
        byte[] content = new TestContent(34, 1000).bytes();
        BlobInfo declaringAnotherCrc32c = BlobInfo.newBuilder(BUCKET, file.toString().substring("gs://%s/".formatted(BUCKET).length()))
                .setCrc32c(Base64.getEncoder().encodeToString(new byte[4]))
                .build();
        try (Storage client = server.client(); WriteChannel channel = client.writer(declaringAnotherCrc32c, BlobWriteOption.crc32cMatch())) {
            channel.write(ByteBuffer.wrap(content));
        }
        WriteVerification verification = (WriteVerification) fileSystem;
        ChecksumCalculator fromTheBytes = verification.checksumOfWrite(content.length);
        fromTheBytes.update(content, 0, content.length);

        assertThat(verification.storedChecksum(file)).contains(new StoredChecksum(content.length, fromTheBytes.value()));
        assertThat(fromTheBytes.value().value()).isNotEqualTo("00000000");
    }

    @Test
    void theGcsSchemeAliasNamesTheSameObjects() throws IOException {
        Location alias = Location.parse("gcs://" + root.toString().substring("gs://".length())).resolve("alias.bin");
        TestContent content = new TestContent(33, 1000);

        write(alias, content);

        assertThat(read(root.resolve("alias.bin"))).isEqualTo(content.bytes());
        assertThat(list(Location.parse("gcs://" + root.toString().substring("gs://".length()))))
                .extracting(entry -> entry.location().toString())
                .containsExactly(alias.toString());
    }

    /** The stock emulator creates any bucket a request names (quirk BUCKETS_CREATED_ON_FIRST_USE, worked around in the launcher). */
    @Test
    void aMissingBucketIsNotFound() {
        Location file = Location.parse("gs://%s/data/file.bin".formatted(MISSING_BUCKET));

        assertFailsWith(StorageErrorKind.NOT_FOUND, () -> fileSystem.list(Location.parse("gs://%s/data/".formatted(MISSING_BUCKET))));
        assertFailsWith(StorageErrorKind.NOT_FOUND, () -> fileSystem.openRead(file, 0).close());
        assertThat(classifiedKind(() -> {
            try (OutputStream stream = fileSystem.openWrite(file)) {
                stream.write(new byte[10]);
            }
        })).isEqualTo(StorageErrorKind.NOT_FOUND);
        // No file exists there, which is all that stat and an idempotent delete say.
        assertThat(fileSystem.stat(file)).isEmpty();
        fileSystem.delete(file);
    }

    @Test
    void locationsBreakingGcsNamingRulesAreInvalid() {
        for (String location : List.of("gs://ab/file.bin", "gs://Roam-Test/file.bin", "gs://192.168.1.20/file.bin",
                "gs://goog-data/file.bin", "gs://my-google-data/file.bin", "gs://a..b/file.bin", "gs://%s/file.bin".formatted("b".repeat(64)))) {
            assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.stat(Location.parse(location)));
            assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.openWrite(Location.parse(location)).close());
        }
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.stat(root.resolve("x".repeat(1025))));
    }

    @Test
    void locationsOutsideTheProfileRootsAreInvalid() {
        StorageFileSystem prefixed = new GcsStorageBackend().create(server.profile("prefixed", List.of(root.resolve("allowed/"))));

        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> prefixed.stat(root.resolve("other/file.bin")));
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> prefixed.list(root));
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> prefixed.openWrite(root.resolve("allowed-not/file.bin")));
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.stat(Location.parse("gs://roam-other/file.bin")));
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> fileSystem.stat(Location.parse("s3://%s/file.bin".formatted(BUCKET))));
        assertThat(prefixed.stat(root.resolve("allowed/file.bin"))).isEmpty();
        prefixed.close();
    }

    /**
     * Quirk NO_AUTHENTICATION: the stock emulator accepts any credentials. The launcher grants tokens only
     * to its own service account, and refuses others at its token endpoint like Google does.
     */
    @Test
    void aServiceAccountKeyThatIsRefusedIsAccessDenied() throws IOException {
        Path key = GcsEmulatorServer.writeServiceAccountKey(workDirectory.resolve("intruder.json"), "intruder@roam-test.iam.gserviceaccount.com", server.endpoint());
        String keyJson = Files.readString(key, UTF_8);
        String marker = "BEGIN PRIVATE KEY-----\\n";
        String privateKeyStart = keyJson.substring(keyJson.indexOf(marker) + marker.length()).substring(0, 40);
        Map<String, String> properties = new HashMap<>(server.properties());
        properties.put("credentials-file", key.toString());
        StorageFileSystem refused = new GcsStorageBackend().create(profile(properties));

        for (Throwable failure : List.of(
                catchThrowable(() -> refused.stat(root.resolve("file.bin"))),
                catchThrowable(() -> refused.list(root)),
                catchThrowable(() -> refused.openRead(root.resolve("file.bin"), 0)))) {
            assertThat(failure).isInstanceOfSatisfying(StorageException.class, exception -> {
                assertThat(exception.kind()).isEqualTo(StorageErrorKind.ACCESS_DENIED);
                assertThat(exception.getMessage()).contains(root.toString()).doesNotContain(privateKeyStart);
            });
        }
        refused.close();
    }

    @Test
    void anonymousRequestsToAServerRequiringCredentialsAreAccessDenied() {
        Map<String, String> properties = new HashMap<>(server.properties());
        properties.put("credentials", "anonymous");
        properties.remove("credentials-file");
        StorageFileSystem anonymous = new GcsStorageBackend().create(profile(properties));

        assertFailsWith(StorageErrorKind.ACCESS_DENIED, () -> anonymous.stat(root.resolve("file.bin")));
        assertFailsWith(StorageErrorKind.ACCESS_DENIED, () -> anonymous.list(root));
        assertThat(classifiedKind(() -> {
            try (OutputStream stream = anonymous.openWrite(root.resolve("file.bin"))) {
                stream.write(new byte[10]);
            }
        })).isEqualTo(StorageErrorKind.ACCESS_DENIED);
        anonymous.close();
    }

    @Test
    void aServiceAccountKeyMayComeFromAnEnvironmentVariable() throws IOException {
        String keyJson = Files.readString(server.serviceAccountKey(), UTF_8);
        Map<String, String> properties = new HashMap<>(server.properties());
        properties.put("credentials", "service-account-env");
        properties.put("credentials-env", "ROAM_TEST_GCS_KEY");
        properties.remove("credentials-file");
        Location file = root.resolve("from-environment.bin");
        TestContent content = new TestContent(34, 100);

        try (StorageFileSystem fromEnvironment = new GcsStorageBackend(Map.of("ROAM_TEST_GCS_KEY", keyJson)::get).create(profile(properties))) {
            try (OutputStream stream = fromEnvironment.openWrite(file)) {
                content.newInputStream().transferTo(stream);
            }
        }

        assertThat(read(file)).isEqualTo(content.bytes());
        assertThatThrownBy(() -> new GcsStorageBackend(Map.<String, String>of()::get).create(profile(properties)))
                .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.kind()).isEqualTo(StorageErrorKind.ACCESS_DENIED))
                .hasMessageContaining("ROAM_TEST_GCS_KEY");
    }

    @Test
    void aMissingKeyFileIsAccessDeniedAndNamesOnlyTheFile() {
        Map<String, String> properties = new HashMap<>(server.properties());
        properties.put("credentials-file", workDirectory.resolve("missing.json").toString());

        assertThatThrownBy(() -> new GcsStorageBackend().create(profile(properties)))
                .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.kind()).isEqualTo(StorageErrorKind.ACCESS_DENIED))
                .hasMessageContaining("missing.json");
    }

    @Test
    void profilesThatDoNotSuitTheBackendAreRefused() {
        Map<String, String> properties = server.properties();
        List<Location> roots = List.of(Location.parse("gs://%s/".formatted(BUCKET)));

        assertThatThrownBy(() -> new GcsStorageBackend().create(new StorageProfile("p", "gcs", List.of(Location.parse("s3://bucket/")), Optional.empty(), Optional.empty(), properties)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("s3://bucket/");
        assertThatThrownBy(() -> new GcsStorageBackend().create(new StorageProfile("p", "gcs", List.of(Location.parse("gs://Bad_Bucket/")), Optional.empty(), Optional.empty(), properties)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Bad_Bucket");
        for (Map.Entry<String, String> wrong : List.of(Map.entry("chunk-size", "1000"), Map.entry("chunk-size", "lots"), Map.entry("list-page-size", "5000"),
                Map.entry("credentials", "password"), Map.entry("endpoint", "127.0.0.1:9199"), Map.entry("secret-key", "x"))) {
            Map<String, String> withWrong = new HashMap<>(properties);
            withWrong.put(wrong.getKey(), wrong.getValue());
            assertThatThrownBy(() -> new GcsStorageBackend().create(new StorageProfile("p", "gcs", roots, Optional.empty(), Optional.empty(), withWrong)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(wrong.getKey());
        }
    }

    /** An aborted write's session is abandoned, never finalized: later writes fail and close publishes nothing. */
    @Test
    void writesAfterAnAbortFailAndCloseStillPublishesNothing() throws IOException {
        Location file = root.resolve("aborted.bin");
        StorageOutputStream stream = fileSystem.openWrite(file);
        stream.write(new byte[CHUNK_SIZE + 1]);

        stream.abort();

        assertThatThrownBy(() -> stream.write(new byte[1])).isInstanceOf(IOException.class);
        stream.close();
        assertThat(fileSystem.stat(file)).isEmpty();
    }

    /** A file that fits in one chunk is sent only on close, in one request: aborted before, nothing is sent. */
    @Test
    void aWriteAbortedBeforeItOutgrewOneChunkLeavesThePreviousObject() throws IOException {
        Location file = root.resolve("kept.bin");
        TestContent previous = new TestContent(33, 1000);
        write(file, previous);
        StorageOutputStream stream = fileSystem.openWrite(file);
        stream.write(new byte[CHUNK_SIZE / 2]);

        stream.abort();
        stream.close();

        assertThat(read(file)).isEqualTo(previous.bytes());
    }

    private StorageProfile profile(Map<String, String> properties) {
        return new StorageProfile("gcs-test", "gcs", List.of(Location.parse("gs://%s/".formatted(BUCKET))), Optional.empty(), Optional.empty(), properties);
    }

    private static StorageErrorKind classifiedKind(ThrowingCallable operation) {
        Throwable failure = catchThrowable(operation);
        assertThat(failure).as("a failure").isNotNull();
        return StorageErrors.classify(failure).kind();
    }

    private void write(Location file, TestContent content) {
        try (InputStream source = content.newInputStream(); OutputStream stream = fileSystem.openWrite(file)) {
            source.transferTo(stream);
        }
        catch (IOException exception) {
            throw new AssertionError("cannot write " + file, exception);
        }
    }

    private byte[] read(Location file) throws IOException {
        try (InputStream stream = fileSystem.openRead(file, 0)) {
            return stream.readAllBytes();
        }
    }

    private List<FileEntry> list(Location directory) {
        FileIterator iterator = fileSystem.list(directory);
        List<FileEntry> entries = new ArrayList<>();
        while (iterator.hasNext()) {
            entries.add(iterator.next());
        }
        return entries;
    }

    /**
     * The shared contract of write verification, on this class's emulator. GCS keeps one crc32c of the
     * whole object, whatever the chunks of its upload: the suite's part size is the chunk size.
     */
    @Nested
    class VerifiedWrites extends AbstractWriteVerificationContractTest {

        private final Location root = Location.parse("gs://%s/test-%s/".formatted(BUCKET, UUID.randomUUID()));

        @Override
        protected StorageFileSystem newFileSystem() {
            return new GcsStorageBackend().create(GcsFileSystemContractTest.smallChunkProfile(server,
                    List.of(Location.parse("gs://%s/".formatted(BUCKET)))));
        }

        @Override
        protected Location rootDirectory() {
            return root;
        }

        /**
         * A file that fits in one chunk is one upload, whose answer is the object; the channel of a resumable
         * upload ({@code Storage.writer}) does not expose the object its last chunk's answer describes.
         */
        @Override
        protected boolean answersWritesWithTheStoredChecksum(long size) {
            return size <= partSize();
        }

        @Override
        protected int partSize() {
            return CHUNK_SIZE;
        }
    }
}
