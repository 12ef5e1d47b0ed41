package io.roam.storage;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A backend named {@code fake} whose file systems only record that they were created and closed.
 * Registered with {@link java.util.ServiceLoader} for the tests of this module.
 */
public final class FakeStorageBackend implements StorageBackend {

    private final String name;
    private final List<FakeFileSystem> created = new ArrayList<>();

    public FakeStorageBackend() {
        this("fake");
    }

    FakeStorageBackend(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized StorageFileSystem create(StorageProfile profile) {
        FakeFileSystem fileSystem = new FakeFileSystem(profile);
        created.add(fileSystem);
        return fileSystem;
    }

    synchronized List<FakeFileSystem> created() {
        return List.copyOf(created);
    }

    static final class FakeFileSystem implements StorageFileSystem {

        private final StorageProfile profile;
        private volatile boolean closed;

        FakeFileSystem(StorageProfile profile) {
            this.profile = profile;
        }

        StorageProfile profile() {
            return profile;
        }

        boolean closed() {
            return closed;
        }

        @Override
        public FileIterator list(Location directory) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<FileEntry> stat(Location file) {
            throw new UnsupportedOperationException();
        }

        @Override
        public InputStream openRead(Location file, long offset) {
            throw new UnsupportedOperationException();
        }

        @Override
        public StorageOutputStream openWrite(Location file) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delete(Location file) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
