package io.roam.storage.gcs;

import com.google.cloud.WriteChannel;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobTargetOption;

import io.roam.storage.BufferPool;
import io.roam.storage.Location;
import io.roam.storage.StorageOutputStream;
import io.roam.storage.WriteVerification.StoredChecksum;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Writes one object, in one request when it fits in one chunk and through a resumable upload otherwise.
 *
 * <p>The stream holds what it is given until it outgrows one chunk. Closed before that, it sends the whole
 * object in one multipart upload ({@link Storage#create(BlobInfo, byte[], int, int, Storage.BlobTargetOption...)}),
 * with its crc32c, which GCS checks; GCS answers with the object's crc32c, reported by {@link
 * #storedChecksum()}. A small file thus costs one request instead of the three of a resumable upload
 * (start the session, send the bytes, ask for the checksum), each a round trip to GCS.
 *
 * <p>Once the content outgrows one chunk, the stream starts a resumable upload ({@link WriteChannel}),
 * which holds at most one chunk and sends each full chunk as a request of the session; {@code close} sends
 * the rest and finalizes the session, which makes the object appear.
 *
 * <p>After {@link #abort()}, or after a write that failed, nothing more is sent: a session is never
 * finalized, because that would publish a partial object; GCS discards it and its bytes after a week. Later
 * writes fail and {@code close} does nothing. Buffers come from and go back to the file system's {@link
 * BufferPool}.
 */
final class GcsOutputStream extends StorageOutputStream {

    private final Location file;
    private final Storage storage;
    private final BlobInfo object;
    private final int chunkSize;
    private final BufferPool buffers;
    private byte[] buffer;
    private int buffered;
    private WriteChannel channel;
    private boolean finished;
    private volatile Optional<StoredChecksum> storedChecksum = Optional.empty();

    GcsOutputStream(Location file, Storage storage, BlobInfo object, int chunkSize, BufferPool buffers) {
        this.file = file;
        this.storage = storage;
        this.object = object;
        this.chunkSize = chunkSize;
        this.buffers = buffers;
    }

    @Override
    public void write(int value) throws IOException {
        write(new byte[] {(byte) value}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (finished) {
            throw new IOException("stream to '%s' is closed, aborted or failed".formatted(file));
        }
        try {
            if (channel == null && (long) buffered + length <= chunkSize) {
                hold(bytes, offset, length);
                return;
            }
            if (channel == null) {
                startResumableUpload();
            }
            writeFully(ByteBuffer.wrap(bytes, offset, length));
        }
        catch (IOException | RuntimeException exception) {
            finished = true;
            releaseBuffer();
            throw failure(exception);
        }
    }

    /** Does nothing: bytes are sent when a chunk is full or on close, and are invisible to readers until the object is complete. */
    @Override
    public void flush() {
    }

    @Override
    public void close() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        try {
            if (channel == null) {
                // Without disableGzipContent the client gzips the body: ~15 ms of processor time per MiB
                // of checkpoint or dataset bytes, which hardly compress, and GCS would store them as sent.
                storedChecksum = GcsFileSystem.storedChecksumOf(
                        storage.create(object, buffer == null ? new byte[0] : buffer, 0, buffered, BlobTargetOption.disableGzipContent()));
            }
            else {
                channel.close();
            }
        }
        catch (IOException | RuntimeException exception) {
            throw failure(exception);
        }
        finally {
            releaseBuffer();
        }
    }

    @Override
    public void abort() {
        finished = true;
        releaseBuffer();
    }

    @Override
    public Optional<StoredChecksum> storedChecksum() {
        return storedChecksum;
    }

    private void hold(byte[] bytes, int offset, int length) {
        if (buffer == null || buffered + length > buffer.length) {
            buffer = buffers.grow(buffer, buffered, (long) buffered + length, chunkSize);
        }
        System.arraycopy(bytes, offset, buffer, buffered, length);
        buffered += length;
    }

    private void startResumableUpload() throws IOException {
        channel = storage.writer(object);
        channel.setChunkSize(chunkSize);
        if (buffer != null) {
            writeFully(ByteBuffer.wrap(buffer, 0, buffered));
            releaseBuffer();
        }
    }

    private void writeFully(ByteBuffer source) throws IOException {
        while (source.hasRemaining()) {
            channel.write(source);
        }
    }

    private void releaseBuffer() {
        if (buffer != null) {
            buffers.release(buffer);
            buffer = null;
        }
    }

    private IOException failure(Exception exception) {
        return new IOException("cannot write '%s'".formatted(file), GcsErrors.classify("cannot write '%s'".formatted(file), exception));
    }
}
