package io.roam.storage.gcs;

import io.roam.storage.Location;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.gcs.testing.GcsEmulatorServer;
import io.roam.storage.testing.AbstractServerSideCopyContractTest;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server-side copy (GCS rewrite) against the emulator. The stock emulator answers 501 to the client's
 * rewrite request; the launcher's JSON_API_PREFIX_MISSING_ON_SOME_ROUTES workaround routes it to the
 * emulator's copy, which completes in one call.
 */
class GcsServerSideCopyContractTest extends AbstractServerSideCopyContractTest {

    private static final String BUCKET = "roam-copy";

    @TempDir
    static Path workDirectory;

    private static GcsEmulatorServer server;
    private static StorageFileSystem fileSystem;

    private Location root;

    @BeforeAll
    static void startServer() {
        server = GcsEmulatorServer.start(workDirectory);
        server.createBucket(BUCKET);
        fileSystem = new GcsStorageBackend().create(GcsFileSystemContractTest.smallChunkProfile(server, List.of(Location.parse("gs://" + BUCKET + "/"))));
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
        root = Location.parse("gs://%s/test-%s/".formatted(BUCKET, UUID.randomUUID()));
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
