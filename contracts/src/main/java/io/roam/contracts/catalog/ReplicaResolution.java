package io.roam.contracts.catalog;

import java.util.UUID;

/**
 * The verified replica a job should read, chosen for where the job runs.
 *
 * @param near what the caller asked for: a storage profile name or a region label
 * @param match how close the chosen replica is to {@code near}
 */
public record ReplicaResolution(UUID artifactId, String near, Nearness match, ReplicaView replica) {

    /** How close a replica is to a place, closest first. */
    public enum Nearness {
        /** Served by the very profile asked for. */
        PROFILE,
        /** In the same region as the place asked for. */
        REGION,
        /** On the same cloud (or the same on-premise site) as the place asked for. */
        CLOUD,
        /** Anywhere: no replica is closer. */
        ANY
    }
}
