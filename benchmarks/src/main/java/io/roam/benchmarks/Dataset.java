package io.roam.benchmarks;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * Files of one size copied together, such as one 1 GiB checkpoint shard or 1,000 dataset files of 1 MiB.
 *
 * @param key a short name used in paths, such as {@code large}
 */
record Dataset(String key, int fileCount, long fileSize) {

    Dataset {
        requireNonNull(key, "key is null");
        if (fileCount < 1 || fileSize < 1) {
            throw new IllegalArgumentException("a dataset has at least one file of at least one byte");
        }
    }

    long totalBytes() {
        return fileCount * fileSize;
    }

    /** The name of the file at {@code index} inside the dataset's directory. */
    String fileName(int index) {
        return fileCount == 1 ? "shard.bin" : "file-%06d.bin".formatted(index);
    }

    /** For example {@code 1 × 1 GiB} or {@code 1,000 × 1 MiB}. */
    String label() {
        return String.format(Locale.ROOT, "%,d × %s", fileCount, Units.bytes(fileSize));
    }
}
