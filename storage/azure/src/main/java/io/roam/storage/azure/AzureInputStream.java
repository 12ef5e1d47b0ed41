package io.roam.storage.azure;

import io.roam.storage.Location;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a blob, failing with an {@link IOException} whose cause is the classified {@link
 * io.roam.storage.StorageException}, so that {@link io.roam.storage.StorageErrors#classify} sees whether a
 * failed read may be retried.
 */
final class AzureInputStream extends FilterInputStream {

    private final Location location;

    AzureInputStream(InputStream blob, Location location) {
        super(blob);
        this.location = location;
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        }
        catch (IOException | RuntimeException exception) {
            throw classified(exception);
        }
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        try {
            return super.read(bytes, offset, length);
        }
        catch (IOException | RuntimeException exception) {
            throw classified(exception);
        }
    }

    @Override
    public long skip(long count) throws IOException {
        try {
            return super.skip(count);
        }
        catch (IOException | RuntimeException exception) {
            throw classified(exception);
        }
    }

    private IOException classified(Exception exception) {
        return new IOException(AzureErrors.classify("read", location, exception));
    }
}
