package io.roam.storage.azure;

import io.roam.storage.Location;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.azure.testing.AzuriteServer;
import io.roam.storage.testing.AbstractServerSideCopyContractTest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Server-side copies against Azurite: with 4 MiB copy blocks, the 12 MiB file is copied as three Put Block From URL. */
class AzureServerSideCopyContractTest extends AbstractServerSideCopyContractTest {

    private static final String CONTAINER = "copies";

    @TempDir
    static Path workDirectory;

    private static AzuriteServer azurite;
    private static StorageFileSystem fileSystem;

    private Location root;

    @BeforeAll
    static void startAzurite() throws IOException {
        azurite = AzuriteServer.start(workDirectory);
        azurite.createContainer(CONTAINER);
        fileSystem = new AzureStorageBackend().create(
                azurite.profile("copies", List.of(Location.parse("az://" + CONTAINER + "/")), AzureFileSystemContractTest.SMALL_BLOCKS));
    }

    @AfterAll
    static void stopAzurite() {
        if (fileSystem != null) {
            fileSystem.close();
        }
        if (azurite != null) {
            azurite.close();
        }
    }

    @BeforeEach
    void chooseRoot() {
        root = Location.parse("az://%s/%s/".formatted(CONTAINER, UUID.randomUUID()));
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
