package io.roam.contracts.messages;

/**
 * Why a transfer was requested. The worker moves bytes the same way for the two copying purposes; the
 * other two work on one location only, whose URI is both the request's source and its target.
 */
public enum TransferPurpose {
    /** A durable copy of an artifact at another location (another cloud, region or cluster). */
    REPLICATION,
    /** A working copy near compute, such as a dataset on the scratch disk next to the GPUs. */
    STAGING,
    /** Remove a replica: every file at the location is deleted (retention, or an operator's request). */
    DELETION,
    /**
     * Re-read a replica: the worker digests every file at the location and reports what it found as the
     * manifest of its SUCCEEDED event; the catalog compares that with the artifact's manifest.
     */
    VERIFICATION;

    /** Whether the transfer copies bytes from its source to its target. */
    public boolean copies() {
        return this == REPLICATION || this == STAGING;
    }
}
