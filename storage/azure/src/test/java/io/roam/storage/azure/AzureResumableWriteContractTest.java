package io.roam.storage.azure;

import io.roam.storage.Location;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.azure.testing.AzuriteServer;
import io.roam.storage.testing.AbstractResumableWriteContractTest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Resumed block blob writes against Azurite, with 1 MiB blocks staged one at a time. */
class AzureResumableWriteContractTest extends AbstractResumableWriteContractTest {

    private static final String CONTAINER = "resume";
    private static final int BLOCK_SIZE = 1024 * 1024;

    @TempDir
    static Path workDirectory;

    private static AzuriteServer azurite;

    private Location root;

    @BeforeAll
    static void startAzurite() throws IOException {
        azurite = AzuriteServer.start(workDirectory);
        azurite.createContainer(CONTAINER);
    }

    @AfterAll
    static void stopAzurite() {
        if (azurite != null) {
            azurite.close();
        }
    }

    @BeforeEach
    void chooseRoot() {
        root = Location.parse("az://%s/%s/".formatted(CONTAINER, UUID.randomUUID()));
    }

    @Override
    protected StorageFileSystem newFileSystem() {
        return new AzureStorageBackend().create(azurite.profile("resume", List.of(Location.parse("az://" + CONTAINER + "/")),
                Map.of("block-size", "1MiB", "upload-concurrency", "1")));
    }

    @Override
    protected Location rootDirectory() {
        return root;
    }

    @Override
    protected int partSize() {
        return BLOCK_SIZE;
    }
}
