package io.roam.storage.local;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import io.roam.storage.testing.TestContent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileOutputStreamTest {

    private static final long LARGE = 3 * AtomicFileOutputStream.BACKGROUND_SYNC_INTERVAL + 5;

    @TempDir
    Path directory;

    @Test
    void syncsWhatArrivesAndTheWholeFileBeforePublishingIt() throws IOException {
        RecordingFileChannel channel = openTemporary();

        write(new TestContent(1, LARGE), channel, true);

        // At most one background sync runs at a time, so how many ran depends on the disk; the last is at close.
        assertThat(channel.forces.get()).isGreaterThanOrEqualTo(2);
        assertThat(Files.size(directory.resolve("checkpoint.bin"))).isEqualTo(LARGE);
    }

    @Test
    void withoutSyncPublishesTheWholeFileAndLeavesItsPagesToTheKernel() throws IOException {
        RecordingFileChannel channel = openTemporary();
        TestContent content = new TestContent(2, LARGE);

        write(content, channel, false);

        assertThat(channel.forces.get()).isZero();
        try (InputStream stream = Files.newInputStream(directory.resolve("checkpoint.bin"))) {
            assertThat(TestContent.sha256Of(stream)).isEqualTo(content.sha256());
        }
        assertThat(directory.resolve(".checkpoint.bin.partial")).doesNotExist();
    }

    @Test
    void handsTheKernelAtMostOneMebibytePerWriteHoweverLargeTheCallersWrites() throws IOException {
        RecordingFileChannel channel = openTemporary();
        byte[] part = new TestContent(3, 8 * 1024 * 1024 + 7).bytes();

        try (AtomicFileOutputStream stream = new AtomicFileOutputStream(channel, directory.resolve(".checkpoint.bin.partial"),
                directory.resolve("checkpoint.bin"), 64 * 1024, false)) {
            stream.write(part, 0, part.length);
            stream.write(part, 5, 3 * 1024 * 1024);
        }

        assertThat(channel.largestWrite.get()).isEqualTo(AtomicFileOutputStream.MAXIMUM_WRITE_LENGTH);
        byte[] written = Files.readAllBytes(directory.resolve("checkpoint.bin"));
        assertThat(written).hasSize(part.length + 3 * 1024 * 1024);
        assertThat(Arrays.copyOfRange(written, 0, part.length)).isEqualTo(part);
        assertThat(Arrays.copyOfRange(written, part.length, written.length)).isEqualTo(Arrays.copyOfRange(part, 5, 5 + 3 * 1024 * 1024));
    }

    private RecordingFileChannel openTemporary() throws IOException {
        return new RecordingFileChannel(FileChannel.open(directory.resolve(".checkpoint.bin.partial"), CREATE_NEW, WRITE));
    }

    private void write(TestContent content, FileChannel channel, boolean sync) throws IOException {
        try (AtomicFileOutputStream stream = new AtomicFileOutputStream(channel, directory.resolve(".checkpoint.bin.partial"),
                directory.resolve("checkpoint.bin"), 64 * 1024, sync)) {
            content.newInputStream().transferTo(stream);
        }
    }

    /** A file channel that counts the calls of {@link #force(boolean)} and keeps the largest write, and otherwise is the channel it wraps. */
    private static final class RecordingFileChannel extends FileChannel {

        private final FileChannel channel;
        private final AtomicInteger forces = new AtomicInteger();
        private final AtomicInteger largestWrite = new AtomicInteger();

        RecordingFileChannel(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            forces.incrementAndGet();
            channel.force(metaData);
        }

        @Override
        public int read(ByteBuffer destination) throws IOException {
            return channel.read(destination);
        }

        @Override
        public long read(ByteBuffer[] destinations, int offset, int length) throws IOException {
            return channel.read(destinations, offset, length);
        }

        @Override
        public int write(ByteBuffer source) throws IOException {
            largestWrite.accumulateAndGet(source.remaining(), Math::max);
            return channel.write(source);
        }

        @Override
        public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
            return channel.write(sources, offset, length);
        }

        @Override
        public long position() throws IOException {
            return channel.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            channel.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            channel.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return channel.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel source, long position, long count) throws IOException {
            return channel.transferFrom(source, position, count);
        }

        @Override
        public int read(ByteBuffer destination, long position) throws IOException {
            return channel.read(destination, position);
        }

        @Override
        public int write(ByteBuffer source, long position) throws IOException {
            return channel.write(source, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return channel.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return channel.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return channel.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            channel.close();
        }
    }
}
