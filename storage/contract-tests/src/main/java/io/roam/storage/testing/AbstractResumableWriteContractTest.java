package io.roam.storage.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.roam.storage.Checksum;
import io.roam.storage.ChecksumCalculator;
import io.roam.storage.Location;
import io.roam.storage.ResumableOutputStream;
import io.roam.storage.ResumableWrite;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageOutputStream;
import io.roam.storage.WriteVerification;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/**
 * The behaviour of the {@link ResumableWrite} capability, run against each backend that has it by a
 * subclass. A crash is simulated as a process death looks to the backend: a writer is abandoned
 * mid-file, neither closed nor aborted, and its file system closed; the write is then resumed through a
 * new file system instance, as another worker process would.
 *
 * <p>The subclass configures its file systems with an upload concurrency of one, so that when a writer
 * has handed over its {@code n}-th part, the parts before it are stored: the counts of reused parts below
 * are then exact up to the one part that may or may not have arrived when the writer was abandoned.
 */
public abstract class AbstractResumableWriteContractTest {

    private static final int WRITE_CHUNK_SIZE = 64 * 1024;

    /**
     * A new file system instance over the same server and roots each time, with {@link #partSize()} and
     * an upload concurrency of one; the test closes it.
     */
    protected abstract StorageFileSystem newFileSystem();

    /** An empty directory that belongs to the current test alone; the same one for every call within a test. */
    protected abstract Location rootDirectory();

    /** The part (or block) size the file systems of {@link #newFileSystem()} upload. */
    protected abstract int partSize();

    /**
     * Whether {@link StorageOutputStream#abort()} discards the parts a resumable write stored, so that no
     * later write finds them (S3 aborts the multipart upload); backends that cannot (Azure keeps staged
     * blocks until they expire) leave them to be reused.
     */
    protected abstract boolean abortDiscardsStoredParts();

    @Test
    public void aResumedWriteReusesThePartsAnAbandonedWriterStoredAndWritesTheSameBytes() throws IOException {
        Location file = rootDirectory().resolve("checkpoint.bin");
        byte[] content = new TestContent(41, 6L * partSize() + partSize() / 2).bytes();
        abandonAfter(file, content, 4L * partSize() + 1);

        ResumableOutputStream resumed = resumeWriting(file, content);

        assertThat(digestOf(file)).isEqualTo(TestContent.sha256Of(content));
        // Parts 1 to 3 were stored before part 4 was handed over; part 4 may have arrived too.
        assertThat(resumed.partsResumed()).isBetween(3, 4);
        assertThat(resumed.bytesResumed()).isEqualTo((long) resumed.partsResumed() * partSize());
    }

    /** The unfinished write is found by its file's name, which is sent in requests where URLs reserve these characters. */
    @Test
    public void aWriteToANameWithCharactersThatUrlsReserveIsResumed() throws IOException {
        Location file = rootDirectory().resolve("lr=3e-4&seed=42/step+100 (copy);x,y'z!~@$%41[0]*.bin");
        byte[] content = new TestContent(50, 3L * partSize() + partSize() / 2).bytes();
        abandonAfter(file, content, 2L * partSize() + 1);

        ResumableOutputStream resumed = resumeWriting(file, content);

        assertThat(digestOf(file)).isEqualTo(TestContent.sha256Of(content));
        assertThat(resumed.partsResumed()).isBetween(1, 2);
    }

    @Test
    public void aStoredPartIsSentAgainWhenItsBytesDifferFromWhatIsWritten() throws IOException {
        Location file = rootDirectory().resolve("checkpoint.bin");
        byte[] earlier = new TestContent(42, 6L * partSize()).bytes();
        abandonAfter(file, earlier, 4L * partSize() + 1);
        // Another version of the file: one byte of part 2 differs, and it ends in the middle of part 4.
        byte[] changed = Arrays.copyOf(earlier, 3 * partSize() + partSize() / 2);
        changed[partSize() + 12_345] ^= 0x5A;

        ResumableOutputStream resumed = resumeWriting(file, changed);

        assertThat(digestOf(file)).isEqualTo(TestContent.sha256Of(changed));
        assertThat(fileSystemStatSize(file)).isEqualTo(changed.length);
        // Only parts 1 and 3 hold the same bytes; part 2 differs and part 4 is shorter.
        assertThat(resumed.partsResumed()).isEqualTo(2);
        assertThat(resumed.bytesResumed()).isEqualTo(2L * partSize());
    }

    @Test
    public void aResumedWriteLeavesWhatAFreshWriteWould() throws IOException {
        Location file = rootDirectory().resolve("verified.bin");
        byte[] content = new TestContent(48, 4L * partSize() + 99).bytes();
        abandonAfter(file, content, 2L * partSize() + 1);

        resumeWriting(file, content);

        assertThat(digestOf(file)).isEqualTo(TestContent.sha256Of(content));
        try (StorageFileSystem fileSystem = newFileSystem()) {
            assertThat(fileSystem.stat(file)).hasValueSatisfying(entry -> assertThat(entry.size()).isEqualTo(content.length));
            // A backend that keeps a checksum per file (the object stores) keeps the one a fresh write gives.
            if (fileSystem instanceof WriteVerification verification) {
                ChecksumCalculator expected = verification.checksumOfWrite(content.length);
                expected.update(content, 0, content.length);
                assertThat(verification.storedChecksum(file)).contains(new WriteVerification.StoredChecksum(content.length, expected.value()));
            }
        }
    }

