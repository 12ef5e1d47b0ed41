package io.roam.transfer;

import io.roam.storage.Checksum;
import io.roam.storage.FileEntry;
import io.roam.storage.FileIterator;
import io.roam.storage.Location;
import io.roam.storage.StorageBackend;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageOutputStream;
import io.roam.storage.StorageProfile;
import io.roam.storage.local.LocalStorageBackend;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The local backend with failures injected by hand: reads that break off after some bytes, and writes
 * that store different bytes than they were given (a corrupting destination). It also records every
 * write it opens, counts lookups and listings, reports the native checksums a test gives it, and lets a
 * test act when a write receives its first bytes or a read is opened.
 */
final class FaultyStorageBackend implements StorageBackend {

    /** How many of the next reads break off with an I/O error after {@code BREAK_AFTER_BYTES}. */
    final AtomicInteger readsToBreak = new AtomicInteger();
    /** How many reads succeed before the {@link #readsToBreak} begin. */
    final AtomicInteger readsBeforeBreaking = new AtomicInteger();
    /** How many of the next reads fail at once with this exception (when not null). */
    final AtomicInteger readsToRefuse = new AtomicInteger();
    volatile RuntimeException refusal;
    /** Whether writes flip the first byte they are given. */
    volatile boolean corruptWrites;
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger stats = new AtomicInteger();
    final AtomicInteger lists = new AtomicInteger();
    /** Every location a write was opened for, in order. */
    final List<Location> writesOpened = new CopyOnWriteArrayList<>();
    /** The native checksums {@code stat} reports, by location; files not in it report none. */
    final Map<Location, Checksum> nativeChecksums = new ConcurrentHashMap<>();
    /** Called with the file's location when a write receives its first bytes. */
    volatile Consumer<Location> onFirstBytesWritten = location -> { };
    /** Called with the number of each read (1 for the first) as it is opened, before any fault is injected. */
    volatile IntConsumer onReadOpened = read -> { };

    static final int BREAK_AFTER_BYTES = 1000;

    @Override
    public String name() {
        return "faulty";
    }

    @Override
    public StorageFileSystem create(StorageProfile profile) {
        StorageFileSystem local = new LocalStorageBackend().create(profile);
        return new StorageFileSystem() {
            @Override
            public FileIterator list(Location directory) {
                lists.incrementAndGet();
                return local.list(directory);
            }

            @Override
            public Optional<FileEntry> stat(Location file) {
                stats.incrementAndGet();
                return local.stat(file).map(entry -> new FileEntry(entry.location(), entry.size(), entry.lastModified(),
                        Optional.ofNullable(nativeChecksums.get(file))));
            }

            @Override
            public InputStream openRead(Location file, long offset) {
                onReadOpened.accept(reads.incrementAndGet());
                if (readsToRefuse.getAndUpdate(count -> Math.max(0, count - 1)) > 0) {
                    throw refusal;
                }
                InputStream input = local.openRead(file, offset);
                if (readsBeforeBreaking.getAndUpdate(count -> Math.max(0, count - 1)) > 0) {
                    return input;
                }
                if (readsToBreak.getAndUpdate(count -> Math.max(0, count - 1)) > 0) {
                    return new BreakingInputStream(input);
                }
                return input;
            }

            @Override
            public StorageOutputStream openWrite(Location file) {
                writesOpened.add(file);
                StorageOutputStream output = local.openWrite(file);
                return new StorageOutputStream() {
                    private boolean written;

                    @Override
                    public void write(int value) throws IOException {
                        output.write(value);
                    }

                    @Override
                    public void write(byte[] bytes, int offset, int length) throws IOException {
                        if (written || length == 0) {
                            output.write(bytes, offset, length);
                            return;
                        }
                        written = true;
                        onFirstBytesWritten.accept(file);
                        if (corruptWrites) {
                            byte[] altered = bytes.clone();
                            altered[offset] ^= 0x5a;
                            output.write(altered, offset, length);
                            return;
                        }
                        output.write(bytes, offset, length);
                    }

                    @Override
                    public void close() throws IOException {
                        output.close();
                    }

                    @Override
                    public void abort() {
                        output.abort();
                    }
                };
            }

            @Override
            public void delete(Location file) {
                local.delete(file);
            }

            @Override
            public void close() {
                local.close();
            }
        };
    }

    private static final class BreakingInputStream extends FilterInputStream {

        private long remaining = BREAK_AFTER_BYTES;

        BreakingInputStream(InputStream input) {
            super(input);
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (remaining <= 0) {
                throw new IOException("connection reset (injected)");
            }
            int read = super.read(bytes, offset, (int) Math.min(length, remaining));
            remaining -= Math.max(read, 0);
            return read;
        }
    }
}
