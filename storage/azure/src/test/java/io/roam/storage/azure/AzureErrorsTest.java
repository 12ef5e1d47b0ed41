package io.roam.storage.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.identity.CredentialUnavailableException;
import com.azure.storage.blob.models.BlobStorageException;
import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The classification of service answers and client failures, from hand-built SDK exceptions. */
class AzureErrorsTest {

    private static final Location LOCATION = Location.parse("az://container/path/file.bin");

    @ParameterizedTest(name = "HTTP {0} {1} is {2}")
    @CsvSource({
            "404, BlobNotFound, NOT_FOUND",
            "404, ContainerNotFound, NOT_FOUND",
            "404, '', NOT_FOUND",
            "403, AuthenticationFailed, ACCESS_DENIED",
            "403, AuthorizationPermissionMismatch, ACCESS_DENIED",
            "401, '', ACCESS_DENIED",
            "409, BlobAlreadyExists, ALREADY_EXISTS",
            "503, ServerBusy, THROTTLED",
            "500, ServerBusy, THROTTLED",
            "429, '', THROTTLED",
            "500, InternalError, TRANSIENT",
            "500, OperationTimedOut, TRANSIENT",
            "502, '', TRANSIENT",
            "408, '', TRANSIENT",
            "412, ConditionNotMet, TRANSIENT",
            "400, Md5Mismatch, TRANSIENT",
            "400, InvalidBlockList, TRANSIENT",
            "400, InvalidResourceName, INVALID_LOCATION",
            "409, LeaseIdMissing, FATAL",
            "400, InvalidHeaderValue, FATAL",
            "416, InvalidRange, FATAL",
    })
    void classifiesServiceAnswersByStatusAndErrorCode(int status, String errorCode, StorageErrorKind kind) {
        assertThat(AzureErrors.classify("read", LOCATION, serviceFailure(status, errorCode)).kind()).isEqualTo(kind);
    }

    @Test
    void classifiesThroughTheWrappersOfReactorAndExecutors() {
        BlobStorageException throttled = serviceFailure(503, "ServerBusy");

        assertThat(AzureErrors.kindOf(new ExecutionException(Exceptions.propagate(throttled)))).isEqualTo(StorageErrorKind.THROTTLED);
        assertThat(AzureErrors.kindOf(Exceptions.propagate(new IOException("connection reset")))).isEqualTo(StorageErrorKind.TRANSIENT);
    }

    @Test
    void connectionFailuresAndTimeoutsAreTransient() {
        assertThat(AzureErrors.kindOf(new UncheckedIOException(new ConnectException("Connection refused")))).isEqualTo(StorageErrorKind.TRANSIENT);
        assertThat(AzureErrors.kindOf(new HttpTimeoutException("request timed out"))).isEqualTo(StorageErrorKind.TRANSIENT);
        assertThat(AzureErrors.kindOf(new IllegalStateException(new TimeoutException("no response")))).isEqualTo(StorageErrorKind.TRANSIENT);
    }

    @Test
    void credentialsThatYieldNoTokenAreAccessDenied() {
        assertThat(AzureErrors.kindOf(new CredentialUnavailableException("no managed identity endpoint"))).isEqualTo(StorageErrorKind.ACCESS_DENIED);
        assertThat(AzureErrors.kindOf(new ClientAuthenticationException("token request refused", null))).isEqualTo(StorageErrorKind.ACCESS_DENIED);
    }

    @Test
    void anythingElseIsFatal() {
        assertThat(AzureErrors.kindOf(new IllegalArgumentException("bad argument"))).isEqualTo(StorageErrorKind.FATAL);
    }

    @Test
    void anAlreadyClassifiedFailureKeepsItsKindAndMessage() {
        StorageException classified = new StorageException(StorageErrorKind.NOT_FOUND, "cannot read 'x': no such file");

        assertThat(AzureErrors.classify("read", LOCATION, new IOException(classified))).isSameAs(classified);
        assertThat(AzureErrors.classify(new IOException(classified))).isSameAs(classified);
    }

    /** The service's own message may quote a string to sign or a signature: only status and code are repeated. */
    @Test
    void messagesNameTheOperationLocationStatusAndCodeButNotTheServiceText() {
        BlobStorageException failure = new BlobStorageException("Signature did not match. String to sign used was sig=SECRET-SIGNATURE",
                response(403, "AuthenticationFailed"), null);

        StorageException classified = AzureErrors.classify("read", LOCATION, failure);

        assertThat(classified.getMessage())
                .isEqualTo("cannot read 'az://container/path/file.bin': Azure answered HTTP 403 AuthenticationFailed")
                .doesNotContain("SECRET-SIGNATURE");
    }

    private static BlobStorageException serviceFailure(int status, String errorCode) {
        return new BlobStorageException("the service's message", response(status, errorCode), null);
    }

    private static HttpResponse response(int status, String errorCode) {
        HttpHeaders headers = new HttpHeaders();
        if (!errorCode.isEmpty()) {
            headers.set(AzureErrors.ERROR_CODE_HEADER, errorCode);
        }
        return new FakeResponse(status, headers);
    }

    /** A response as the HTTP pipeline hands it to an exception: status and headers, no body left. */
    private static final class FakeResponse extends HttpResponse {

        private final int status;
        private final HttpHeaders headers;

        FakeResponse(int status, HttpHeaders headers) {
            super(new HttpRequest(HttpMethod.GET, "http://127.0.0.1/devstoreaccount1/container/path/file.bin"));
            this.status = status;
            this.headers = headers;
        }

        @Override
        public int getStatusCode() {
            return status;
        }

        @Override
        @Deprecated
        public String getHeaderValue(String name) {
            return headers.getValue(HttpHeaderName.fromString(name));
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        @Override
        public Flux<ByteBuffer> getBody() {
            return Flux.empty();
        }

        @Override
        public Mono<byte[]> getBodyAsByteArray() {
            return Mono.empty();
        }

        @Override
        public Mono<String> getBodyAsString() {
            return Mono.empty();
        }

        @Override
        public Mono<String> getBodyAsString(Charset charset) {
            return Mono.empty();
        }
    }
}
