package io.roam.transfer;

import io.roam.storage.Checksum;
import io.roam.storage.ChecksumCalculator;
import io.roam.storage.FileEntry;
import io.roam.storage.FileIterator;
import io.roam.storage.Location;
import io.roam.storage.StorageBackend;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageOutputStream;
import io.roam.storage.StorageProfile;
import io.roam.storage.WriteVerification;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend that keeps a CRC32C of every file, as object stores keep theirs ({@link WriteVerification}),
 * over a {@link FaultyStorageBackend}, so that its writes can store other bytes than they were given. The
 * stored checksum is computed from the bytes the file holds, as a server computes it from those it
 * received. Reads through this file system are counted, so a test can tell whether a copy was read back.
 */
final class ChecksumKeepingStorageBackend implements StorageBackend {

    private final FaultyStorageBackend faulty;
    /** Whether the backend reports its checksums; when not, a file has none comparable (as if written by another tool). */
    volatile boolean keepsChecksums = true;
    /**
     * Whether a write's stream reports, after its close, what the backend stores, as S3's answers do, and
     * records the digest it is offered.
     */
    volatile boolean answersWrites;
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger storedChecksumsAsked = new AtomicInteger();
    /** The SHA-256 each answering write's stream was offered before its close, by file name. */
    final Map<String, Checksum> offeredDigests = new ConcurrentHashMap<>();

    ChecksumKeepingStorageBackend(FaultyStorageBackend faulty) {
        this.faulty = faulty;
    }

    @Override
    public String name() {
        return "checksum-keeping";
    }

    @Override
    public StorageFileSystem create(StorageProfile profile) {
        return new ChecksumKeepingFileSystem(faulty.create(profile));
    }

    private final class ChecksumKeepingFileSystem implements StorageFileSystem, WriteVerification {

        private final StorageFileSystem files;

        ChecksumKeepingFileSystem(StorageFileSystem files) {
            this.files = files;
        }

        @Override
        public ChecksumCalculator checksumOfWrite(long size) {
            return ChecksumCalculator.crc32c();
        }

        @Override
        public Optional<StoredChecksum> storedChecksum(Location file) {
            storedChecksumsAsked.incrementAndGet();
            return computeStoredChecksum(file);
        }

        private Optional<StoredChecksum> computeStoredChecksum(Location file) {
            if (!keepsChecksums) {
                return Optional.empty();
            }
            return files.stat(file).map(entry -> {
                ChecksumCalculator crc = ChecksumCalculator.crc32c();
                try (InputStream input = files.openRead(file, 0)) {
                    byte[] stored = input.readAllBytes();
                    crc.update(stored, 0, stored.length);
                }
                catch (IOException exception) {
                    throw new UncheckedIOException(exception);
                }
                return new StoredChecksum(entry.size(), crc.value());
            });
        }

        @Override
        public FileIterator list(Location directory) {
            return files.list(directory);
        }

        @Override
        public Optional<FileEntry> stat(Location file) {
            return files.stat(file);
        }

        @Override
        public InputStream openRead(Location file, long offset) {
            reads.incrementAndGet();
            return files.openRead(file, offset);
        }

        @Override
        public StorageOutputStream openWrite(Location file) {
            StorageOutputStream output = files.openWrite(file);
            if (!answersWrites) {
                return output;
            }
            return new StorageOutputStream() {
                private Optional<StoredChecksum> stored = Optional.empty();

                @Override
                public void write(int value) throws IOException {
                    output.write(value);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    output.write(bytes, offset, length);
                }

                @Override
                public void offerContentSha256(byte[] sha256) {
                    offeredDigests.put(file.fileName(), Checksum.sha256(sha256));
                }

                @Override
                public void close() throws IOException {
                    output.close();
                    stored = computeStoredChecksum(file);
                }

                @Override
                public void abort() {
                    output.abort();
                }

                @Override
                public Optional<StoredChecksum> storedChecksum() {
                    return stored;
                }
            };
        }

        @Override
        public void delete(Location file) {
            files.delete(file);
        }

        @Override
        public void close() {
            files.close();
        }
    }
}
