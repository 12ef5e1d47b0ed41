package io.roam.storage.s3;

import io.roam.storage.Location;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.s3.testing.S3ProxyServer;
import io.roam.storage.testing.AbstractServerSideCopyContractTest;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract against S3Proxy, with the smallest part size S3 allows and small listing pages, so
 * that the 12 MiB large file is uploaded in three parts and the 250-file listing spans three pages.
 * The multipart copy threshold is lowered to 5 MiB for the {@linkplain ServerSideCopyContractTest
 * server-side copies}.
 */
class S3FileSystemContractTest extends AbstractServerSideCopyContractTest {

    private static final String BUCKET = "roam-contract";

    @TempDir
    static Path workDirectory;

    private static S3ProxyServer server;
    private static StorageFileSystem fileSystem;

    private Location root;

    @BeforeAll
    static void startServer() {
        server = S3ProxyServer.start(workDirectory);
        server.createBucket(BUCKET);
        fileSystem = new S3StorageBackend().create(server.profile("contract", List.of(Location.parse("s3://" + BUCKET + "/")),
                Map.of("part-size", "5MiB", "list-page-size", "100", "multipart-copy-threshold", "5MiB")));
    }

    @AfterAll
    static void stopServer() {
        if (fileSystem != null) {
            fileSystem.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void createRoot() {
        root = Location.parse("s3://%s/%s/".formatted(BUCKET, UUID.randomUUID()));
    }

    @Override
    protected StorageFileSystem fileSystem() {
        return fileSystem;
    }

    @Override
    protected Location rootDirectory() {
        return root;
    }
}
