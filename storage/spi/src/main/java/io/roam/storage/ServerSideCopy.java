package io.roam.storage;

/**
 * An optional capability: the backend copies a file to another location of the same file system
 * without the bytes passing through Roam (S3 CopyObject / UploadPartCopy, Azure copy from URL / stage
 * block from URL, GCS rewrite). A file system implements this only when it can; callers check with
 * {@code instanceof} and fall back to reading and writing.
 */
public interface ServerSideCopy {

    /**
     * Copies {@code source} to {@code target}, replacing what is there. Like {@link
     * StorageFileSystem#openWrite}, the copy becomes visible at {@code target} only when complete.
     * Both locations are served by this file system.
     *
     * @throws StorageException of kind {@link StorageErrorKind#NOT_FOUND} when the source does not exist
     */
    void copy(Location source, Location target);
}
