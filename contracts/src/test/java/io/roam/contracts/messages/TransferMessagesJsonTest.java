package io.roam.contracts.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TransferMessagesJsonTest {

    // Configured like the services' Quarkus ObjectMapper: ISO-8601 instants.
    private final ObjectMapper objectMapper = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .registerModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final TransferRequest request = new TransferRequest(
            UUID.randomUUID(),
            UUID.randomUUID(),
            new ArtifactCoordinates("llm", ArtifactKind.CHECKPOINT, "run-42", "checkpoint-1000"),
            TransferPurpose.REPLICATION,
            "file:///data/run-42/checkpoint-1000/",
            "file:///replica/run-42/checkpoint-1000/",
            Instant.parse("2026-11-26T08:00:00Z"));

    @Test
    void transferRequestSurvivesTheWire() throws Exception {
        String json = objectMapper.writeValueAsString(request);

        assertThat(json).contains("\"kind\":\"checkpoint\"", "\"requestedAt\":\"2026-11-26T08:00:00Z\"");
        assertThat(objectMapper.readValue(json, TransferRequest.class)).isEqualTo(request);
    }

    @Test
    void manifestChunkCarriesItsEntries() throws Exception {
        List<ManifestEntry> manifest = List.of(new ManifestEntry("model.safetensors", 12, "sha256", "ab".repeat(32)));
        TransferEvent event = TransferEvent.manifestChunk(request, new TransferProgress(12, 12, 1, 1, 0, 0, 0), manifest);

        TransferEvent read = objectMapper.readValue(objectMapper.writeValueAsString(event), TransferEvent.class);

        assertThat(read).isEqualTo(event);
        assertThat(read.manifest()).containsExactlyElementsOf(manifest);
    }

    @Test
    void succeededEventCountsTheManifestEntriesSentBeforeIt() throws Exception {
        TransferEvent event = TransferEvent.succeeded(request, new TransferProgress(12, 12, 1, 1, 0, 0, 0), 1);

        TransferEvent read = objectMapper.readValue(objectMapper.writeValueAsString(event), TransferEvent.class);

        assertThat(read).isEqualTo(event);
        assertThat(read.manifestFiles()).isEqualTo(1);
        assertThat(read.manifest()).isEmpty();
    }

    @Test
    void failedEventWithoutErrorIsRejected() {
        assertThatThrownBy(() -> new TransferEvent(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                TransferEventType.FAILED, Instant.now(), TransferProgress.NONE, List.of(), 0, null, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("a FAILED event needs an error");
    }

    @Test
    void unknownArtifactKindIsRejectedNamingTheAllowedOnes() {
        assertThatThrownBy(() -> objectMapper.readValue("\"weights\"", ArtifactKind.class))
                .isInstanceOf(JsonMappingException.class)
                .hasMessageContaining("unknown artifact kind 'weights'; expected one of dataset, checkpoint, model");
    }
}
