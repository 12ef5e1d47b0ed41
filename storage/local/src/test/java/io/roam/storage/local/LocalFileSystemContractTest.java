package io.roam.storage.local;

import io.roam.storage.Location;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageProfile;
import io.roam.storage.testing.AbstractStorageFileSystemContractTest;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The contract on bare absolute paths; {@link LocalFileSystemFileUriContractTest} runs it on {@code file:///} locations. */
class LocalFileSystemContractTest extends AbstractStorageFileSystemContractTest {

    @TempDir
    Path temporaryDirectory;

    private Location root;
    private StorageFileSystem fileSystem;

    Location toDirectoryLocation(Path directory) {
        return Location.parse(directory + "/");
    }

    @BeforeEach
    void createFileSystem() {
        root = toDirectoryLocation(temporaryDirectory);
        fileSystem = new LocalStorageBackend().create(new StorageProfile("test", "local", List.of(root), Optional.empty(), Optional.empty(), Map.of()));
    }

    @AfterEach
    void closeFileSystem() {
        fileSystem.close();
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
