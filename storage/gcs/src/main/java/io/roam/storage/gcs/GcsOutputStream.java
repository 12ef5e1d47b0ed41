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
 * it and its bytes after a week. Later writes fail and {@code close} does nothing. The two chunk buffers
 * come from the file system's {@link BufferPool} and take turns until the stream ends, when they go back to
 * it; the buffer of a chunk whose request was interrupted is never given back, since it may still be read.
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
    /** The buffer of that chunk: the request may read it until it has ended. */
    private byte[] bufferInFlight;
    /** The buffer of the chunk sent before, free again: the next chunk fills it, so that two buffers take turns. */
    private byte[] freeBuffer;
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
        // Taking turns rather than going back to the pool: a chunk is a large array, and allocating one
        // per chunk kept the garbage collector busy: 14 % more processor time for a fresh 512 MiB roam cp.
        buffer = freeBuffer != null ? freeBuffer : buffers.take(chunkSize);
        freeBuffer = null;
        buffered = 0;
        FutureTask<Void> send = new FutureTask<>(() -> {
            writeFully(ByteBuffer.wrap(chunk, 0, chunkSize));
            return null;
        });
        chunkInFlight = send;
        bufferInFlight = chunk;
        Thread.ofVirtual().name("gcs-chunk-upload").start(send);
    }

    /** Waits for the previous chunk's request, and fails as it failed. */
    private void awaitChunkInFlight() throws IOException {
        if (chunkInFlight == null) {
            return;
        }
        try {
            chunkInFlight.get();
            chunkSent();
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the previous chunk of '%s' was being sent".formatted(file));
        }
        catch (ExecutionException failed) {
            chunkSent();
            switch (failed.getCause()) {
                case IOException exception -> throw exception;
                case RuntimeException exception -> throw exception;
                case Error error -> throw error;
                default -> throw new IOException(failed.getCause());
            }
        }
    }

    /** The request of the chunk in flight has ended, one way or the other: its buffer is free. */
    private void chunkSent() {
        chunkInFlight = null;
        freeBuffer = bufferInFlight;
        bufferInFlight = null;
    }

    /**
     * Interrupts the request of a chunk in flight. Its buffer is left to the garbage collector, not given
     * back to the pool: the interrupted request may still read it.
     */
    private void stopChunkInFlight() {
        if (chunkInFlight != null) {
            chunkInFlight.cancel(true);
            chunkInFlight = null;
            bufferInFlight = null;
        }
    }

    private void writeFully(ByteBuffer source) throws IOException {
        while (source.hasRemaining()) {
            channel.write(source);
        }
    }

    /** Gives the buffers no request reads back to the pool. */
    private void releaseBuffer() {
        if (buffer != null) {
            buffers.release(buffer);
            buffer = null;
        }
        if (freeBuffer != null) {
            buffers.release(freeBuffer);
            freeBuffer = null;
        }
    }

    private IOException failure(Exception exception) {
        return new IOException("cannot write '%s'".formatted(file), GcsErrors.classify("cannot write '%s'".formatted(file), exception));
    }
}
