package io.roam.storage.gcs;

import com.google.cloud.WriteChannel;

import io.roam.storage.Location;
import io.roam.storage.StorageOutputStream;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Writes one object through a resumable upload ({@link WriteChannel}). The client holds at most one chunk
 * and sends each full chunk as a request of the session; {@code close} sends the rest and finalizes the
 * session, which makes the object appear. After {@link #abort()}, or after a write that failed, the channel
 * is never closed, because closing it would finalize the session and publish a partial object: the
 * session is abandoned, and GCS discards it and its bytes after a week. Later writes fail and
 * {@code close} does nothing.
 */
final class GcsOutputStream extends StorageOutputStream {

    private final Location file;
    private final WriteChannel channel;
    private boolean finished;

    GcsOutputStream(Location file, WriteChannel channel) {
        this.file = file;
        this.channel = channel;
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
            ByteBuffer source = ByteBuffer.wrap(bytes, offset, length);
            while (source.hasRemaining()) {
                channel.write(source);
            }
        }
        catch (IOException | RuntimeException exception) {
            finished = true;
            throw new IOException("cannot write '%s'".formatted(file), GcsErrors.classify("cannot write '%s'".formatted(file), exception));
        }
    }

    /** Does nothing: bytes sent before {@code close} belong to an unfinished session, invisible to readers. */
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
            channel.close();
        }
        catch (IOException | RuntimeException exception) {
            throw new IOException("cannot write '%s'".formatted(file), GcsErrors.classify("cannot write '%s'".formatted(file), exception));
        }
    }

    @Override
    public void abort() {
        finished = true;
    }
}
