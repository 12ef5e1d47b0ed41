package io.roam.transfer;

import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

/**
 * The written copy of a file differs from what was read from the source. Classified as transient so
 * that the file is copied again; when every attempt fails the transfer fails with this error.
 */
public final class VerificationFailedException extends StorageException {

    private static final long serialVersionUID = 1L;

    public VerificationFailedException(String message) {
        super(StorageErrorKind.TRANSIENT, message);
    }
}
