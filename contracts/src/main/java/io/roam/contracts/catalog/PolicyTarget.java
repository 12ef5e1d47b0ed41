package io.roam.contracts.catalog;

import java.util.UUID;

/** Where a replication policy sends one artifact: its target template filled in with the artifact's coordinates. */
public record PolicyTarget(UUID policyId, String policyName, String target) {
}
