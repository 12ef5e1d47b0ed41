package io.roam.gateway.requests;

import io.roam.contracts.messages.ArtifactCoordinates;
import io.roam.contracts.messages.TransferPurpose;
import io.roam.storage.Location;
import java.util.List;
import java.util.Map;

/** A request that passed every rule: parsed locations, each served by a storage profile. */
public record ValidatedTransferRequest(ArtifactCoordinates artifact, Map<String, String> labels, TransferPurpose purpose,
        Location source, List<PlannedTransfer> transfers) {
}