    @Test
    public void withoutAnEarlierWriteAResumableWriteIsAFreshOne() throws IOException {
        Location file = rootDirectory().resolve("fresh.bin");
        byte[] content = new TestContent(43, 2L * partSize() + 17).bytes();

        ResumableOutputStream written = resumeWriting(file, content);

        assertThat(digestOf(file)).isEqualTo(TestContent.sha256Of(content));
        assertThat(written.partsResumed()).isZero();
        assertThat(written.bytesResumed()).isZero();
    }

    @Test
    public void anAbandonedWriteLeavesItsPartsForTheNextResumableWriteAndPublishesNothing() throws IOException {
        Location file = rootDirectory().resolve("retried.bin");
        byte[] content = new TestContent(49, 4L * partSize() + 7).bytes();
        try (StorageFileSystem fileSystem = newFileSystem()) {
            ResumableOutputStream abandoned = ((ResumableWrite) fileSystem).openResumableWrite(file);
            writeInChunks(abandoned, content, 3 * partSize() + 1);

            abandoned.abandon();

            assertThat(fileSystem.stat(file)).as("nothing published").isEmpty();
            ResumableOutputStream retried = ((ResumableWrite) fileSystem).openResumableWrite(file);
            writeInChunks(retried, content, content.length);
            retried.close();
            // Parts 1 and 2 were stored before part 3 was handed over; part 3 may have arrived too.
            assertThat(retried.partsResumed()).isBetween(2, 3);
        }
        assertThat(digestOf(file)).isEqualTo(TestContent.sha256Of(content));
    }

    @Test
    public void aCompletedWriteLeavesNothingToResume() throws IOException {
        Location file = rootDirectory().resolve("done.bin");
        byte[] content = new TestContent(44, 3L * partSize() + 5).bytes();
        resumeWriting(file, content);

        ResumableOutputStream again = resumeWriting(file, content);

        assertThat(again.partsResumed()).isZero();
        assertThat(digestOf(file)).isEqualTo(TestContent.sha256Of(content));
    }

    @Test
    public void anAbortedResumableWriteLeavesWhatTheLocationHeld() throws IOException {
        Location file = rootDirectory().resolve("kept.bin");
        byte[] previous = new TestContent(45, 1000).bytes();
        resumeWriting(file, previous);
        try (StorageFileSystem fileSystem = newFileSystem()) {
            StorageOutputStream output = ((ResumableWrite) fileSystem).openResumableWrite(file);
            output.write(new TestContent(46, 3L * partSize()).bytes());

            output.abort();
        }

        assertThat(digestOf(file)).isEqualTo(TestContent.sha256Of(previous));
    }

    @Test
    public void theStoredPartsOfAnAbortedWriteAreDiscardedWhereTheBackendCan() throws IOException {
        Location file = rootDirectory().resolve("cancelled.bin");
        byte[] content = new TestContent(48, 4L * partSize() + 9).bytes();
        try (StorageFileSystem fileSystem = newFileSystem()) {
            ResumableOutputStream aborted = ((ResumableWrite) fileSystem).openResumableWrite(file);
            writeInChunks(aborted, content, 3 * partSize() + 1);

            aborted.abort();

            assertThat(fileSystem.stat(file)).as("nothing published").isEmpty();
        }
        ResumableOutputStream next = resumeWriting(file, content);

        if (abortDiscardsStoredParts()) {
            assertThat(next.partsResumed()).as("parts of the aborted write found by the next one").isZero();
        }
        else {
            // Parts 1 and 2 were stored before part 3 was handed over; part 3 may have arrived too.
            assertThat(next.partsResumed()).as("parts of the aborted write found by the next one").isBetween(2, 3);
        }
        assertThat(digestOf(file)).isEqualTo(TestContent.sha256Of(content));
    }

    @Test
    public void aFileSmallerThanOnePartIsWrittenWhole() throws IOException {
        Location file = rootDirectory().resolve("small.json");
        byte[] content = new TestContent(47, 311).bytes();

        ResumableOutputStream written = resumeWriting(file, content);

        assertThat(digestOf(file)).isEqualTo(TestContent.sha256Of(content));
        assertThat(written.partsResumed()).isZero();
    }

    /** Writes the first {@code length} bytes, then lets the writer and its file system die without a close or abort. */
    private void abandonAfter(Location file, byte[] content, long length) throws IOException {
        StorageFileSystem fileSystem = newFileSystem();
        StorageOutputStream abandoned = ((ResumableWrite) fileSystem).openResumableWrite(file);
        writeInChunks(abandoned, content, (int) length);
        fileSystem.close();
    }

    /** Writes the whole content through a resumable write of a new file system instance, and closes it. */
    private ResumableOutputStream resumeWriting(Location file, byte[] content) throws IOException {
        try (StorageFileSystem fileSystem = newFileSystem()) {
            assertThat(fileSystem).isInstanceOf(ResumableWrite.class);
            ResumableOutputStream output = ((ResumableWrite) fileSystem).openResumableWrite(file);
            writeInChunks(output, content, content.length);
            output.close();
            return output;
        }
    }

    private static void writeInChunks(StorageOutputStream output, byte[] content, int length) throws IOException {
        for (int offset = 0; offset < length; offset += WRITE_CHUNK_SIZE) {
            output.write(content, offset, Math.min(WRITE_CHUNK_SIZE, length - offset));
        }
    }

    private long fileSystemStatSize(Location file) {
        try (StorageFileSystem fileSystem = newFileSystem()) {
            return fileSystem.stat(file).orElseThrow().size();
        }
    }

    private Checksum digestOf(Location file) throws IOException {
        try (StorageFileSystem fileSystem = newFileSystem(); InputStream stream = fileSystem.openRead(file, 0)) {
            return TestContent.sha256Of(stream);
        }
    }
}
