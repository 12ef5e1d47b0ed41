package io.roam.gateway.requests;

import io.roam.contracts.catalog.TransferState;
import java.util.UUID;

/** One transfer started by an accepted request; follow it at {@code /v1/transfers/{id}}. */
public record AcceptedTransfer(UUID id, String target, TransferState state) {
}
