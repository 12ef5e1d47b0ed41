package io.roam.contracts.messages;

/** Why a transfer was requested; the worker moves bytes the same way for both. */
public enum TransferPurpose {
    /** A durable copy of an artifact at another location (another cloud, region or cluster). */
    REPLICATION,
    /** A working copy near compute, such as a dataset on the scratch disk next to the GPUs. */
    STAGING
}
