package io.roam.contracts.catalog;

import java.time.Instant;
import java.util.UUID;

/**
 * One physical copy of an artifact.
 *
 * @param profile the storage profile that serves the location, when the catalog knows one
 * @param region the profile's region label, such as {@code eastus} or {@code cluster-a}; may be null
 * @param cloud the profile's cloud label, such as {@code azure} or {@code on-premise}; may be null
 * @param stateReason why the replica is in its state when that needs saying: a failure, a mismatch
 * @param digest the digest of the manifest this copy was verified against ({@code digestAlgorithm});
 *     empty for a source that Roam has not read yet
 * @param verifiedAt when a worker last verified every file of this copy
 * @param transferId the transfer that wrote this copy, empty for a registered source
 */
public record ReplicaView(
        UUID id,
        String location,
        String profile,
        String region,
        String cloud,
        ReplicaState state,
        String stateReason,
        String digestAlgorithm,
        String digest,
        Instant verifiedAt,
        UUID transferId,
        Instant updatedAt) {
}
