package io.roam.catalog.events;

import io.roam.contracts.messages.TransferEvent;

/** An event about a transfer the catalog never registered: it can never be applied. */
public final class UnknownTransferException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnknownTransferException(TransferEvent event) {
        super("event " + event.eventId() + " names transfer " + event.transferId() + " of artifact " + event.artifactId()
                + ", which the catalog never registered");
    }
}
