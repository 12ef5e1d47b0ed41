package io.roam.storage.azure;

import static java.util.Objects.requireNonNull;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpResponse;
import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * The one place where failures of the Azure SDK and of the Blob service are classified into {@link
 * StorageErrorKind}s. Messages name the operation, the location, the HTTP status and the service's error
 * code, never the service's free-text message: some of those quote signed strings.
 */
final class AzureErrors {

    /** The response header carrying the service's error code, also on bodiless responses to HEAD. */
    static final HttpHeaderName ERROR_CODE_HEADER = HttpHeaderName.fromString("x-ms-error-code");

    static final String BLOB_NOT_FOUND = "BlobNotFound";
    static final String INVALID_RANGE = "InvalidRange";

    /** Data damaged on its way: sending it again may well succeed. */
    private static final Set<String> CORRUPTED_IN_TRANSIT = Set.of("Md5Mismatch", "Crc64Mismatch", "InvalidMd5");
    /** The service refused the name itself. */
    private static final Set<String> INVALID_NAMES = Set.of("InvalidResourceName", "InvalidUri", "OutOfRangeInput");
    private static final Set<String> ALREADY_EXISTING = Set.of("BlobAlreadyExists", "ContainerAlreadyExists", "PathAlreadyExists");

    private AzureErrors() {
    }

    /** Classifies a failure of an operation on a location, for the caller to throw. */
    static StorageException classify(String operation, Location location, Throwable failure) {
        requireNonNull(operation, "operation is null");
        requireNonNull(location, "location is null");
        requireNonNull(failure, "failure is null");
        Optional<StorageException> classified = find(failure, StorageException.class);
        if (classified.isPresent()) {
            return classified.get();
        }
        return new StorageException(kindOf(failure), "cannot %s '%s': %s".formatted(operation, location, describe(failure)), failure);
    }

    /** Classifies a failure met outside any one location. */
    static StorageException classify(Throwable failure) {
        requireNonNull(failure, "failure is null");
        return find(failure, StorageException.class)
                .orElseGet(() -> new StorageException(kindOf(failure), describe(failure), failure));
    }

    /** The kind of a failure, looking through the wrappers Reactor and the SDK put around the cause. */
    static StorageErrorKind kindOf(Throwable failure) {
        Optional<StorageException> classified = find(failure, StorageException.class);
        if (classified.isPresent()) {
            return classified.get().kind();
        }
        Optional<HttpResponseException> responseFailure = find(failure, HttpResponseException.class);
        if (responseFailure.isPresent()) {
            return kindOf(responseFailure.get());
        }
        if (find(failure, IOException.class).isPresent()
                || find(failure, UncheckedIOException.class).isPresent()
                || find(failure, TimeoutException.class).isPresent()
                || find(failure, InterruptedException.class).isPresent()) {
            return StorageErrorKind.TRANSIENT;
        }
        return StorageErrorKind.FATAL;
    }

    /** The service's error code ({@code BlobNotFound}, {@code ServerBusy}, ...) of a failed request, if it gave one. */
    static Optional<String> errorCode(Throwable failure) {
        return find(failure, HttpResponseException.class)
                .map(HttpResponseException::getResponse)
                .map(response -> response.getHeaderValue(ERROR_CODE_HEADER));
    }

    static Optional<Integer> statusCode(Throwable failure) {
        return find(failure, HttpResponseException.class)
                .map(HttpResponseException::getResponse)
                .map(HttpResponse::getStatusCode);
    }

    private static StorageErrorKind kindOf(HttpResponseException failure) {
        HttpResponse response = failure.getResponse();
        if (response == null) {
            // Identity failures (no token could be obtained) come without a storage response.
            return failure instanceof ClientAuthenticationException ? StorageErrorKind.ACCESS_DENIED : StorageErrorKind.FATAL;
        }
        int status = response.getStatusCode();
        String code = Optional.ofNullable(response.getHeaderValue(ERROR_CODE_HEADER)).orElse("");
        if (status == 401 || status == 403 || failure instanceof ClientAuthenticationException) {
            return StorageErrorKind.ACCESS_DENIED;
        }
        if (status == 404) {
            return StorageErrorKind.NOT_FOUND;
        }
        if (ALREADY_EXISTING.contains(code)) {
            return StorageErrorKind.ALREADY_EXISTS;
        }
        // ServerBusy: the account's ingress, egress or request rate is over its limit.
        if (status == 429 || status == 503 || code.equals("ServerBusy")) {
            return StorageErrorKind.THROTTLED;
        }
        if (status >= 500 || status == 408) {
            return StorageErrorKind.TRANSIENT;
        }
        // The blob changed during an ETag-locked read or copy: doing it again sees the new version.
        if (status == 412) {
            return StorageErrorKind.TRANSIENT;
        }
        if (CORRUPTED_IN_TRANSIT.contains(code)) {
            return StorageErrorKind.TRANSIENT;
        }
        // A concurrent writer of the same name committed first, which discards every other uncommitted
        // block: writing again succeeds.
        if (code.equals("InvalidBlockList")) {
            return StorageErrorKind.TRANSIENT;
        }
        if (INVALID_NAMES.contains(code)) {
            return StorageErrorKind.INVALID_LOCATION;
        }
        return StorageErrorKind.FATAL;
    }

    private static String describe(Throwable failure) {
        Optional<HttpResponseException> responseFailure = find(failure, HttpResponseException.class);
        if (responseFailure.isPresent() && responseFailure.get().getResponse() != null) {
            HttpResponse response = responseFailure.get().getResponse();
            String code = response.getHeaderValue(ERROR_CODE_HEADER);
            return code == null
                    ? "Azure answered HTTP %d".formatted(response.getStatusCode())
                    : "Azure answered HTTP %d %s".formatted(response.getStatusCode(), code);
        }
        if (responseFailure.isPresent()) {
            return responseFailure.get().getClass().getSimpleName();
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
        for (Throwable current = failure; current != null; current = current.getCause() == current ? null : current.getCause()) {
            if (type.isInstance(current)) {
                return Optional.of(type.cast(current));
            }
        }
        return Optional.empty();
    }
}
