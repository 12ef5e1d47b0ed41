package io.roam.storage.azure;

import io.roam.storage.Location;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.azure.testing.AzuriteServer;
import io.roam.storage.testing.AbstractServerSideCopyContractTest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage contract against Azurite, with 4 MiB blocks so that the 12 MiB large file is staged as three
 * blocks and committed as a block list. Every test gets a fresh prefix in one shared container.
 */
class AzureFileSystemContractTest extends AbstractServerSideCopyContractTest {

    static final Map<String, String> SMALL_BLOCKS = Map.of(
            "block-size", "4MiB",
            "copy-block-size", "4MiB",
            // Smaller than the contract's 250-file listing, so that listings span several pages.
            "list-page-size", "100");
    private static final String CONTAINER = "contract";

    @TempDir
    static Path workDirectory;

    private static AzuriteServer azurite;
    private static StorageFileSystem fileSystem;

    private Location root;

    @BeforeAll
    static void startAzurite() throws IOException {
        azurite = AzuriteServer.start(workDirectory);
        azurite.createContainer(CONTAINER);
        fileSystem = new AzureStorageBackend().create(azurite.profile("contract", List.of(Location.parse("az://" + CONTAINER + "/")), SMALL_BLOCKS));
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

    @Override
    protected boolean copiesLargeFilesInSeveralRequests() {
        // copy-block-size 4MiB: one staged block per 4 MiB.
        return true;
    }
}
