package io.roam.storage.gcs;

import static java.util.Objects.checkFromIndexSize;

import com.google.cloud.ReadChannel;

import io.roam.storage.Location;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Reads an object through the client's {@link ReadChannel}, which fetches it in ranged chunks. Failures
 * are thrown as {@link IOException}s whose cause is the classified {@link io.roam.storage.StorageException},
 * so that {@link io.roam.storage.StorageErrors#classify} finds its kind.
 */
final class GcsInputStream extends InputStream {

    private final Location file;
    private final ReadChannel channel;
    private boolean closed;

    GcsInputStream(Location file, ReadChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    @Override
    public int read() throws IOException {
        byte[] single = new byte[1];
        int count = read(single, 0, 1);
        return count < 0 ? -1 : Byte.toUnsignedInt(single[0]);
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        checkFromIndexSize(offset, length, buffer.length);
        if (closed) {
            throw new IOException("stream of '%s' is closed".formatted(file));
        }
        if (length == 0) {
            return 0;
        }
        try {
            ByteBuffer target = ByteBuffer.wrap(buffer, offset, length);
            // The channel may return 0 while it fetches the next chunk; an InputStream blocks instead.
            int count;
            do {
                count = channel.read(target);
            }
            while (count == 0);
            return count;
        }
        catch (IOException | RuntimeException exception) {
            throw new IOException("cannot read '%s'".formatted(file), GcsErrors.classify("cannot read '%s'".formatted(file), exception));
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            channel.close();
        }
    }
}
