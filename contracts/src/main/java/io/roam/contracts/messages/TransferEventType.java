package io.roam.contracts.messages;

/** What a {@link TransferEvent} reports. */
public enum TransferEventType {
    /** A worker took the request and planned the copy; the totals are known. */
    STARTED,
    /** Bytes and files done so far. */
    PROGRESS,
    /** Every file was copied and verified; the event carries the manifest. */
    SUCCEEDED,
    /** The transfer stopped for good; the event carries the classified error. */
    FAILED
}
