package io.roam.contracts.catalog;

/** Where a transfer stands. {@link #SUCCEEDED}, {@link #FAILED} and {@link #CANCELLED} are final. */
public enum TransferState {
    REQUESTED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
