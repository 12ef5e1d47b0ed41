package io.roam.contracts.messages;

/** What a {@link TransferEvent} reports. */
public enum TransferEventType {
    /** A worker took the request and planned the copy; the totals are known. */
    STARTED,
    /** Bytes and files done so far. */
    PROGRESS,
    /**
     * A chunk of the manifest, sent before SUCCEEDED: a manifest of many files travels as several
     * events of bounded size, in path order, all on the transfer's partition.
     */
    MANIFEST,
    /**
     * Every file was copied and verified (or, for a verification, read); the manifest was sent in the
     * MANIFEST events before this one, and this event says how many entries they held.
     */
    SUCCEEDED,
    /** The transfer stopped for good; the event carries the classified error. */
    FAILED
}
