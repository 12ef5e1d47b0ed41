package io.roam.gateway.requests;

import java.util.List;
import java.util.UUID;

/**
 * The 202 answer to a replication or staging request.
 *
 * @param source where the transfers copy from: the request's source, or for a staging that named none, the replica
 *               the gateway chose
 */
public record TransfersAccepted(UUID artifactId, String source, List<AcceptedTransfer> transfers) {
}
