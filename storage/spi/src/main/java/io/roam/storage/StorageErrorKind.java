package io.roam.storage;

/**
 * The classes of storage failure that Roam's retry policy distinguishes. Each backend maps its own
 * errors to these once, in its classifier; the decision to retry is taken only from {@link #retryable()}.
 */
public enum StorageErrorKind {
    /** The file, bucket or container does not exist. */
    NOT_FOUND(false),
    /** The write was conditional on absence and something is already there. */
    ALREADY_EXISTS(false),
    /** The credentials are wrong, expired, or lack the permission. */
    ACCESS_DENIED(false),
    /** The location is malformed or outside what its storage profile serves. */
    INVALID_LOCATION(false),
    /** The backend asks the client to slow down (S3 SlowDown, Azure ServerBusy, HTTP 429). */
    THROTTLED(true),
    /** A failure that may pass: a reset connection, a timeout, a 5xx from the service. */
    TRANSIENT(true),
    /** Anything else: retrying will not help. */
    FATAL(false);

    private final boolean retryable;

    StorageErrorKind(boolean retryable) {
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
