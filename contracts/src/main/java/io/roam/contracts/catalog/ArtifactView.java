package io.roam.contracts.catalog;

import io.roam.contracts.messages.ArtifactKind;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An artifact with every known replica and its manifest. */
public record ArtifactView(
        UUID id,
        String project,
        ArtifactKind kind,
        String name,
        String version,
        Instant createdAt,
        List<ReplicaView> replicas,
        ManifestView manifest) {
}
