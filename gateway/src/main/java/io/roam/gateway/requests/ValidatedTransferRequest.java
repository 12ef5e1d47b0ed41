package io.roam.gateway.requests;

import io.roam.contracts.messages.ArtifactCoordinates;
import io.roam.contracts.messages.TransferPurpose;
import io.roam.storage.Location;
import java.util.List;

/** A request that passed every rule: parsed locations, each served by a storage profile. */
record ValidatedTransferRequest(ArtifactCoordinates artifact, TransferPurpose purpose, Location source, List<Location> targets) {
}
