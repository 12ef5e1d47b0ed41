package io.roam.storage.hdfs;

import io.roam.storage.Location;
import io.roam.storage.StorageOutputStream;

import java.io.IOException;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.DistributedFileSystem;

/**
 * Writes a hidden temporary file next to the target through HDFS's own pipeline (packets of 64 KiB,
 * a bounded number in flight, block by block) and, on close, completes it and renames it over the
 * target in one name node operation, so that readers see the previous file or the whole new one.
 * When a write, the completion or the rename fails, the temporary file is deleted, the target is left
 * as it was, and the stream is finished: later calls fail and {@code close} does nothing. Failures are
 * {@link IOException}s whose cause is the classified {@link io.roam.storage.StorageException}.
 */
final class HdfsOutputStream extends StorageOutputStream {

    private final DistributedFileSystem fileSystem;
    private final FSDataOutputStream stream;
    private final Path temporary;
    private final Path target;
    private final Location location;
    private boolean finished;

    HdfsOutputStream(DistributedFileSystem fileSystem, FSDataOutputStream stream, Path temporary, Path target, Location location) {
        this.fileSystem = fileSystem;
        this.stream = stream;
        this.temporary = temporary;
        this.target = target;
        this.location = location;
    }

    @Override
    public void write(int value) throws IOException {
        requireUnfinished();
        try {
            stream.write(value);
        }
        catch (IOException | RuntimeException exception) {
            throw discard(exception);
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        requireUnfinished();
        try {
            stream.write(bytes, offset, length);
        }
        catch (IOException | RuntimeException exception) {
            throw discard(exception);
        }
    }

    /** Hands the buffered bytes to the pipeline; they stay invisible at the location until {@link #close()}. */
    @Override
    public void flush() throws IOException {
        requireUnfinished();
        try {
            stream.flush();
        }
        catch (IOException | RuntimeException exception) {
            throw discard(exception);
        }
    }

    @Override
    public void close() throws IOException {
        if (finished) {
            return;
        }
        try {
            stream.close();
        }
        catch (IOException | RuntimeException exception) {
            throw discard(exception);
        }
        try {
            fileSystem.rename(temporary, target, Options.Rename.OVERWRITE);
        }
        catch (IOException | RuntimeException exception) {
            throw discard(renameFailure(exception));
        }
        finished = true;
    }

    @Override
    public void abort() {
        if (!finished) {
            discard(new IOException("write to '%s' aborted".formatted(location)));
        }
    }

    private void requireUnfinished() throws IOException {
        if (finished) {
            throw new IOException("stream to '%s' is closed or failed".formatted(location));
        }
    }

    /** Replacing a directory with a file is refused by HDFS with a plain IOException: say what is in the way. */
    private Exception renameFailure(Exception failure) {
        try {
            if (fileSystem.getFileStatus(target).isDirectory()) {
                return new FileAlreadyExistsException("a directory exists at '%s'".formatted(location));
            }
        }
        catch (IOException | RuntimeException ignored) {
            // The original failure says more than this check's.
        }
        return failure;
    }

    /**
     * Finishes the stream: closes it (which completes at most the packets in flight) and deletes the
     * temporary file. Cleanup failures are attached to the failure; a temporary file left behind is
     * hidden from listings.
     */
    private IOException discard(Exception failure) {
        finished = true;
        try {
            stream.close();
        }
        catch (IOException | RuntimeException exception) {
            failure.addSuppressed(exception);
        }
        try {
            fileSystem.delete(temporary, false);
        }
        catch (IOException | RuntimeException exception) {
            failure.addSuppressed(exception);
        }
        return HdfsErrors.streamFailure("write", location, failure);
    }
}
