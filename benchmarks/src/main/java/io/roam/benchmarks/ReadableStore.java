package io.roam.benchmarks;

import java.io.IOException;

/** A store the benchmark reads with plain SDK calls, to measure the read side of a ceiling. */
interface ReadableStore extends BenchmarkStore {

    /**
     * Reads {@code length} bytes of {@code file} from {@code offset} through {@code buffer}, discarding
     * them. Safe to call from several threads at once, each with its own buffer.
     *
     * @param file a path relative to the store, such as {@code source/large/shard.bin}
     * @throws IOException when the read fails or the file ends early
     */
    void read(String file, long offset, long length, byte[] buffer) throws IOException;
}
