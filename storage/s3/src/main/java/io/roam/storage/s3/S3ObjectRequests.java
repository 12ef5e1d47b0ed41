package io.roam.storage.s3;

import static java.util.Objects.requireNonNull;

import io.roam.storage.Backoff;
import io.roam.storage.StorageErrorKind;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointParams;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * The three requests that carry an object's bytes — GetObject, PutObject and UploadPart — signed with
 * Signature Version 4 ({@link SignatureV4}) and sent straight to the profile's HTTP client, without the
 * SDK's request pipeline (endpoint rules, interceptors, marshalling, metrics and its own retries), which cost more
 * processor time than moving a 1 MiB object: measured warm against S3Proxy, PutObject and GetObject of
 * 1 MiB took 6.3 ms of client processor time through the S3Client and 2.7 ms this way. Every other
 * request (listings, HEAD, multipart create, complete and abort, copies) goes through the S3Client, over
 * the same HTTP client.
 *
 * <p>Contract:
 * <ul>
 *   <li>S3's error answers are thrown as {@link S3Exception}s carrying S3's error code, message, status
 *       and request id, and a failed connection as an {@link SdkClientException} caused by the
 *       {@link IOException}, so that {@link S3Errors} classifies them as it does the S3Client's.
 *   <li>Server errors (5xx), throttling and broken connections are retried, at most {@value
 *       #MAXIMUM_ATTEMPTS} attempts in all, after an exponential backoff with full jitter, as the SDK's
 *       standard retry mode does; every request here is idempotent and its body a byte array sent again
 *       from the start. An interrupt during the backoff ends it with an {@link AbortedException}. A server
 *       whose certificate the profile does not trust is not asked again.
 *   <li>Payloads are signed ({@code x-amz-content-sha256} of the body) over plain HTTP, where nothing
 *       else protects them, and sent as {@code UNSIGNED-PAYLOAD} over HTTPS, as the SDK does; a payload's
 *       SHA-256 the caller already knows is used as given. A profile with {@code sign-payloads=false} sends
 *       {@code UNSIGNED-PAYLOAD} over plain HTTP too. Anonymous credentials send requests unsigned.
 *   <li>Each bucket's endpoint is resolved once by the SDK's own S3 endpoint rules (the profile's
 *       endpoint or AWS's, path-style or virtual-hosted). Without an endpoint of its own, a profile
 *       reaches buckets of other regions: S3 answers a request signed for the wrong region with the
 *       bucket's region ({@code x-amz-bucket-region}), and the request is sent again there once, the
 *       region remembered for the bucket — what the S3Client's cross-region access does.
 * </ul>
 */
final class S3ObjectRequests {

    static final int MAXIMUM_ATTEMPTS = 3;
    /** The SDK's standard retry mode's: 100 ms base (500 ms when throttled), at most 20 s. */
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(20));
    private static final Backoff THROTTLED_BACKOFF = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(20));
    private static final String CONTENT_TYPE = "application/octet-stream";
    private static final String BUCKET_REGION_HEADER = "x-amz-bucket-region";
    /** S3's error answers are small XML documents; only these elements are needed. */
    private static final Pattern ERROR_CODE = Pattern.compile("<Code>([^<]*)</Code>");
    private static final Pattern ERROR_MESSAGE = Pattern.compile("<Message>([^<]*)</Message>");
    private static final int MAXIMUM_ERROR_BODY = 64 * 1024;

    private final SdkHttpClient httpClient;
    private final AwsCredentialsProvider credentialsProvider;
    private final Optional<URI> endpointOverride;
    private final boolean pathStyleAccess;
    private final Region profileRegion;
    private final boolean signPayloadsOverHttp;
    private final SignatureV4 signer = new SignatureV4(Clock.systemUTC());
    private final S3EndpointProvider endpointProvider = S3EndpointProvider.defaultProvider();
    private final Map<String, BucketEndpoint> bucketEndpoints = new ConcurrentHashMap<>();

    /** Where a bucket's objects are addressed, and the region their requests are signed for. */
    record BucketEndpoint(URI base, Region region) {
        BucketEndpoint {
            requireNonNull(base, "base is null");
            requireNonNull(region, "region is null");
        }

        /** The encoded path of a key: the base's (which holds the bucket when it is not the host) and the key, encoded as S3 signs it. */
        String encodedPathOf(String key) {
            String path = base.getRawPath().endsWith("/") ? base.getRawPath() : base.getRawPath() + "/";
            return path + SdkHttpUtils.urlEncodeIgnoreSlashes(key);
        }
    }

    /** A GetObject's body and its length, as S3 announced it. */
    record ObjectBody(AbortableInputStream content, long contentLength) {
    }

    /**
     * @param httpClient the profile's, shared with its S3Client and closed by the caller
     * @param endpointOverride the profile's endpoint, or empty for AWS
     * @param region the profile's region: the region of every bucket of an endpoint, the first guess on AWS
     * @param signPayloadsOverHttp whether bodies sent over plain HTTP are signed (their SHA-256); never over HTTPS
     */
    S3ObjectRequests(SdkHttpClient httpClient, AwsCredentialsProvider credentialsProvider, Optional<URI> endpointOverride,
                     boolean pathStyleAccess, Region region, boolean signPayloadsOverHttp) {
        this.httpClient = requireNonNull(httpClient, "httpClient is null");
        this.credentialsProvider = requireNonNull(credentialsProvider, "credentialsProvider is null");
        this.endpointOverride = requireNonNull(endpointOverride, "endpointOverride is null");
        this.pathStyleAccess = pathStyleAccess;
        this.profileRegion = requireNonNull(region, "region is null");
        this.signPayloadsOverHttp = signPayloadsOverHttp;
    }

    /** GetObject, of the whole object or of a {@code Range} ({@code bytes=first-} or {@code bytes=first-last}). */
    ObjectBody get(S3Location location, String range) {
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder().method(SdkHttpMethod.GET);
        if (range != null) {
            request.putHeader("Range", range);
        }
        HttpExecuteResponse response = execute(location, request, null, 0, Optional.empty());
        AbortableInputStream content = response.responseBody().orElseGet(() -> AbortableInputStream.create(InputStream.nullInputStream()));
        long contentLength = response.httpResponse().firstMatchingHeader("Content-Length").map(Long::parseLong).orElse(Long.MAX_VALUE);
        return new ObjectBody(content, contentLength);
    }

    /**
     * PutObject of the first {@code length} bytes of {@code data}, with the given checksum headers; answers S3's
     * response headers.
     *
     * @param sha256OfData those bytes' SHA-256 if the caller knows it, so that signing the payload does not
     *     compute it again; S3 refuses the object if it is not theirs
     */
    SdkHttpResponse put(S3Location location, byte[] data, int length, Map<String, String> checksumHeaders, Optional<byte[]> sha256OfData) {
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder().method(SdkHttpMethod.PUT).putHeader("Content-Type", CONTENT_TYPE);
        checksumHeaders.forEach(request::putHeader);
        return withoutBody(execute(location, request, data, length, sha256OfData));
    }

    /** UploadPart of the first {@code length} bytes of {@code data}; answers S3's response headers. */
    SdkHttpResponse uploadPart(S3Location location, String uploadId, int partNumber, byte[] data, int length, Map<String, String> checksumHeaders) {
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder().method(SdkHttpMethod.PUT)
                .putRawQueryParameter("partNumber", Integer.toString(partNumber))
                .putRawQueryParameter("uploadId", uploadId);
        checksumHeaders.forEach(request::putHeader);
        return withoutBody(execute(location, request, data, length, Optional.empty()));
    }

    /** The endpoint of a bucket, resolved by the SDK's S3 endpoint rules for the bucket's region as known so far. */
    BucketEndpoint endpointOf(String bucket) {
        return bucketEndpoints.computeIfAbsent(bucket, name -> resolve(name, profileRegion));
    }

    private BucketEndpoint resolve(String bucket, Region region) {
        S3EndpointParams.Builder parameters = S3EndpointParams.builder()
                .bucket(bucket)
                .region(region)
                .forcePathStyle(pathStyleAccess)
                .useFips(false)
                .useDualStack(false)
                .accelerate(false);
        endpointOverride.ifPresent(endpoint -> parameters.endpoint(endpoint.toString()));
        return new BucketEndpoint(endpointProvider.resolveEndpoint(parameters.build()).join().url(), region);
    }

    private HttpExecuteResponse execute(S3Location location, SdkHttpFullRequest.Builder template, byte[] data, int length,
            Optional<byte[]> sha256OfData) {
        ContentStreamProvider body = data == null ? null : () -> new ByteArrayInputStream(data, 0, length);
        if (body != null) {
            template.putHeader("Content-Length", Integer.toString(length));
            if (length > 0) {
                // As the SDK does: S3 answers a request it refuses (a bucket of another region, a wrong key)
                // before the body is sent, instead of cutting the connection while it is being sent.
                template.putHeader("Expect", "100-continue");
            }
        }
        boolean redirected = false;
        String signedPayloadHash = null;
        for (int attempt = 1; ; attempt++) {
            BucketEndpoint endpoint = endpointOf(location.bucket());
            URI base = endpoint.base();
            template.protocol(base.getScheme()).host(base.getHost()).port(base.getPort()).encodedPath(endpoint.encodedPathOf(location.key()));
            String payloadHash = SignatureV4.UNSIGNED_PAYLOAD;
            if (body != null && signPayloadsOverHttp && "http".equalsIgnoreCase(base.getScheme())) {
                if (signedPayloadHash == null) {
                    signedPayloadHash = sha256OfData.map(HexFormat.of()::formatHex).orElseGet(() -> SignatureV4.payloadHash(data, length));
                }
                payloadHash = signedPayloadHash;
            }
            SdkHttpFullRequest request = sign(template.build(), endpoint, payloadHash);
            HttpExecuteResponse response;
            try {
                response = httpClient.prepareRequest(HttpExecuteRequest.builder().request(request).contentStreamProvider(body).build()).call();
            }
            catch (IOException exception) {
                if (S3Errors.isUntrustedServer(exception)) {
                    throw SdkClientException.create("S3 at %s presented a certificate this profile does not trust (see trust-certificates): %s"
                            .formatted(base, exception.getMessage()), exception);
                }
                SdkClientException failure = SdkClientException.create("cannot reach S3: " + exception.getMessage(), exception);
                if (attempt == MAXIMUM_ATTEMPTS) {
                    throw failure;
                }
                backOff(attempt, false);
                continue;
            }
            int status = response.httpResponse().statusCode();
            if (status / 100 == 2) {
                return response;
            }
            S3Exception error = errorOf(response);
            Optional<String> bucketRegion = response.httpResponse().firstMatchingHeader(BUCKET_REGION_HEADER);
            if (endpointOverride.isEmpty() && !redirected && bucketRegion.isPresent() && !bucketRegion.get().equals(endpoint.region().id())) {
                // Sent again to the bucket's region, once; this is no failed attempt.
                redirected = true;
                attempt--;
                bucketEndpoints.put(location.bucket(), resolve(location.bucket(), Region.of(bucketRegion.get())));
                continue;
            }
            StorageErrorKind kind = S3Errors.kindOf(error);
            boolean retryable = status >= 500 || kind == StorageErrorKind.THROTTLED || "RequestTimeout".equals(error.awsErrorDetails().errorCode());
            if (!retryable || attempt == MAXIMUM_ATTEMPTS) {
                throw error;
            }
            backOff(attempt, kind == StorageErrorKind.THROTTLED);
        }
    }

    /** The request signed for the endpoint's region, or as it is for anonymous credentials. */
    private SdkHttpFullRequest sign(SdkHttpFullRequest request, BucketEndpoint endpoint, String payloadHash) {
        AwsCredentials credentials = credentialsProvider.resolveCredentials();
        if (credentials.accessKeyId() == null) {
            return request;
        }
        return signer.sign(request, credentials, endpoint.region().id(), payloadHash);
    }

    /** Waits before the next attempt; an interrupt ends the request, as the SDK's own retries did. */
    private static void backOff(int failedAttempts, boolean throttled) {
        try {
            (throttled ? THROTTLED_BACKOFF : BACKOFF).pause(failedAttempts);
        }
        catch (InterruptedException exception) {
            Thread.currentThread().interrupt();
            throw AbortedException.create("interrupted while waiting to retry an S3 request", exception);
        }
    }

    /** The response's headers; its body, if any, read and the connection given back to the pool. */
    private static SdkHttpResponse withoutBody(HttpExecuteResponse response) {
        response.responseBody().ifPresent(S3ObjectRequests::drainAndClose);
        return response.httpResponse();
    }

    private static void drainAndClose(AbortableInputStream content) {
        try (content) {
            content.transferTo(OutputStream.nullOutputStream());
        }
        catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
    }

    /** S3's error answer as the exception the S3Client would have thrown: S3's code, message, status and request id. */
    private static S3Exception errorOf(HttpExecuteResponse response) {
        SdkHttpResponse httpResponse = response.httpResponse();
        String document = response.responseBody().map(S3ObjectRequests::readErrorDocument).orElse("");
        String code = firstGroup(ERROR_CODE, document).orElse("");
        String message = firstGroup(ERROR_MESSAGE, document).map(S3ObjectRequests::unescape).orElse(httpResponse.statusText().orElse("no message"));
        String requestId = httpResponse.firstMatchingHeader("x-amz-request-id").orElse(null);
        return (S3Exception) S3Exception.builder()
                .statusCode(httpResponse.statusCode())
                .requestId(requestId)
                .message("%s%s (Service: S3, Status Code: %d, Request ID: %s)".formatted(code.isEmpty() ? "" : code + ": ", message,
                        httpResponse.statusCode(), requestId))
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code.isEmpty() ? null : code)
                        .errorMessage(message)
                        .serviceName("S3")
                        .sdkHttpResponse(httpResponse)
                        .build())
                .build();
    }

    private static String readErrorDocument(AbortableInputStream content) {
        try (content) {
            return new String(content.readNBytes(MAXIMUM_ERROR_BODY), StandardCharsets.UTF_8);
        }
        catch (IOException exception) {
            // The status still says what went wrong; the document only adds S3's words.
            return "";
        }
    }

    private static Optional<String> firstGroup(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    private static String unescape(String xmlText) {
        return xmlText.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
    }
}
