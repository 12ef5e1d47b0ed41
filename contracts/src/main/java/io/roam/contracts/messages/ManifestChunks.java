package io.roam.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a manifest into chunks small enough for one Kafka record each, whatever the number of files:
 * a dataset of 100,000 files travels as many MANIFEST events rather than one record the broker refuses.
 */
public final class ManifestChunks {

    /** Well under Kafka's default 1 MiB record limit, leaving room for the event's other fields. */
    public static final int DEFAULT_MAXIMUM_CHUNK_BYTES = 512 * 1024;

    /** A generous bound on the JSON of one entry besides its path: field names, size, algorithm, digest. */
    private static final int ENTRY_OVERHEAD_BYTES = 256;

    private ManifestChunks() {
    }

    /**
     * Consecutive chunks of {@code manifest}, in order, each with at least one entry and, unless one
     * entry alone is larger, at most about {@code maximumChunkBytes} of JSON. An empty manifest has no chunks.
     */
    public static List<List<ManifestEntry>> split(List<ManifestEntry> manifest, int maximumChunkBytes) {
        requireNonNull(manifest, "manifest is null");
        List<List<ManifestEntry>> chunks = new ArrayList<>();
        List<ManifestEntry> chunk = new ArrayList<>();
        long chunkBytes = 0;
        for (ManifestEntry entry : manifest) {
            long entryBytes = ENTRY_OVERHEAD_BYTES + 4L * entry.path().length();
            if (!chunk.isEmpty() && chunkBytes + entryBytes > maximumChunkBytes) {
                chunks.add(List.copyOf(chunk));
                chunk.clear();
                chunkBytes = 0;
            }
            chunk.add(entry);
            chunkBytes += entryBytes;
        }
        if (!chunk.isEmpty()) {
            chunks.add(List.copyOf(chunk));
        }
        return chunks;
    }
}
