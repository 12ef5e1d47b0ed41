package io.roam.storage;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * What a backend knows about one file without reading it.
 *
 * @param location where the file is
 * @param size its length in bytes
 * @param lastModified when it was last written, as the backend reports it
 * @param nativeChecksum the backend's own checksum of the content, when it keeps one (an S3 ETag of a
 *     single-part upload, an Azure Content-MD5, a GCS crc32c); empty otherwise
 */
public record FileEntry(Location location, long size, Instant lastModified, Optional<Checksum> nativeChecksum) {

    public FileEntry {
        requireNonNull(location, "location is null");
        requireNonNull(lastModified, "lastModified is null");
        requireNonNull(nativeChecksum, "nativeChecksum is null");
        if (size < 0) {
            throw new IllegalArgumentException("size is negative: " + size);
        }
    }

    public FileEntry(Location location, long size, Instant lastModified) {
        this(location, size, lastModified, Optional.empty());
    }
}
