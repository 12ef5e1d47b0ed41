package io.roam.storage;

import java.io.Closeable;
import java.io.InputStream;
import java.util.Optional;

/**
 * The file operations Roam needs from one storage backend (a local disk, an object store bucket, an
 * SFTP server, an HDFS cluster). Kept deliberately small: every backend implements all of it, and
 * optional abilities live in separate capability interfaces that a backend implements only when it can.
 *
 * <p>Locations name files, never directories: a "directory" is a prefix ending in {@code /}. On blob
 * stores there are no directories at all; on hierarchical stores (local disk, SFTP, HDFS) parent
 * directories are created on write and empty ones are not reported by {@link #list}.
 *
 * <p>A location outside what this file system serves, a directory location given where a file is
 * expected, or a file location given to {@link #list}, fails with
 * {@link StorageErrorKind#INVALID_LOCATION}.
 *
 * <p>Every method throws {@link StorageException} with a classified {@link StorageErrorKind} for
 * failures the backend recognises. Streams returned by this interface throw {@link java.io.IOException}
 * from their own methods, as streams do; callers classify those with {@link StorageErrors#classify}.
 *
 * <p>Implementations are thread safe: one instance serves many concurrent transfers.
 */
public interface StorageFileSystem extends Closeable {

    /**
     * Lists every file under a directory prefix, recursively, in no particular order. The listing is
     * streamed from the backend page by page: it never holds the whole listing in memory. A prefix
     * under which nothing exists yields an empty iterator, not an error.
     *
     * @param directory a location whose path is empty or ends with {@code /}
     */
    FileIterator list(Location directory);

    /**
     * Describes one file, or returns empty when no file exists at that location. A directory (or a
     * common prefix on a blob store) at that location is not a file and yields empty.
     */
    Optional<FileEntry> stat(Location file);

    /**
     * Opens a file for reading from {@code offset} to its end. The caller closes the stream. Reading
     * a range of a large file in parallel is done by opening several streams at different offsets and
     * reading only as many bytes as each range needs.
     *
     * @throws StorageException of kind {@link StorageErrorKind#NOT_FOUND} when no file exists there
     */
    InputStream openRead(Location file, long offset);

    /**
     * Opens a range of a file for reading: {@code length} bytes from {@code offset}, or fewer when the file
     * ends first. A parallel reader of a large file opens one such range per part. Backends that can ask
     * for exactly that range (an HTTP {@code Range} with an end) override this, so that no byte past the
     * range is transferred; the default reads from {@code offset} and stops after {@code length} bytes.
     *
     * @throws StorageException of kind {@link StorageErrorKind#NOT_FOUND} when no file exists there
     */
    default InputStream openRead(Location file, long offset, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("length is negative: " + length);
        }
        return new RangeInputStream(openRead(file, offset), length);
    }

    /**
     * Opens a file for writing, replacing any file already at that location. What was written becomes
     * visible at the location only when the stream is closed without error, and then as a whole:
     * readers never see a partially written file. A stream abandoned without {@code close} (or whose
     * writer failed) leaves the previous content, if any, in place; a writer that fails for reasons of
     * its own (its source broke off) calls {@link StorageOutputStream#abort()} rather than {@code close}. Backends use their native upload
     * (multipart, block, resumable or chunked) underneath and buffer at most a bounded number of bytes.
     */
    StorageOutputStream openWrite(Location file);

    /**
     * Deletes one file. Deleting a file that does not exist is not an error: delete is idempotent.
     */
    void delete(Location file);

    /**
     * Releases the clients and connections this file system holds. Streams still open afterwards fail.
     */
    @Override
    void close();
}
