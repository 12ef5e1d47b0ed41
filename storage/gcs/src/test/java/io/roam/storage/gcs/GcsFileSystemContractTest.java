package io.roam.storage.gcs;

import io.roam.storage.Location;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageProfile;
import io.roam.storage.gcs.testing.GcsEmulatorServer;
import io.roam.storage.testing.AbstractServerSideCopyContractTest;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract against the GCS emulator, with uploads in 1 MiB chunks (so that the 12 MiB large file
 * takes twelve requests of one resumable session) and listings in pages of 100 objects.
 */
class GcsFileSystemContractTest extends AbstractServerSideCopyContractTest {

    static final String BUCKET = "roam-contract";
    static final int TEST_CHUNK_SIZE = 1024 * 1024;

    @TempDir
    static Path workDirectory;

    private static GcsEmulatorServer server;
    private static StorageFileSystem fileSystem;

    private Location root;

    @BeforeAll
    static void startServer() {
        server = GcsEmulatorServer.start(workDirectory);
        server.createBucket(BUCKET);
        fileSystem = new GcsStorageBackend().create(smallChunkProfile(server, List.of(Location.parse("gs://" + BUCKET + "/"))));
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

    static StorageProfile smallChunkProfile(GcsEmulatorServer server, List<Location> roots) {
        Map<String, String> properties = new HashMap<>(server.properties());
        properties.put("chunk-size", String.valueOf(TEST_CHUNK_SIZE));
        properties.put("list-page-size", "100");
        return new StorageProfile("gcs-test", "gcs", roots, Optional.empty(), Optional.empty(), properties);
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

    @Override
    protected boolean copiesLargeFilesInSeveralRequests() {
        // Within one location and storage class a rewrite completes in its first call.
        return false;
    }
}
