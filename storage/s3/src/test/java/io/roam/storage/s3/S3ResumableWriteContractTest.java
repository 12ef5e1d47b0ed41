package io.roam.storage.s3;

import io.roam.storage.Location;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.s3.testing.S3ProxyServer;
import io.roam.storage.testing.AbstractResumableWriteContractTest;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Resumed multipart uploads against S3Proxy, with S3's smallest part size and one part in flight at a time. */
class S3ResumableWriteContractTest extends AbstractResumableWriteContractTest {

    private static final String BUCKET = "roam-resume";
    private static final int PART_SIZE = 5 * 1024 * 1024;

    @TempDir
    static Path workDirectory;

    private static S3ProxyServer server;

    private Location root;

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

    @BeforeEach
    void createRoot() {
        root = Location.parse("s3://%s/%s/".formatted(BUCKET, UUID.randomUUID()));
    }

    @Override
    protected StorageFileSystem newFileSystem() {
        return new S3StorageBackend().create(server.profile("resume", List.of(Location.parse("s3://" + BUCKET + "/")),
                Map.of("part-size", "5MiB", "upload-concurrency", "1")));
    }

    @Override
    protected Location rootDirectory() {
        return root;
    }

    @Override
    protected int partSize() {
        return PART_SIZE;
    }
}
