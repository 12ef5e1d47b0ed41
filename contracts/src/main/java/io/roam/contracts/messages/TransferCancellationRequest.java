package io.roam.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * Asks whichever worker runs a transfer to stop it: no new file starts, writes in flight are aborted
 * (nothing partial is published), files already completed stay. Published on {@link
 * Topics#TRANSFER_CANCELLATIONS} after the catalog has marked the transfer cancelled.
 */
public record TransferCancellationRequest(UUID transferId, Instant requestedAt) {

    public TransferCancellationRequest {
        requireNonNull(transferId, "transferId is null");
        requireNonNull(requestedAt, "requestedAt is null");
    }
}
