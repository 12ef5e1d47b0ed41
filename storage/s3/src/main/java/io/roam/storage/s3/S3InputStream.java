package io.roam.storage.s3;

import static java.util.Objects.requireNonNull;

import io.roam.storage.Location;
import io.roam.storage.StorageException;

import java.io.IOException;
import java.io.InputStream;

import software.amazon.awssdk.http.AbortableInputStream;

/**
 * The body of one ranged GetObject. Closing it before the end aborts the HTTP request instead of
 * draining the rest of the object (which the connection pool would otherwise do to reuse the
 * connection): a reader of a small range of a large file stops paying for it at once.
 */
final class S3InputStream extends InputStream {

    private final AbortableInputStream response;
    private final Location location;
    private long remaining;
    private boolean closed;

    S3InputStream(S3ObjectRequests.ObjectBody body, Location location) {
        this.response = requireNonNull(body, "body is null").content();
        this.location = requireNonNull(location, "location is null");
        this.remaining = body.contentLength();
    }

    @Override
    public int read() throws IOException {
        requireOpen();
        try {
            int value = response.read();
            if (value < 0) {
                remaining = 0;
            }
            else {
                remaining--;
            }
            return value;
        }
        catch (IOException | RuntimeException exception) {
            throw failure(exception);
        }
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        requireOpen();
        try {
            int count = response.read(bytes, offset, length);
            if (count < 0) {
                remaining = 0;
            }
            else {
                remaining -= count;
            }
            return count;
        }
        catch (IOException | RuntimeException exception) {
            throw failure(exception);
        }
    }

    @Override
    public int available() throws IOException {
        requireOpen();
        return response.available();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (remaining > 0) {
            response.abort();
        }
        response.close();
    }

    private void requireOpen() throws IOException {
        if (closed) {
            throw new IOException("stream of '%s' is closed".formatted(location));
        }
    }

    private IOException failure(Exception exception) {
        StorageException classified = S3Errors.classify("read", location, exception);
        return new IOException(classified.getMessage(), classified);
    }
}
