package io.roam.storage.gcs;

import com.google.auth.Retryable;
import com.google.cloud.BaseServiceException;

import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * Classifies every failure of the Google Cloud Storage client once, so that retry decisions are taken
 * from {@link StorageErrorKind} alone.
 *
 * <ul>
 *   <li>HTTP 404 → {@link StorageErrorKind#NOT_FOUND} (object or bucket);</li>
 *   <li>409 and 412 → {@link StorageErrorKind#ALREADY_EXISTS} (a conflict or a failed precondition);</li>
 *   <li>401 and 403 → {@link StorageErrorKind#ACCESS_DENIED}, except 403 with GCS's legacy rate-limit
 *       reasons, which is {@link StorageErrorKind#THROTTLED} like 429;</li>
 *   <li>408 and 5xx → {@link StorageErrorKind#TRANSIENT}, and so is a 400 about a crc32c or MD5 that does
 *       not match: the bytes were damaged on the way and sending them again helps;</li>
 *   <li>no HTTP status (the client wraps an I/O failure): credentials the token endpoint refused
 *       (a non-retryable failure of the auth library) → {@link StorageErrorKind#ACCESS_DENIED}; a reset
 *       connection, a timeout or another I/O error → {@link StorageErrorKind#TRANSIENT};</li>
 *   <li>anything else → {@link StorageErrorKind#FATAL}.</li>
 * </ul>
 *
 * <p>Messages carry GCS's own error message, which names no credential.
 */
final class GcsErrors {

    private static final Set<String> RATE_LIMIT_REASONS = Set.of("rateLimitExceeded", "userRateLimitExceeded");

    private GcsErrors() {
    }

    /**
     * @param action what failed, naming the location, for example {@code cannot read 'gs://bucket/a'}
     */
    static StorageException classify(String action, Throwable failure) {
        if (failure instanceof StorageException classified) {
            return classified;
        }
        StorageErrorKind kind = kindOf(failure);
        return new StorageException(kind, "%s: %s".formatted(action, describe(kind, failure)), failure);
    }

    static StorageErrorKind kindOf(Throwable failure) {
        if (failure instanceof BaseServiceException serviceException && serviceException.getCode() > 0) {
            return kindOfStatus(serviceException.getCode(), serviceException.getReason(), serviceException.getMessage());
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            // The auth library marks the failures of its token requests: refused credentials are final.
            if (cause instanceof Retryable retryable) {
                return retryable.isRetryable() ? StorageErrorKind.TRANSIENT : StorageErrorKind.ACCESS_DENIED;
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return StorageErrorKind.TRANSIENT;
            }
        }
        if (failure instanceof BaseServiceException serviceException && serviceException.isRetryable()) {
            return StorageErrorKind.TRANSIENT;
        }
        return StorageErrorKind.FATAL;
    }

    private static StorageErrorKind kindOfStatus(int status, String reason, String message) {
        return switch (status) {
            case 404 -> StorageErrorKind.NOT_FOUND;
            case 409, 412 -> StorageErrorKind.ALREADY_EXISTS;
            case 401 -> StorageErrorKind.ACCESS_DENIED;
            // A 403 without GCS's error body (a proxy's answer) has no reason; Set.of refuses to look null up.
            case 403 -> reason != null && RATE_LIMIT_REASONS.contains(reason) ? StorageErrorKind.THROTTLED : StorageErrorKind.ACCESS_DENIED;
            case 429 -> StorageErrorKind.THROTTLED;
            case 408 -> StorageErrorKind.TRANSIENT;
            case 400 -> isChecksumMismatch(message) ? StorageErrorKind.TRANSIENT : StorageErrorKind.FATAL;
            default -> status >= 500 ? StorageErrorKind.TRANSIENT : StorageErrorKind.FATAL;
        };
    }

    private static boolean isChecksumMismatch(String message) {
        String lowercase = message == null ? "" : message.toLowerCase(Locale.ROOT);
        return lowercase.contains("crc32c") || lowercase.contains("md5");
    }

    private static String describe(StorageErrorKind kind, Throwable failure) {
        // Some messages span lines (the auth library appends the token endpoint's answer): keep log lines whole.
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage().strip().replaceAll("\\s+", " ");
        return switch (kind) {
            case ACCESS_DENIED -> "access denied (%s)".formatted(message);
            case NOT_FOUND -> "not found (%s)".formatted(message);
            case THROTTLED -> "throttled by Google Cloud Storage (%s)".formatted(message);
            case ALREADY_EXISTS, INVALID_LOCATION, TRANSIENT, FATAL -> message;
        };
    }
}
