package io.roam.contracts.catalog;

import java.time.Instant;
import java.util.UUID;

/**
 * One physical copy of an artifact.
 *
 * @param digest the digest of the manifest this copy was verified against ({@code
 *     manifestDigestAlgorithm}); empty for a source that Roam has not read yet
 * @param verifiedAt when a worker last verified every file of this copy
 * @param transferId the transfer that wrote this copy, empty for a registered source
 */
public record ReplicaView(
        UUID id,
        String location,
        ReplicaState state,
        String digestAlgorithm,
        String digest,
        Instant verifiedAt,
        UUID transferId,
        Instant updatedAt) {
}
