package io.roam.storage.sftp;

import io.roam.storage.Location;
import io.roam.storage.StorageOutputStream;
import io.roam.storage.sftp.SftpConnectionPool.Lease;

import java.io.IOException;
import java.io.OutputStream;

import org.apache.sshd.sftp.common.SftpException;

/**
 * Writes to a temporary file beside the target and, on close, renames it over the target (see
 * {@link SftpFileSystem#replace}). When a write, the close or the rename fails, or the writer aborts,
 * the temporary file is removed, the target is left as it was, and the stream is finished: later
 * calls fail and {@code close} does nothing. The stream holds its leased SFTP channel until then.
 */
final class SftpFileOutputStream extends StorageOutputStream {

    private final Location location;
    private final Lease lease;
    private final OutputStream remote;
    private final String temporaryPath;
    private final String targetPath;
    private boolean finished;

    SftpFileOutputStream(Location location, Lease lease, OutputStream remote, String temporaryPath, String targetPath) {
        this.location = location;
        this.lease = lease;
        this.remote = remote;
        this.temporaryPath = temporaryPath;
        this.targetPath = targetPath;
    }

    @Override
    public void write(int value) throws IOException {
        requireUnfinished();
        try {
            remote.write(value);
        }
        catch (IOException | RuntimeException exception) {
            throw discard(exception, exception instanceof SftpException);
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        requireUnfinished();
        try {
            remote.write(bytes, offset, length);
        }
        catch (IOException | RuntimeException exception) {
            throw discard(exception, exception instanceof SftpException);
        }
    }

    @Override
    public void flush() throws IOException {
        requireUnfinished();
        try {
            remote.flush();
        }
        catch (IOException | RuntimeException exception) {
            throw discard(exception, exception instanceof SftpException);
        }
    }

    /** Waits for the server to acknowledge every write, then publishes the file under its name. */
    @Override
    public void close() throws IOException {
        if (finished) {
            return;
        }
        try {
            remote.close();
            SftpFileSystem.replace(lease.client(), temporaryPath, targetPath);
        }
        catch (IOException | RuntimeException exception) {
            throw discard(exception, exception instanceof SftpException);
        }
        finished = true;
        lease.release();
    }

    @Override
    public void abort() {
        if (!finished) {
            discard(new IOException("write to '%s' aborted".formatted(location)), true);
        }
    }

    private void requireUnfinished() throws IOException {
        if (finished) {
            throw new IOException("stream to '%s' is closed or failed".formatted(location));
        }
    }

    /**
     * Removes the temporary file and releases the channel: for reuse only when the failure came from
     * the server (or the writer) and the cleanup went through, since anything else may have left the
     * channel broken or holding unread replies.
     */
    private IOException discard(Exception failure, boolean failureFromServer) {
        finished = true;
        boolean channelSound = true;
        try {
            remote.close();
        }
        catch (SftpException exception) {
            failure.addSuppressed(exception);
        }
        catch (IOException | RuntimeException exception) {
            failure.addSuppressed(exception);
            channelSound = false;
        }
        if (channelSound) {
            try {
                lease.client().remove(temporaryPath);
            }
            catch (SftpException exception) {
                failure.addSuppressed(exception);
            }
            catch (IOException | RuntimeException exception) {
                failure.addSuppressed(exception);
                channelSound = false;
            }
        }
        // A temporary file left behind (the connection broke) is skipped by listings and never reused.
        if (channelSound && failureFromServer) {
            lease.release();
        }
        else {
            lease.discard();
        }
        return SftpErrors.streamFailure("write", location, failure);
    }
}
