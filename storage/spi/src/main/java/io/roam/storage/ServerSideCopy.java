package io.roam.storage;

import java.util.function.BooleanSupplier;

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
     * <p>A copy of a large file takes many requests (S3 UploadPartCopy, Azure staged blocks, GCS rewrite
     * calls) and can run for minutes. {@code stopRequested} is asked before each of them; once it answers
     * {@code true}, the copy stops, discards what it copied where the backend can (S3 aborts the multipart
     * upload; Azure's staged blocks expire on their own), and leaves {@code target} as it was. Requests
     * already sent finish first.
     *
     * @return {@code true} when the copy is complete, {@code false} when it stopped because {@code
     *     stopRequested} answered {@code true}
     * @throws StorageException of kind {@link StorageErrorKind#NOT_FOUND} when the source does not exist
     */
    boolean copy(Location source, Location target, BooleanSupplier stopRequested);
}
