package io.roam.contracts.catalog;

/**
 * What an artifact's manifest holds, without its files. All zero and null until a first copy has been
 * verified.
 *
 * @param digestAlgorithm how {@code digest} was computed over the sorted manifest entries
 * @param digest identifies the exact set of files, sizes and content digests; equal digests, equal content
 */
public record ManifestSummary(long fileCount, long totalBytes, String digestAlgorithm, String digest) {
}
