package io.roam.contracts.messages;

import static java.util.Objects.requireNonNull;

/**
 * Why a transfer failed, classified once by the worker.
 *
 * @param code the error class, e.g. {@code NOT_FOUND}, {@code ACCESS_DENIED}, {@code
 *     INVALID_LOCATION}, {@code VERIFICATION_FAILED}, or {@code SOURCE_NOT_FOUND} when nothing exists at
 *     the source (the catalog then stops serving a replica recorded there)
 * @param message a human-readable explanation naming the location and the problem, free of secrets
 * @param retryable whether trying again later could succeed
 */
public record TransferError(String code, String message, boolean retryable) {

    public TransferError {
        requireNonNull(code, "code is null");
        requireNonNull(message, "message is null");
    }
}
