package io.roam.storage.gcs;

import io.roam.storage.Location;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageProfile;
import io.roam.storage.gcs.testing.GcsEmulatorServer;
import io.roam.storage.testing.AbstractWriteVerificationContractTest;

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
 * Write verification against the GCS emulator. GCS keeps one crc32c of the whole object, whatever the
 * chunks of its upload: the part size of the suite is the chunk size, the smallest a profile allows
 * (256 KiB), so that the sizes around chunk boundaries stay small.
 */
class GcsWriteVerificationContractTest extends AbstractWriteVerificationContractTest {

    private static final String BUCKET = "roam-verification";
    private static final int CHUNK_SIZE = 256 * 1024;

    @TempDir
    static Path workDirectory;

    private static GcsEmulatorServer server;

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
    void createRoot() {
        root = Location.parse("gs://%s/test-%s/".formatted(BUCKET, UUID.randomUUID()));
    }

    @Override
    protected StorageFileSystem newFileSystem() {
        Map<String, String> properties = new HashMap<>(server.properties());
        properties.put("chunk-size", String.valueOf(CHUNK_SIZE));
        return new GcsStorageBackend().create(new StorageProfile("gcs-verification", "gcs", List.of(Location.parse("gs://" + BUCKET + "/")),
                Optional.empty(), Optional.empty(), properties));
    }

    @Override
    protected Location rootDirectory() {
        return root;
    }

    /** The channel of {@code Storage.writer} does not expose the object the last chunk's answer describes. */
    @Override
    protected boolean answersWritesWithTheStoredChecksum() {
        return false;
    }

    @Override
    protected int partSize() {
        return CHUNK_SIZE;
    }
}
