package io.roam.gateway.requests;

import java.util.List;
import java.util.UUID;

/** The 202 answer to a replication or staging request. */
public record TransfersAccepted(UUID artifactId, List<AcceptedTransfer> transfers) {
}
