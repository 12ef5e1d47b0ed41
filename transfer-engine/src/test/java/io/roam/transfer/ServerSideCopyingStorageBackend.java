package io.roam.transfer;

import io.roam.storage.FileEntry;
import io.roam.storage.FileIterator;
import io.roam.storage.Location;
import io.roam.storage.ServerSideCopy;
import io.roam.storage.StorageBackend;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageOutputStream;
import io.roam.storage.StorageProfile;
import io.roam.storage.local.LocalStorageBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * The local backend with the server-side copy capability, standing in for a provider that copies by
 * itself; it records its copies and writes, can be told to store a wrong copy, and lets a test act when a
 * copy starts.
 */
final class ServerSideCopyingStorageBackend implements StorageBackend {

    final List<Location> serverSideCopies = new CopyOnWriteArrayList<>();
    final List<Location> writesOpened = new CopyOnWriteArrayList<>();
    /** Whether copies lose their last byte, as a broken provider might. */
    volatile boolean truncateCopies;
    /** Runs when a copy starts, before it asks whether to stop. */
    volatile Runnable beforeCopying = () -> { };

    @Override
    public String name() {
        return "copying";
    }

    @Override
    public StorageFileSystem create(StorageProfile profile) {
        StorageFileSystem local = new LocalStorageBackend().create(profile);
        return new CopyingFileSystem(local);
    }

    private final class CopyingFileSystem implements StorageFileSystem, ServerSideCopy {

        private final StorageFileSystem local;

        CopyingFileSystem(StorageFileSystem local) {
            this.local = local;
        }

        @Override
        public boolean copy(Location source, Location target, BooleanSupplier stopRequested) {
            beforeCopying.run();
            if (stopRequested.getAsBoolean()) {
                return false;
            }
            serverSideCopies.add(target);
            long size = local.stat(source).orElseThrow().size();
            try (InputStream input = local.openRead(source, 0); StorageOutputStream output = local.openWrite(target)) {
                input.transferTo(truncateCopies ? output(output, size - 1) : output);
            }
            catch (IOException failure) {
                throw new UncheckedIOException(failure);
            }
            return true;
        }

        /** Passes on at most {@code limit} bytes. */
        private static java.io.OutputStream output(StorageOutputStream output, long limit) {
            return new java.io.OutputStream() {
                private long written;

                @Override
                public void write(int value) throws IOException {
                    if (written++ < limit) {
                        output.write(value);
                    }
                }
            };
        }

        @Override
        public FileIterator list(Location directory) {
            return local.list(directory);
        }

        @Override
        public Optional<FileEntry> stat(Location file) {
            return local.stat(file);
        }

        @Override
        public InputStream openRead(Location file, long offset) {
            return local.openRead(file, offset);
        }

        @Override
        public StorageOutputStream openWrite(Location file) {
            writesOpened.add(file);
            return local.openWrite(file);
        }

        @Override
        public void delete(Location file) {
            local.delete(file);
        }

        @Override
        public void close() {
            local.close();
        }
    }
}
