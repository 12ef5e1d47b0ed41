package io.roam.transfer;

import static java.util.Objects.requireNonNull;

import io.roam.storage.Checksum;

/**
 * A file the engine copied and verified.
 *
 * @param digest computed while reading the source, and found again when reading the written copy
 */
public record CopiedFile(String relativePath, long size, Checksum digest) {

    public CopiedFile {
        requireNonNull(relativePath, "relativePath is null");
        requireNonNull(digest, "digest is null");
    }
}
