package io.roam.gateway.requests;

import io.roam.storage.Location;
import java.util.UUID;

/**
 * One transfer to register and publish.
 *
 * @param id fresh for a client's request; derived from the event for a training event, so that a
 *     redelivered event finds the transfers it already led to instead of starting new ones
 * @param policyId the replication policy that asked for it, or null
 */
public record PlannedTransfer(UUID id, Location target, UUID policyId) {
}
