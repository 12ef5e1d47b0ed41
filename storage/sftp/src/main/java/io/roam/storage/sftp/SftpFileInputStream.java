package io.roam.storage.sftp;

import io.roam.storage.Location;
import io.roam.storage.sftp.SftpConnectionPool.Lease;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads one remote file through a leased SFTP channel, with read-ahead requests pipelined by the
 * client, and returns the channel on close. Failures are {@link IOException}s whose cause is the
 * classified {@link io.roam.storage.StorageException}.
 */
final class SftpFileInputStream extends InputStream {

    private final Location location;
    private final Lease lease;
    private final InputStream remote;
    private boolean closed;

    SftpFileInputStream(Location location, Lease lease, InputStream remote) {
        this.location = location;
        this.lease = lease;
        this.remote = remote;
    }

    @Override
    public int read() throws IOException {
        requireOpen();
        try {
            return remote.read();
        }
        catch (IOException | RuntimeException exception) {
            throw SftpErrors.streamFailure("read", location, exception);
        }
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        requireOpen();
        try {
            return remote.read(bytes, offset, length);
        }
        catch (IOException | RuntimeException exception) {
            throw SftpErrors.streamFailure("read", location, exception);
        }
    }

    @Override
    public long skip(long count) throws IOException {
        requireOpen();
        try {
            return remote.skip(count);
        }
        catch (IOException | RuntimeException exception) {
            throw SftpErrors.streamFailure("read", location, exception);
        }
    }

    /** Collects the replies to read-ahead requests still in flight, closes the remote handle and returns the channel. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            remote.close();
        }
        catch (IOException | RuntimeException exception) {
            lease.releaseAfter(exception);
            throw SftpErrors.streamFailure("read", location, exception);
        }
        lease.release();
    }

    private void requireOpen() throws IOException {
        if (closed) {
            throw new IOException("stream from '%s' is closed".formatted(location));
        }
    }
}
