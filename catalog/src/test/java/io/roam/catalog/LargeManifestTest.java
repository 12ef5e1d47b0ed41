package io.roam.catalog;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.roam.contracts.catalog.ArtifactView;
import io.roam.contracts.catalog.ManifestPage;
import io.roam.contracts.catalog.TransferState;
import io.roam.contracts.catalog.TransferView;
import io.roam.contracts.messages.ArtifactCoordinates;
import io.roam.contracts.messages.ArtifactKind;
import io.roam.contracts.messages.ManifestChunks;
import io.roam.contracts.messages.ManifestEntry;
import io.roam.contracts.messages.Topics;
import io.roam.contracts.messages.TransferEvent;
import io.roam.contracts.messages.TransferProgress;
import io.roam.contracts.messages.TransferPurpose;
import io.roam.contracts.messages.TransferRequest;
import io.roam.infrastructure.testing.KafkaTestClient;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** A dataset of 100,000 files: its manifest arrives in chunks, is stored whole, and is served page by page. */
@QuarkusTest
@TestProfile(CatalogTestResources.class)
class LargeManifestTest {

    private static final int FILES = 100_000;

    @Inject
    ObjectMapper objectMapper;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void aManifestOfAHundredThousandFilesIsRecordedFromItsChunksAndServedPageByPage() throws Exception {
        String source = "file:///data/tokens/" + UUID.randomUUID() + "/";
        String target = "file:///replica/tokens/" + UUID.randomUUID() + "/";
        ArtifactView artifact = given().contentType(ContentType.JSON)
                .body(Map.of("project", "llm", "kind", "dataset", "name", "tokens", "version", UUID.randomUUID().toString(),
                        "source", source))
                .post("/v1/artifacts").then().statusCode(200).extract().as(ArtifactView.class);
        UUID transferId = UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body(Map.of("id", transferId, "artifactId", artifact.id(), "purpose", "STAGING", "source", source, "target", target))
                .post("/v1/transfers").then().statusCode(200);
        TransferRequest request = new TransferRequest(transferId, artifact.id(),
                new ArtifactCoordinates("llm", ArtifactKind.DATASET, "tokens", artifact.version()), TransferPurpose.STAGING, source,
                target, Instant.now());
        List<ManifestEntry> manifest = IntStream.range(0, FILES)
                .mapToObj(index -> new ManifestEntry("shard-%03d/sample-%06d.arrow".formatted(index / 1000, index), 4096 + index,
                        "sha256", "%064x".formatted(index)))
                .toList();
        TransferProgress done = new TransferProgress(0, 0, FILES, FILES, 0, 0, 0);

        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            List<List<ManifestEntry>> chunks = ManifestChunks.split(manifest, ManifestChunks.DEFAULT_MAXIMUM_CHUNK_BYTES);
            assertThat(chunks).hasSizeGreaterThan(10);
            for (List<ManifestEntry> chunk : chunks) {
                kafka.send(Topics.TRANSFER_EVENTS, transferId.toString(),
                        objectMapper.writeValueAsString(TransferEvent.manifestChunk(request, done, chunk)));
            }
            kafka.send(Topics.TRANSFER_EVENTS, transferId.toString(),
                    objectMapper.writeValueAsString(TransferEvent.succeeded(request, done, FILES)));
        }

        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(given().get("/v1/transfers/{id}", transferId)
                .then().statusCode(200).extract().as(TransferView.class).state()).isEqualTo(TransferState.SUCCEEDED));
        ArtifactView recorded = given().get("/v1/artifacts/{id}", artifact.id()).then().statusCode(200).extract().as(ArtifactView.class);
        assertThat(recorded.manifest().fileCount()).isEqualTo(FILES);
        assertThat(recorded.manifest().totalBytes()).isEqualTo(manifest.stream().mapToLong(ManifestEntry::size).sum());
        int pages = 0;
        long served = 0;
        String after = null;
        do {
            var page = given().queryParam("limit", 10_000);
            if (after != null) {
                page.queryParam("after", after);
            }
            ManifestPage read = page.get("/v1/artifacts/{id}/manifest", artifact.id()).then().statusCode(200)
                    .extract().as(ManifestPage.class);
            assertThat(read.files().getFirst()).isEqualTo(manifest.get((int) served));
            served += read.files().size();
            after = read.next();
            pages++;
        } while (after != null);
        assertThat(served).isEqualTo(FILES);
        assertThat(pages).isEqualTo(10);
    }
}
