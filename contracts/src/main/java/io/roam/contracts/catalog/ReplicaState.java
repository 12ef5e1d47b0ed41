package io.roam.contracts.catalog;

/** The state of one physical copy of an artifact. Only {@link #AVAILABLE} copies are served to jobs. */
public enum ReplicaState {
    /** A transfer to this location was requested and has not started. */
    PENDING,
    /** A transfer is writing this copy. */
    COPYING,
    /** Complete; for copies Roam wrote, verified against the manifest. */
    AVAILABLE,
    /** The transfer that was to write this copy failed. */
    FAILED,
    /** No longer matches the manifest, found by the integrity audit or a later copy; the reason says how. */
    STALE,
    /** A deletion was requested (retention or an operator) and has not finished; never served to jobs. */
    DELETING,
    /** Removed. */
    DELETED
}
