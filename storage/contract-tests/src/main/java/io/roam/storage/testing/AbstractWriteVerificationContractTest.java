package io.roam.storage.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.roam.storage.ChecksumCalculator;
import io.roam.storage.Location;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageOutputStream;
import io.roam.storage.WriteVerification;
import io.roam.storage.WriteVerification.StoredChecksum;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The behaviour of the {@link WriteVerification} capability, run against each backend that has it by a
 * subclass: what the backend keeps for a written file is what the writer computes from the same bytes,
 * for every size around the part boundaries, and differs for other bytes. (That a resumed write keeps
 * the checksum of a fresh one is in {@link AbstractResumableWriteContractTest}.)
 */
public abstract class AbstractWriteVerificationContractTest {

    private static final int WRITE_CHUNK_SIZE = 64 * 1024;

    /**
     * A new file system instance over the same server and roots each time, uploading parts of {@link
     * #partSize()} bytes one at a time; the test closes it.
     */
    protected abstract StorageFileSystem newFileSystem();

    /** An empty directory that belongs to the current test alone; the same one for every call within a test. */
    protected abstract Location rootDirectory();

    /** The part (or block) size the file systems of {@link #newFileSystem()} upload. */
    protected abstract int partSize();

    /**
     * Whether the backend's answer to a write of {@code size} bytes carries what it stores ({@link
     * StorageOutputStream#storedChecksum()}); by default not.
     */
    protected boolean answersWritesWithTheStoredChecksum(long size) {
        return false;
    }

    @Test
    public void theStoredChecksumIsTheOneComputedFromTheWrittenBytesForEverySize() throws IOException {
        int part = partSize();
        for (long size : List.of(0L, 1L, part - 1L, (long) part, part + 1L, 2L * part, 3L * part + 17)) {
            Location file = rootDirectory().resolve("size-" + size + ".bin");
            byte[] content = new TestContent(60, size).bytes();
            try (StorageFileSystem fileSystem = newFileSystem()) {
                write(fileSystem.openWrite(file), content);

                assertThat(storedChecksum(fileSystem, file)).as("%d bytes", size)
                        .isEqualTo(new StoredChecksum(size, expectedChecksum(fileSystem, content).value()));
            }
        }
    }

    @Test
    public void whatTheBackendAnsweredToAWriteIsWhatItStores() throws IOException {
        for (long size : List.of(0L, 1000L, (long) partSize(), partSize() + 1L, 3L * partSize())) {
            Location file = rootDirectory().resolve("answered-" + size + ".bin");
            try (StorageFileSystem fileSystem = newFileSystem()) {
                StorageOutputStream output = fileSystem.openWrite(file);
                write(output, new TestContent(65, size).bytes());

                if (output.storedChecksum().isPresent()) {
                    assertThat(output.storedChecksum()).as("%d bytes", size).contains(storedChecksum(fileSystem, file));
                }
                assertThat(output.storedChecksum().isPresent()).as("%d bytes: whether the answer to a write carries the stored checksum", size)
                        .isEqualTo(answersWritesWithTheStoredChecksum(size));
            }
        }
    }

    @Test
    public void otherBytesOfTheSameLengthGiveAnotherChecksumOfTheSameAlgorithm() throws IOException {
        for (long size : List.of(1000L, 2L * partSize() + 5)) {
            Location file = rootDirectory().resolve("other-" + size + ".bin");
            byte[] written = new TestContent(62, size).bytes();
            byte[] other = written.clone();
            other[(int) size / 2] ^= 0x5A;
            try (StorageFileSystem fileSystem = newFileSystem()) {
                write(fileSystem.openWrite(file), written);

                StoredChecksum stored = storedChecksum(fileSystem, file);
                assertThat(stored.checksum().algorithm()).isEqualTo(expectedChecksum(fileSystem, other).value().algorithm());
                assertThat(stored.checksum()).isNotEqualTo(expectedChecksum(fileSystem, other).value());
            }
        }
    }

    @Test
    public void aRewrittenFileReportsTheChecksumOfItsNewContent() throws IOException {
        Location file = rootDirectory().resolve("rewritten.bin");
        byte[] replacement = new TestContent(64, 300).bytes();
        try (StorageFileSystem fileSystem = newFileSystem()) {
            write(fileSystem.openWrite(file), new TestContent(63, 2L * partSize() + 1).bytes());

            write(fileSystem.openWrite(file), replacement);

            assertThat(storedChecksum(fileSystem, file))
                    .isEqualTo(new StoredChecksum(replacement.length, expectedChecksum(fileSystem, replacement).value()));
        }
    }

    @Test
    public void aMissingFileHasNoStoredChecksum() {
        try (StorageFileSystem fileSystem = newFileSystem()) {
            assertThat(((WriteVerification) fileSystem).storedChecksum(rootDirectory().resolve("missing.bin"))).isEmpty();
        }
    }

    private static StoredChecksum storedChecksum(StorageFileSystem fileSystem, Location file) {
        assertThat(fileSystem).isInstanceOf(WriteVerification.class);
        return ((WriteVerification) fileSystem).storedChecksum(file).orElseThrow(
                () -> new AssertionError("no stored checksum for " + file));
    }

    private static ChecksumCalculator expectedChecksum(StorageFileSystem fileSystem, byte[] content) {
        ChecksumCalculator calculator = ((WriteVerification) fileSystem).checksumOfWrite(content.length);
        for (int offset = 0; offset < content.length; offset += 1000) {
            calculator.update(content, offset, Math.min(1000, content.length - offset));
        }
        return calculator;
    }

    private static void write(StorageOutputStream output, byte[] content) throws IOException {
        for (int offset = 0; offset < content.length; offset += WRITE_CHUNK_SIZE) {
            output.write(content, offset, Math.min(WRITE_CHUNK_SIZE, content.length - offset));
        }
        output.close();
    }
}
