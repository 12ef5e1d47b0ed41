package io.roam.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roam.storage.Location;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageProfile;
import io.roam.storage.local.LocalStorageBackend;
import io.roam.storage.testing.TestContent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrderedFileReaderTest {

    private static final int PART_SIZE = 64 * 1024;
    private static final int READS = 3;

    @TempDir
    Path root;

    private StorageFileSystem fileSystem;
    private PartBuffers parts;
    private OrderedFileReader reader;
    private final byte[] smallFileBuffer = new byte[4096];

    @BeforeEach
    void createReader() {
        fileSystem = new LocalStorageBackend().create(new StorageProfile("local", "local",
                List.of(Location.parse("file://" + root + "/")), Optional.empty(), Optional.empty(), Map.of()));
        parts = new PartBuffers(PART_SIZE, READS);
        reader = new OrderedFileReader(parts, READS);
    }

    @AfterEach
    void closeFileSystem() {
        fileSystem.close();
    }

    @Test
    void aLargeFileIsHandedOverInOrderAndEveryPartBufferIsGivenBack() throws IOException {
        TestContent content = new TestContent(61, 10L * PART_SIZE + PART_SIZE / 2);
        Location file = write("large.bin", content);
        ByteArrayOutputStream received = new ByteArrayOutputStream();

        long size = reader.read(fileSystem, file, content.size(), smallFileBuffer, new TransferCancellation(), (bytes, length) -> received.write(bytes, 0, length));

        assertThat(size).isEqualTo(content.size());
        assertThat(received.toByteArray()).isEqualTo(content.bytes());
        assertThat(everyBufferIsFree()).isTrue();
    }

    @Test
    void aFileSmallerThanTwoPartsStreamsThroughTheCallersBuffer() throws IOException {
        TestContent content = new TestContent(62, 2L * PART_SIZE - 1);
        Location file = write("small.bin", content);
        ByteArrayOutputStream received = new ByteArrayOutputStream();

        reader.read(fileSystem, file, content.size(), smallFileBuffer, new TransferCancellation(), (bytes, length) -> {
            assertThat(bytes).isSameAs(smallFileBuffer);
            received.write(bytes, 0, length);
        });

        assertThat(received.toByteArray()).isEqualTo(content.bytes());
    }

    @Test
    void aConsumerThatFailsStopsTheReadAndEveryPartBufferIsGivenBack() throws IOException {
        Location file = write("large.bin", new TestContent(63, 20L * PART_SIZE));
        int[] calls = {0};

        assertThatThrownBy(() -> reader.read(fileSystem, file, 20L * PART_SIZE, smallFileBuffer, new TransferCancellation(), (bytes, length) -> {
            if (++calls[0] == 2) {
                throw new IOException("the target broke off");
            }
        })).isInstanceOf(IOException.class).hasMessage("the target broke off");

        assertThat(everyBufferIsFree()).isTrue();
    }

    @Test
    void aCancelledReadStopsAtTheNextPartAndGivesEveryPartBufferBack() throws IOException {
        Location file = write("large.bin", new TestContent(64, 20L * PART_SIZE));
        TransferCancellation cancellation = new TransferCancellation();

        assertThatThrownBy(() -> reader.read(fileSystem, file, 20L * PART_SIZE, smallFileBuffer, cancellation,
                (bytes, length) -> cancellation.cancel()))
                .isInstanceOf(TransferCancelledException.class);

        assertThat(everyBufferIsFree()).isTrue();
    }

    @Test
    void aFileShorterThanExpectedIsReadToItsEnd() throws IOException {
        TestContent content = new TestContent(65, 5L * PART_SIZE + 7);
        Location file = write("shrunk.bin", content);
        ByteArrayOutputStream received = new ByteArrayOutputStream();

        long size = reader.read(fileSystem, file, 9L * PART_SIZE, smallFileBuffer, new TransferCancellation(), (bytes, length) -> received.write(bytes, 0, length));

        assertThat(size).isEqualTo(content.size());
        assertThat(received.toByteArray()).isEqualTo(content.bytes());
    }

    @Test
    void aFileLongerThanExpectedFailsAsChangedWhileRead() throws IOException {
        Location file = write("grown.bin", new TestContent(66, 5L * PART_SIZE));

        assertThatThrownBy(() -> reader.read(fileSystem, file, 4L * PART_SIZE, smallFileBuffer, new TransferCancellation(), (bytes, length) -> { }))
                .isInstanceOf(SourceChangedException.class)
                .hasMessageContaining("longer than");
        assertThat(everyBufferIsFree()).isTrue();
    }

    /** Whether the pool can hand out all its buffers at once, and no more; gives them back. */
    private boolean everyBufferIsFree() {
        byte[][] taken = new byte[READS][];
        for (int index = 0; index < READS; index++) {
            taken[index] = parts.poll();
            if (taken[index] == null) {
                return false;
            }
        }
        boolean noMore = parts.poll() == null;
        for (byte[] buffer : taken) {
            parts.release(buffer);
        }
        return noMore;
    }

    private Location write(String name, TestContent content) throws IOException {
        try (InputStream input = content.newInputStream()) {
            Files.copy(input, root.resolve(name));
        }
        return Location.parse("file://" + root.resolve(name));
    }
}
