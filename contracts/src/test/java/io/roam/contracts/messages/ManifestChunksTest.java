package io.roam.contracts.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ManifestChunksTest {

    private final ObjectMapper objectMapper = new ObjectMapper();

    @Test
    void aLargeManifestIsSplitIntoChunksOfBoundedSizeInOrder() throws Exception {
        List<ManifestEntry> manifest = IntStream.range(0, 100_000)
                .mapToObj(index -> new ManifestEntry("shard-%06d/part-%06d.tar".formatted(index / 1000, index), 1_048_576,
                        "sha256", "%064x".formatted(index)))
                .toList();

        List<List<ManifestEntry>> chunks = ManifestChunks.split(manifest, ManifestChunks.DEFAULT_MAXIMUM_CHUNK_BYTES);

        assertThat(chunks).hasSizeGreaterThan(1);
        assertThat(chunks.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(manifest);
        for (List<ManifestEntry> chunk : chunks) {
            assertThat(objectMapper.writeValueAsBytes(chunk)).hasSizeLessThanOrEqualTo(ManifestChunks.DEFAULT_MAXIMUM_CHUNK_BYTES);
        }
    }

    @Test
    void aSmallManifestIsOneChunkAndAnEmptyOneNone() {
        ManifestEntry entry = new ManifestEntry("model.safetensors", 12, "sha256", "ab".repeat(32));

        assertThat(ManifestChunks.split(List.of(entry), 1024)).containsExactly(List.of(entry));
        assertThat(ManifestChunks.split(List.of(), 1024)).isEmpty();
    }

    @Test
    void anEntryLargerThanTheBoundTravelsAlone() {
        ManifestEntry large = new ManifestEntry("a".repeat(2000), 1, "sha256", "ab".repeat(32));
        ManifestEntry small = new ManifestEntry("b", 1, "sha256", "ab".repeat(32));

        assertThat(ManifestChunks.split(List.of(small, large, small), 1024))
                .containsExactly(List.of(small), List.of(large), List.of(small));
    }
}
