package io.roam.contracts.messages;

import static java.util.Objects.requireNonNull;

/**
 * One file of an artifact.
 *
 * @param path the file's path relative to the artifact's root, segments separated by {@code /}; for
 *     an artifact that is a single file, that file's name
 * @param size its length in bytes
 * @param digestAlgorithm the algorithm of {@code digest}, e.g. {@code sha256}
 * @param digest the content digest in lowercase hexadecimal, computed by the worker while reading
 *     the source and checked against the written copy
 */
public record ManifestEntry(String path, long size, String digestAlgorithm, String digest) {

    public ManifestEntry {
        requireNonNull(path, "path is null");
        requireNonNull(digestAlgorithm, "digestAlgorithm is null");
        requireNonNull(digest, "digest is null");
    }
}
