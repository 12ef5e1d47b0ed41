package io.roam.transfer;

import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

/**
 * A file read in parts turned out not to have the size it had when the read began: it grew, or a part
 * came back short while a later one did not. The parts read do not make up one version of the file.
 * Transient: the next try looks at the file afresh.
 */
final class SourceChangedException extends StorageException {

    private static final long serialVersionUID = 1L;

    SourceChangedException(String message) {
        super(StorageErrorKind.TRANSIENT, message);
    }
}
