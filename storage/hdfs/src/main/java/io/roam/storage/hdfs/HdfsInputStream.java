package io.roam.storage.hdfs;

import io.roam.storage.Location;

import java.io.FilterInputStream;
import java.io.IOException;

import org.apache.hadoop.fs.FSDataInputStream;

/**
 * Reads one file through the Hadoop client, which fails over to another replica when a data node or a
 * checksum fails. Failures are {@link IOException}s whose cause is the classified
 * {@link io.roam.storage.StorageException}.
 */
final class HdfsInputStream extends FilterInputStream {

    private final Location location;

    HdfsInputStream(FSDataInputStream stream, Location location) {
        super(stream);
        this.location = location;
    }

    @Override
    public int read() throws IOException {
        try {
            return in.read();
        }
        catch (IOException | RuntimeException exception) {
            throw HdfsErrors.streamFailure("read", location, exception);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            return in.read(buffer, offset, length);
        }
        catch (IOException | RuntimeException exception) {
            throw HdfsErrors.streamFailure("read", location, exception);
        }
    }

    @Override
    public long skip(long count) throws IOException {
        try {
            return in.skip(count);
        }
        catch (IOException | RuntimeException exception) {
            throw HdfsErrors.streamFailure("read", location, exception);
        }
    }

    @Override
    public int available() throws IOException {
        try {
            return in.available();
        }
        catch (IOException | RuntimeException exception) {
            throw HdfsErrors.streamFailure("read", location, exception);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            in.close();
        }
        catch (IOException | RuntimeException exception) {
            throw HdfsErrors.streamFailure("close", location, exception);
        }
    }
}
