package io.roam.transfer;

import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

/**
 * A transfer stopped because its {@link TransferCancellation} was cancelled, not because storage failed.
 *
 * <p>Classified {@link StorageErrorKind#FATAL} so that it is never retried: the {@link RetryPolicy}
 * rethrows it at once, and a caller that retries transfers failing with a retryable kind does not
 * restart a cancelled one. Callers that report outcomes tell a cancellation from a failure by this type,
 * not by the kind.
 */
public final class TransferCancelledException extends StorageException {

    private static final long serialVersionUID = 1L;

    public TransferCancelledException(String message) {
        super(StorageErrorKind.FATAL, message);
    }
}
