package io.roam.storage.local;

import io.roam.storage.Location;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageProfile;
import io.roam.storage.testing.AbstractResumableWriteContractTest;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.io.TempDir;

/** Resumable writes continue the partial file a write left when its file system was closed, as a process death leaves it. */
class LocalResumableWriteContractTest extends AbstractResumableWriteContractTest {

    @TempDir
    Path temporaryDirectory;

    @Override
    protected StorageFileSystem newFileSystem() {
        Location root = Location.parse(temporaryDirectory + "/");
        return new LocalStorageBackend().create(new StorageProfile("test", "local", List.of(root), Optional.empty(), Optional.empty(), Map.of()));
    }

    @Override
    protected Location rootDirectory() {
        return Location.parse(temporaryDirectory + "/");
    }

    @Override
    protected int partSize() {
        return AtomicFileOutputStream.RESUME_BLOCK_SIZE;
    }

    @Override
    protected boolean abortDiscardsStoredParts() {
        return true;
    }
}
