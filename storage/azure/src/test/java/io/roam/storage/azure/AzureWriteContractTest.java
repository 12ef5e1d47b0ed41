package io.roam.storage.azure;

import io.roam.storage.Location;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.azure.testing.AzuriteServer;
import io.roam.storage.testing.AbstractResumableWriteContractTest;
import io.roam.storage.testing.AbstractWriteVerificationContractTest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The write capabilities of block blobs against one Azurite: resumed writes and their verification. */
class AzureWriteContractTest {

    private static final String CONTAINER = "writes";

    @TempDir
    static Path workDirectory;

    private static AzuriteServer azurite;

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

    private static StorageFileSystem newFileSystem(Map<String, String> properties) {
        return new AzureStorageBackend().create(azurite.profile("writes", List.of(Location.parse("az://" + CONTAINER + "/")), properties));
    }

    private static Location newRoot() {
        return Location.parse("az://%s/%s/".formatted(CONTAINER, UUID.randomUUID()));
    }

    /** With 1 MiB blocks staged one at a time. */
    @Nested
    class ResumedWrites extends AbstractResumableWriteContractTest {

        private final Location root = newRoot();

        @Override
        protected StorageFileSystem newFileSystem() {
            return AzureWriteContractTest.newFileSystem(Map.of("block-size", "1MiB", "upload-concurrency", "1"));
        }

        @Override
        protected Location rootDirectory() {
            return root;
        }

        @Override
        protected int partSize() {
            return 1024 * 1024;
        }

        @Override
        protected boolean abortDiscardsStoredParts() {
            // Blob storage has no request that discards uncommitted blocks without touching the blob.
            return false;
        }
    }

    /** With the smallest block size a profile allows, 64 KiB. */
    @Nested
    class VerifiedWrites extends AbstractWriteVerificationContractTest {

        private final Location root = newRoot();

        @Override
        protected StorageFileSystem newFileSystem() {
            return AzureWriteContractTest.newFileSystem(Map.of("block-size", "64KiB"));
        }

        @Override
        protected Location rootDirectory() {
            return root;
        }

        /** Put Blob answers with the MD5 the service computed; a committed block list is the blocks it checked. */
        @Override
        protected boolean answersWritesWithTheStoredChecksum(long size) {
            return true;
        }

        @Override
        protected int partSize() {
            return 64 * 1024;
        }
    }
}
