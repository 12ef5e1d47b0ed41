package io.roam.storage;

import static java.util.Objects.requireNonNull;

/**
 * A storage failure, classified. Messages name the location and the problem; they never contain
 * credentials, endpoints' secrets or signed URLs.
 */
public class StorageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final StorageErrorKind kind;

    public StorageException(StorageErrorKind kind, String message) {
        this(kind, message, null);
    }

    public StorageException(StorageErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = requireNonNull(kind, "kind is null");
    }

    public StorageErrorKind kind() {
        return kind;
    }

    public boolean retryable() {
        return kind.retryable();
    }
}
