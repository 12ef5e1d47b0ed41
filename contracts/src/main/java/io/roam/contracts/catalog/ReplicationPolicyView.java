package io.roam.contracts.catalog;

import io.roam.contracts.messages.ArtifactKind;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A stored replication policy; see {@link ReplicationPolicyDefinition} for the meaning of each field. */
public record ReplicationPolicyView(UUID id, String project, String name, List<ArtifactKind> kinds, String namePattern,
        List<String> targets, Integer keepLast, Instant createdAt) {
}
