package io.roam.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roam.storage.FileEntry;
import io.roam.storage.FileIterator;
import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageErrors;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.s3.testing.S3ProxyServer;
import io.roam.storage.testing.TestContent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3 over HTTPS, as AWS and most on-premises stores are reached: payloads go {@code UNSIGNED-PAYLOAD}
 * under TLS, checked by a real server that verifies every signature, and a server with a private
 * certificate is trusted only through the profile's {@code trust-certificates}.
 */
class S3OverHttpsTest {

    private static final String BUCKET = "roam-tls";
    private static final long MEBIBYTE = 1024 * 1024;

    @TempDir
    static Path workDirectory;

    private static S3ProxyServer server;

    private final List<StorageFileSystem> fileSystems = new ArrayList<>();
    private final Location root = Location.parse("s3://%s/%s/".formatted(BUCKET, UUID.randomUUID()));

    @BeforeAll
    static void startServer() {
        server = S3ProxyServer.startWithTls(workDirectory);
        server.createBucket(BUCKET);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void closeFileSystems() {
        fileSystems.forEach(StorageFileSystem::close);
    }

    @Test
    void singleRequestAndMultipartObjectsAreWrittenListedAndReadWithUnsignedPayloads() throws IOException {
        StorageFileSystem fileSystem = fileSystem(Map.of("trust-certificates", server.tls().certificateFile().toString()));
        TestContent small = new TestContent(1, 1000);
        TestContent large = new TestContent(2, 12 * MEBIBYTE + 3);

        small.writeTo(fileSystem, root.resolve("small.bin"));
        large.writeTo(fileSystem, root.resolve("large.bin"));

        assertThat(TestContent.sha256Of(fileSystem, root.resolve("small.bin"))).isEqualTo(small.sha256());
        assertThat(TestContent.sha256Of(fileSystem, root.resolve("large.bin"))).isEqualTo(large.sha256());
        assertThat(list(fileSystem)).extracting(FileEntry::size).containsExactlyInAnyOrder(small.size(), large.size());
        try (S3Client overPlainHttp = server.newClient()) {
            assertThat(overPlainHttp.headObject(request -> request.bucket(BUCKET).key(root.path() + "large.bin")).contentLength())
                    .isEqualTo(large.size());
        }
    }

    @Test
    void aServerWhoseCertificateTheProfileDoesNotTrustFailsEveryRequestAsFatal() {
        StorageFileSystem untrusting = fileSystem(Map.of());
        Location file = root.resolve("never-written.bin");

        assertThatThrownBy(() -> new TestContent(3, 1000).writeTo(untrusting, file))
                .satisfies(failure -> assertThat(StorageErrors.classify(failure).kind()).isEqualTo(StorageErrorKind.FATAL))
                .hasMessageContaining("does not trust");
        assertFatal(() -> untrusting.openRead(file, 0));
        assertFatal(() -> untrusting.list(root).hasNext());
    }

    @Test
    void certificatesThatCannotBeReadFailTheProfileNamingTheProperty() {
        Path missing = workDirectory.resolve("no-such-ca.pem");

        assertThatThrownBy(() -> fileSystem(Map.of("trust-certificates", missing.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("properties.trust-certificates")
                .hasMessageContaining(missing.toString());
    }

    private StorageFileSystem fileSystem(Map<String, String> properties) {
        Map<String, String> overHttps = new HashMap<>(properties);
        overHttps.put("endpoint", server.tls().endpoint().toString());
        overHttps.put("part-size", "5MiB");
        StorageFileSystem fileSystem = new S3StorageBackend().create(server.profile("tls", List.of(root), overHttps));
        fileSystems.add(fileSystem);
        return fileSystem;
    }

    private static void assertFatal(Runnable request) {
        assertThatThrownBy(request::run)
                .satisfies(failure -> assertThat(StorageErrors.classify(failure).kind()).isEqualTo(StorageErrorKind.FATAL));
    }

    private List<FileEntry> list(StorageFileSystem fileSystem) {
        List<FileEntry> entries = new ArrayList<>();
        FileIterator iterator = fileSystem.list(root);
        while (iterator.hasNext()) {
            entries.add(iterator.next());
        }
        return entries;
    }
}
