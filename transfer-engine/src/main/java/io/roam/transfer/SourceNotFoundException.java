package io.roam.transfer;

import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

/**
 * Nothing exists at a transfer's source: no file there and no files under it, or not even its bucket or
 * container. Not retryable; unlike other {@link StorageErrorKind#NOT_FOUND} failures it tells that the
 * source itself is missing, so that whoever recorded a copy there can stop trusting it.
 */
public final class SourceNotFoundException extends StorageException {

    private static final long serialVersionUID = 1L;

    SourceNotFoundException(String message, Throwable cause) {
        super(StorageErrorKind.NOT_FOUND, message, cause);
    }
}
