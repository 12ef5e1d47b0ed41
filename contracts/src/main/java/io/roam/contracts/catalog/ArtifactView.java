package io.roam.contracts.catalog;

import io.roam.contracts.messages.ArtifactKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An artifact with every known replica and a summary of its manifest; the files themselves are served
 * page by page ({@code GET /v1/artifacts/{id}/manifest}), since an artifact may have 100,000 of them.
 */
public record ArtifactView(
        UUID id,
        String project,
        ArtifactKind kind,
        String name,
        String version,
        Map<String, String> labels,
        Instant createdAt,
        List<ReplicaView> replicas,
        ManifestSummary manifest) {
}
