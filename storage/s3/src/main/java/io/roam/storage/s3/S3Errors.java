package io.roam.storage.s3;

import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.cert.CertificateException;
import java.util.Set;

import javax.net.ssl.SSLPeerUnverifiedException;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Classifies every failure of the AWS SDK and of S3 into a {@link StorageErrorKind}, in one place, by
 * S3 error code first and HTTP status second. Messages name the operation, the location and S3's own
 * error code, message, status and request id: never credentials or signed URLs.
 */
final class S3Errors {

    private static final Set<String> NOT_FOUND = Set.of("NoSuchKey", "NoSuchBucket", "NotFound");
    private static final Set<String> ACCESS_DENIED = Set.of(
            "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken", "TokenRefreshRequired",
            "AccountProblem", "AllAccessDisabled", "InvalidSecurity");
    private static final Set<String> THROTTLED = Set.of(
            "SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequests", "RequestThrottled",
            "ServiceUnavailable", "Busy");
    private static final Set<String> TRANSIENT = Set.of(
            "InternalError", "RequestTimeout", "RequestTimeTooSkewed", "OperationAborted", "ConditionalRequestConflict",
            // The bytes were damaged on the way: sending them again helps.
            "BadDigest", "InvalidDigest", "XAmzContentSHA256Mismatch", "IncompleteBody",
            // The multipart upload was removed under the writer (a lifecycle rule, a concurrent abort): writing the file again succeeds.
            "NoSuchUpload",
            // A copy's source was replaced while it was copied part by part: copying again copies the new version whole.
            "PreconditionFailed");
    private static final Set<String> INVALID_LOCATION = Set.of("InvalidBucketName", "KeyTooLongError");
    /** Answered with 403 or 503 by some stores, yet neither a permission problem nor passing. */
    private static final Set<String> FATAL = Set.of(
            // An archived object (Glacier, Deep Archive) that must be restored before it can be read.
            "InvalidObjectState",
            // A profile whose region does not match the bucket's.
            "AuthorizationHeaderMalformed", "PermanentRedirect",
            // An S3-compatible store without the operation (501).
            "NotImplemented");

    private S3Errors() {
    }

    /** A classified exception saying which operation on which location failed, and why. */
    static StorageException classify(String operation, Location location, Throwable failure) {
        if (failure instanceof StorageException classified) {
            return classified;
        }
        return new StorageException(kindOf(failure), "cannot %s '%s': %s".formatted(operation, location, describe(failure)), failure);
    }

    static StorageErrorKind kindOf(Throwable failure) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (current instanceof StorageException classified) {
                return classified.kind();
            }
        }
        if (isUntrustedServer(failure)) {
            return StorageErrorKind.FATAL;
        }
        return switch (failure) {
            case AwsServiceException service -> kindOf(service);
            // Interruption or cancellation by Roam itself: the caller decides what happens next.
            case AbortedException ignored -> StorageErrorKind.FATAL;
            case ApiCallTimeoutException ignored -> StorageErrorKind.TRANSIENT;
            case ApiCallAttemptTimeoutException ignored -> StorageErrorKind.TRANSIENT;
            // Connection refused or reset, DNS failures, read timeouts, a response cut short.
            case SdkClientException client -> hasIoCause(client) ? StorageErrorKind.TRANSIENT : StorageErrorKind.FATAL;
            case UncheckedIOException ignored -> StorageErrorKind.TRANSIENT;
            case IOException ignored -> StorageErrorKind.TRANSIENT;
            default -> StorageErrorKind.FATAL;
        };
    }

    private static StorageErrorKind kindOf(AwsServiceException exception) {
        String code = errorCode(exception);
        if (FATAL.contains(code)) {
            return StorageErrorKind.FATAL;
        }
        if (NOT_FOUND.contains(code)) {
            return StorageErrorKind.NOT_FOUND;
        }
        if (ACCESS_DENIED.contains(code)) {
            return StorageErrorKind.ACCESS_DENIED;
        }
        if (THROTTLED.contains(code)) {
            return StorageErrorKind.THROTTLED;
        }
        if (TRANSIENT.contains(code)) {
            return StorageErrorKind.TRANSIENT;
        }
        if (INVALID_LOCATION.contains(code)) {
            return StorageErrorKind.INVALID_LOCATION;
        }
        int status = exception.statusCode();
        if (status == 429 || status == 503) {
            return StorageErrorKind.THROTTLED;
        }
        if (status == 401 || status == 403) {
            return StorageErrorKind.ACCESS_DENIED;
        }
        if (status == 404) {
            return StorageErrorKind.NOT_FOUND;
        }
        if (status == 408 || status >= 500) {
            return StorageErrorKind.TRANSIENT;
        }
        return StorageErrorKind.FATAL;
    }

    /**
     * Whether the server's certificate is not one the profile trusts, or not that of the endpoint's host: a
     * setting to fix (the endpoint, {@code trust-certificates}), which no retry mends.
     */
    static boolean isUntrustedServer(Throwable failure) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (current instanceof CertificateException || current instanceof SSLPeerUnverifiedException) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasIoCause(Throwable failure) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (current instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private static String errorCode(AwsServiceException exception) {
        AwsErrorDetails details = exception.awsErrorDetails();
        return details == null || details.errorCode() == null ? "" : details.errorCode();
    }

    /**
     * S3's code, message, status and request id. The SDK's message of a service exception is built from
     * exactly those; a client exception's message describes the local failure.
     */
    private static String describe(Throwable failure) {
        if (failure instanceof AwsServiceException service) {
            AwsErrorDetails details = service.awsErrorDetails();
            String message = details == null || details.errorMessage() == null ? "no message" : details.errorMessage();
            String code = errorCode(service).isEmpty() ? "" : errorCode(service) + ": ";
            return "%s%s (HTTP %d, request id %s)".formatted(code, message, service.statusCode(), service.requestId());
        }
        String message = failure.getMessage();
        return message == null ? failure.getClass().getSimpleName() : failure.getClass().getSimpleName() + ": " + message;
    }
}
