package io.roam.storage.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.auth.Retryable;
import com.google.cloud.storage.StorageException;

import io.roam.storage.StorageErrorKind;

import java.io.IOException;
import java.net.SocketTimeoutException;

import org.junit.jupiter.api.Test;

/** The classifier on exceptions built by hand as the Google Cloud client throws them. */
class GcsErrorsTest {

    @Test
    void classifiesByHttpStatus() {
        assertThat(kindOf(404, "notFound", "No such object: bucket/a")).isEqualTo(StorageErrorKind.NOT_FOUND);
        assertThat(kindOf(404, "notFound", "The specified bucket does not exist.")).isEqualTo(StorageErrorKind.NOT_FOUND);
        assertThat(kindOf(409, "conflict", "Conflict")).isEqualTo(StorageErrorKind.ALREADY_EXISTS);
        assertThat(kindOf(412, "conditionNotMet", "At least one of the pre-conditions you specified did not hold.")).isEqualTo(StorageErrorKind.ALREADY_EXISTS);
        assertThat(kindOf(401, "authError", "Invalid Credentials")).isEqualTo(StorageErrorKind.ACCESS_DENIED);
        assertThat(kindOf(403, "forbidden", "roam@p.iam.gserviceaccount.com does not have storage.objects.get access")).isEqualTo(StorageErrorKind.ACCESS_DENIED);
        assertThat(kindOf(429, "rateLimitExceeded", "The object exceeded the rate limit for object mutation operations")).isEqualTo(StorageErrorKind.THROTTLED);
        assertThat(kindOf(403, "userRateLimitExceeded", "User Rate Limit Exceeded")).isEqualTo(StorageErrorKind.THROTTLED);
        assertThat(kindOf(403, null, "Forbidden")).as("a 403 without GCS's error body").isEqualTo(StorageErrorKind.ACCESS_DENIED);
        assertThat(kindOf(408, null, "Request Timeout")).isEqualTo(StorageErrorKind.TRANSIENT);
        assertThat(kindOf(500, "backendError", "Backend Error")).isEqualTo(StorageErrorKind.TRANSIENT);
        assertThat(kindOf(503, "backendError", "Service Unavailable")).isEqualTo(StorageErrorKind.TRANSIENT);
        assertThat(kindOf(400, "invalid", "Provided CRC32C \"AAAAAA==\" doesn't match calculated CRC32C \"0MuuBg==\".")).isEqualTo(StorageErrorKind.TRANSIENT);
        assertThat(kindOf(400, "invalid", "Invalid argument.")).isEqualTo(StorageErrorKind.FATAL);
        assertThat(kindOf(501, null, "Not Implemented")).isEqualTo(StorageErrorKind.TRANSIENT);
    }

    @Test
    void credentialsRefusedByTheTokenEndpointAreAccessDenied() {
        StorageException wrapped = new StorageException(new IOException("Error getting access token for service account: 400 Bad Request",
                new AuthFailure(false)));

        assertThat(GcsErrors.kindOf(wrapped)).isEqualTo(StorageErrorKind.ACCESS_DENIED);
        assertThat(GcsErrors.kindOf(new StorageException(new AuthFailure(true)))).isEqualTo(StorageErrorKind.TRANSIENT);
    }

    @Test
    void inputOutputFailuresWithoutAStatusAreTransient() {
        assertThat(GcsErrors.kindOf(new StorageException(new SocketTimeoutException("Read timed out")))).isEqualTo(StorageErrorKind.TRANSIENT);
        assertThat(GcsErrors.kindOf(new IOException("Connection reset"))).isEqualTo(StorageErrorKind.TRANSIENT);
        assertThat(GcsErrors.kindOf(new IllegalStateException("unexpected"))).isEqualTo(StorageErrorKind.FATAL);
    }

    @Test
    void theClassifiedExceptionNamesTheActionAndKeepsTheCause() {
        StorageException failure = new StorageException(401, "Invalid Credentials", "authError", null);

        io.roam.storage.StorageException classified = GcsErrors.classify("cannot read 'gs://bucket/a'", failure);

        assertThat(classified.kind()).isEqualTo(StorageErrorKind.ACCESS_DENIED);
        assertThat(classified).hasMessage("cannot read 'gs://bucket/a': access denied (Invalid Credentials)").hasCause(failure);
        assertThat(GcsErrors.classify("cannot read 'gs://bucket/a'", classified)).isSameAs(classified);
    }

    private static StorageErrorKind kindOf(int status, String reason, String message) {
        return GcsErrors.kindOf(new StorageException(status, message, reason, null));
    }

    /** What the auth library throws when the token endpoint fails: an I/O failure that says whether to retry. */
    private static final class AuthFailure extends IOException implements Retryable {

        private static final long serialVersionUID = 1L;

        private final boolean retryable;

        AuthFailure(boolean retryable) {
            super("token endpoint answered " + (retryable ? "503" : "400 invalid_grant"));
            this.retryable = retryable;
        }

        @Override
        public boolean isRetryable() {
            return retryable;
        }

        @Override
        public int getRetryCount() {
            return 0;
        }
    }
}
