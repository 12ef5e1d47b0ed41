package io.roam.storage;

import java.util.Optional;

/**
 * An optional capability: the backend keeps, with every file, a checksum that it computed (or checked)
 * itself from the bytes it received, and a writer can compute the same checksum from the bytes it wrote.
 * Comparing the two verifies a written file without reading it back: the S3 CRC32C or MD5 of an object
 * (of each part, combined, for a multipart upload), the MD5s of an Azure blob's blocks, a GCS object's
 * crc32c. A file system implements this only when its backend keeps such a checksum; callers check with
 * {@code instanceof} and otherwise read the file back.
 *
 * <p>The contract, for every implementation:
 * <ul>
 *   <li>For every file written completely through this file system's {@code openWrite} (or {@link
 *       ResumableWrite#openResumableWrite}, whatever it reused) with bytes {@code B}, {@link
 *       #storedChecksum} reports {@code B}'s length and a checksum equal to what {@link #checksumOfWrite}
 *       for that length computes from {@code B}.
 *   <li>The stored checksum is one the backend computed from, or checked against, the bytes it
 *       received; never a value a client could set without the backend checking it.
 *   <li>{@link #storedChecksum} is empty when no file exists there, or when the file holds no checksum of
 *       the kind {@link #checksumOfWrite} computes (written by another tool or with another
 *       configuration, or encrypted such that its ETag is no MD5). A stored checksum of the same
 *       algorithm with another value means the file does not hold the bytes written.
 * </ul>
 */
public interface WriteVerification {

    /**
     * A new calculator of the checksum the backend will keep for a file of {@code size} bytes written
     * through this file system. The caller gives it exactly those bytes, in order.
     */
    ChecksumCalculator checksumOfWrite(long size);

    /** The size and the backend's own checksum of the file as it is stored now, or empty (see above). */
    Optional<StoredChecksum> storedChecksum(Location file);

    /**
     * What a backend keeps about a file's content.
     *
     * @param size the file's length in bytes
     * @param checksum the checksum the backend computed or checked
     */
    record StoredChecksum(long size, Checksum checksum) {

        public StoredChecksum {
            java.util.Objects.requireNonNull(checksum, "checksum is null");
            if (size < 0) {
                throw new IllegalArgumentException("size is negative: " + size);
            }
        }
    }
}
