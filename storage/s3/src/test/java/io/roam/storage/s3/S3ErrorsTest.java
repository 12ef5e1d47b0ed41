package io.roam.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.security.cert.CertificateException;
import java.util.stream.Stream;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3ErrorsTest {

    private static final Location LOCATION = Location.parse("s3://bucket/data/file.bin");

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(s3(404, "NoSuchKey"), StorageErrorKind.NOT_FOUND),
                Arguments.of(NoSuchKeyException.builder().statusCode(404).awsErrorDetails(details("NoSuchKey")).build(), StorageErrorKind.NOT_FOUND),
                Arguments.of(NoSuchBucketException.builder().statusCode(404).awsErrorDetails(details("NoSuchBucket")).build(), StorageErrorKind.NOT_FOUND),
                Arguments.of(s3(404, null), StorageErrorKind.NOT_FOUND),
                Arguments.of(s3(403, "AccessDenied"), StorageErrorKind.ACCESS_DENIED),
                Arguments.of(s3(403, "SignatureDoesNotMatch"), StorageErrorKind.ACCESS_DENIED),
                Arguments.of(s3(403, "InvalidAccessKeyId"), StorageErrorKind.ACCESS_DENIED),
                Arguments.of(s3(400, "ExpiredToken"), StorageErrorKind.ACCESS_DENIED),
                Arguments.of(s3(401, null), StorageErrorKind.ACCESS_DENIED),
                Arguments.of(s3(403, "InvalidObjectState"), StorageErrorKind.FATAL),
                Arguments.of(s3(400, "AuthorizationHeaderMalformed"), StorageErrorKind.FATAL),
                Arguments.of(s3(503, "SlowDown"), StorageErrorKind.THROTTLED),
                Arguments.of(s3(503, null), StorageErrorKind.THROTTLED),
                Arguments.of(s3(429, null), StorageErrorKind.THROTTLED),
                Arguments.of(s3(400, "Throttling"), StorageErrorKind.THROTTLED),
                Arguments.of(s3(500, "InternalError"), StorageErrorKind.TRANSIENT),
                Arguments.of(s3(502, null), StorageErrorKind.TRANSIENT),
                Arguments.of(s3(400, "RequestTimeout"), StorageErrorKind.TRANSIENT),
                Arguments.of(s3(400, "BadDigest"), StorageErrorKind.TRANSIENT),
                Arguments.of(s3(404, "NoSuchUpload"), StorageErrorKind.TRANSIENT),
                Arguments.of(s3(412, "PreconditionFailed"), StorageErrorKind.TRANSIENT),
                Arguments.of(s3(409, "OperationAborted"), StorageErrorKind.TRANSIENT),
                Arguments.of(s3(400, "InvalidBucketName"), StorageErrorKind.INVALID_LOCATION),
                Arguments.of(s3(400, "KeyTooLongError"), StorageErrorKind.INVALID_LOCATION),
                Arguments.of(s3(400, "InvalidArgument"), StorageErrorKind.FATAL),
                Arguments.of(s3(501, "NotImplemented"), StorageErrorKind.FATAL),
                Arguments.of(SdkClientException.create("Unable to execute HTTP request", new ConnectException("Connection refused")), StorageErrorKind.TRANSIENT),
                Arguments.of(SdkClientException.create("Unable to execute HTTP request", new SocketTimeoutException("Read timed out")), StorageErrorKind.TRANSIENT),
                Arguments.of(SdkClientException.create("Unable to marshall request"), StorageErrorKind.FATAL),
                Arguments.of(ApiCallTimeoutException.create(1000), StorageErrorKind.TRANSIENT),
                Arguments.of(ApiCallAttemptTimeoutException.create(1000), StorageErrorKind.TRANSIENT),
                Arguments.of(AbortedException.create("Thread was interrupted"), StorageErrorKind.FATAL),
                Arguments.of(new IOException("Connection reset"), StorageErrorKind.TRANSIENT),
                Arguments.of(SdkClientException.create("Unable to execute HTTP request", untrustedCertificate()), StorageErrorKind.FATAL),
                Arguments.of(SdkClientException.create("Unable to execute HTTP request",
                        new SSLPeerUnverifiedException("Certificate for <minio.storage> doesn't match any of the subject alternative names")),
                        StorageErrorKind.FATAL),
                Arguments.of(SdkClientException.create("Unable to execute HTTP request",
                        new SSLHandshakeException("Remote host terminated the handshake")), StorageErrorKind.TRANSIENT),
                Arguments.of(new IllegalStateException("Connection pool shut down"), StorageErrorKind.FATAL),
                Arguments.of(SdkClientException.create("Unable to load credentials",
                        new StorageException(StorageErrorKind.ACCESS_DENIED, "cannot use credentials file")), StorageErrorKind.ACCESS_DENIED));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @MethodSource("failures")
    void classifiesByErrorCodeThenStatusThenCause(Throwable failure, StorageErrorKind expected) {
        StorageException classified = S3Errors.classify("read", LOCATION, failure);

        assertThat(classified.kind()).isEqualTo(expected);
        assertThat(classified).hasCause(failure);
    }

    @Test
    void messageNamesTheOperationLocationCodeStatusAndRequestId() {
        S3Exception failure = (S3Exception) S3Exception.builder()
                .statusCode(403)
                .requestId("request-1")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").errorMessage("Access Denied").build())
                .build();

        assertThat(S3Errors.classify("read", LOCATION, failure))
                .hasMessage("cannot read 's3://bucket/data/file.bin': AccessDenied: Access Denied (HTTP 403, request id request-1)");
    }

    @Test
    void anAlreadyClassifiedFailureIsKept() {
        StorageException classified = new StorageException(StorageErrorKind.FATAL, "too many parts");

        assertThat(S3Errors.classify("write", LOCATION, classified)).isSameAs(classified);
    }

    private static SSLHandshakeException untrustedCertificate() {
        SSLHandshakeException handshake = new SSLHandshakeException("PKIX path building failed");
        handshake.initCause(new CertificateException("unable to find valid certification path to requested target"));
        return handshake;
    }

    private static S3Exception s3(int status, String code) {
        return (S3Exception) S3Exception.builder()
                .statusCode(status)
                .awsErrorDetails(code == null ? null : details(code))
                .build();
    }

    private static AwsErrorDetails details(String code) {
        return AwsErrorDetails.builder().errorCode(code).errorMessage(code + " happened").build();
    }
}
