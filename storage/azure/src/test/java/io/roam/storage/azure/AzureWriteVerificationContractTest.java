package io.roam.storage.azure;

import io.roam.storage.Location;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.azure.testing.AzuriteServer;
import io.roam.storage.testing.AbstractWriteVerificationContractTest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Write verification against Azurite, with the smallest block size a profile allows, 64 KiB. */
class AzureWriteVerificationContractTest extends AbstractWriteVerificationContractTest {

    private static final String CONTAINER = "verification";
    private static final int BLOCK_SIZE = 64 * 1024;

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
        return new AzureStorageBackend().create(azurite.profile("verification", List.of(Location.parse("az://" + CONTAINER + "/")),
                Map.of("block-size", "64KiB")));
    }

    @Override
    protected Location rootDirectory() {
        return root;
    }

    /** Put Blob answers with the MD5 the service computed; a committed block list is the blocks it checked. */
    @Override
    protected boolean answersWritesWithTheStoredChecksum() {
        return true;
    }

    @Override
    protected int partSize() {
        return BLOCK_SIZE;
    }
}
