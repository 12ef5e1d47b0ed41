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
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * Writes one object, in one request when it fits in one chunk and through a resumable upload otherwise.
 *
 * <p>The stream holds what it is given until it outgrows one chunk. Closed before that, it sends the whole
 * object in one multipart upload ({@link Storage#create(BlobInfo, byte[], int, int, Storage.BlobTargetOption...)}),
 * with its crc32c, which GCS checks; GCS answers with the object's crc32c, reported by {@link
 * #storedChecksum()}. A small file thus costs one request instead of the three of a resumable upload
 * (start the session, send the bytes, ask for the checksum), each a round trip to GCS.
 *
 * <p>Once the content outgrows one chunk, the stream starts a resumable upload ({@link WriteChannel}) and
 * sends each full chunk as a request of the session, on a thread of its own, while the writer fills the
 * next chunk: the writer's own work between two chunks (reading the source, hashing it) then overlaps the
 * request instead of pausing the session, whose chunks GCS takes one after the other. A write waits for
 * the previous chunk's request before handing over the next one, so the stream holds at most two chunks,
 * and a chunk that failed fails the next write or {@code close}. {@code close} waits for the chunk in
 * flight, sends the rest and finalizes the session, which makes the object appear.
 *
 * <p>After {@link #abort()}, or after a write that failed, nothing more is sent: the chunk in flight is
 * interrupted, and a session is never finalized, because that would publish a partial object; GCS discards
 * it and its bytes after a week. Later writes fail and {@code close} does nothing. Buffers come from and go
 * back to the file system's {@link BufferPool}; the buffer of a chunk in flight goes back when its request
 * has ended, never while it may still be read.
 */
final class GcsOutputStream extends StorageOutputStream {

    private final Location file;
    private final Storage storage;
    private final BlobInfo object;
    private final int chunkSize;
    private final BufferPool buffers;
    /** The whole content until it outgrows one chunk; then the chunk being filled. */
    private byte[] buffer;
    private int buffered;
    private WriteChannel channel;
    /** The request sending the previous chunk, when one was handed over and not yet waited for. */
    private Future<?> chunkInFlight;
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
            fillChunks(bytes, offset, length);
        }
        catch (IOException | RuntimeException exception) {
            finished = true;
            stopChunkInFlight();
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
                awaitChunkInFlight();
                writeFully(ByteBuffer.wrap(buffer, 0, buffered));
                channel.close();
            }
        }
        catch (IOException | RuntimeException exception) {
            stopChunkInFlight();
            throw failure(exception);
        }
        finally {
            releaseBuffer();
        }
    }

    @Override
    public void abort() {
        finished = true;
        stopChunkInFlight();
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

    /** Opens the session; what the stream holds becomes the start of its first chunk. */
    private void startResumableUpload() {
        channel = storage.writer(object);
        channel.setChunkSize(chunkSize);
        buffer = buffers.grow(buffer, buffered, chunkSize, chunkSize);
    }

    private void fillChunks(byte[] bytes, int offset, int length) throws IOException {
        int position = offset;
        int remaining = length;
        while (remaining > 0) {
            int taken = Math.min(remaining, chunkSize - buffered);
            System.arraycopy(bytes, position, buffer, buffered, taken);
            buffered += taken;
            position += taken;
            remaining -= taken;
            if (buffered == chunkSize) {
                sendFullChunk();
            }
        }
    }

    /**
     * Hands the full chunk to a request of its own once the previous one has been sent. A chunk of exactly
     * the channel's chunk size, with nothing held before it, is sent by the channel as it is, without a copy.
     */
    private void sendFullChunk() throws IOException {
        awaitChunkInFlight();
        byte[] chunk = buffer;
        buffer = buffers.take(chunkSize);
        buffered = 0;
        FutureTask<Void> send = new FutureTask<>(() -> {
            try {
                writeFully(ByteBuffer.wrap(chunk, 0, chunkSize));
                return null;
            }
            finally {
                buffers.release(chunk);
            }
        });
        chunkInFlight = send;
        Thread.ofVirtual().name("gcs-chunk-upload").start(send);
    }

    /** Waits for the previous chunk's request, and fails as it failed. */
    private void awaitChunkInFlight() throws IOException {
        if (chunkInFlight == null) {
            return;
        }
        try {
            chunkInFlight.get();
            chunkInFlight = null;
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the previous chunk of '%s' was being sent".formatted(file));
        }
        catch (ExecutionException failed) {
            chunkInFlight = null;
            switch (failed.getCause()) {
                case IOException exception -> throw exception;
                case RuntimeException exception -> throw exception;
                case Error error -> throw error;
                default -> throw new IOException(failed.getCause());
            }
        }
    }

    /** Interrupts the request of a chunk in flight; its buffer goes back to the pool when the request has ended. */
    private void stopChunkInFlight() {
        if (chunkInFlight != null) {
            chunkInFlight.cancel(true);
            chunkInFlight = null;
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
