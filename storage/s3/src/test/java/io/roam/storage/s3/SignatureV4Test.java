package io.roam.storage.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

/** Roam's Signature Version 4 signs every request exactly as the AWS SDK's own signer does. */
class SignatureV4Test {

    private static final Instant NOW = Instant.parse("2026-11-27T13:45:07Z");
    private static final AwsCredentials CREDENTIALS = AwsBasicCredentials.create("AKIAROAMEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

    @Test
    void aRangedGetWithoutABodyIsSignedAsTheSdkSignsIt() {
        SdkHttpFullRequest request = request(SdkHttpMethod.GET, "http", 9000, "/checkpoints/run%207/shard~1%C3%A9.bin")
                .putHeader("Range", "bytes=0-8388607")
                .build();

        assertSignedAsTheSdkSigns(request, CREDENTIALS, "us-east-1", NOW, null);
    }

    @Test
    void aPutIsSignedWithItsPayloadsHashAsTheSdkSignsIt() {
        byte[] body = "the bytes of a small checkpoint shard".getBytes(UTF_8);
        SdkHttpFullRequest request = request(SdkHttpMethod.PUT, "http", 9000, "/checkpoints/step-100/model.safetensors")
                .putHeader("Content-Type", "application/octet-stream")
                .putHeader("Content-Length", Integer.toString(body.length))
                .putHeader("Expect", "100-continue")
                .putHeader("x-amz-checksum-crc32c", "yZRlqg==")
                .putHeader("x-amz-meta-note", "  runs   of  spaces  ")
                .build();

        assertSignedAsTheSdkSigns(request, CREDENTIALS, "eu-west-1", NOW, body);
    }

    @Test
    void anUploadPartsQueryIsEncodedAndSortedAsTheSdkSignsIt() {
        SdkHttpFullRequest request = request(SdkHttpMethod.PUT, "https", 443, "/datasets/imagenet/train-00001.tar")
                .putRawQueryParameter("uploadId", "2~a+b/c=d e*f")
                .putRawQueryParameter("partNumber", "17")
                .putHeader("Content-Length", "0")
                .build();

        assertSignedAsTheSdkSigns(request, CREDENTIALS, "us-west-2", NOW, null);
    }

    @Test
    void aVirtualHostedAwsRequestOnTheDefaultPortSignsItsHostAlone() {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.GET).protocol("https")
                .host("checkpoints.s3.eu-west-1.amazonaws.com").port(-1).encodedPath("/run-7/step-100.bin").build();

        SdkHttpRequest signed = assertSignedAsTheSdkSigns(request, CREDENTIALS, "eu-west-1", NOW, null);

        assertThat(signed.firstMatchingHeader("Host")).contains("checkpoints.s3.eu-west-1.amazonaws.com");
    }

    @Test
    void temporaryCredentialsSendAndSignTheirSessionToken() {
        AwsCredentials temporary = AwsSessionCredentials.create("ASIAROAMEXAMPLE", "temporary/secret+key", "session token/with+characters==");
        SdkHttpFullRequest request = request(SdkHttpMethod.GET, "https", 443, "/checkpoints/a.bin").build();

        SdkHttpRequest signed = assertSignedAsTheSdkSigns(request, temporary, "us-east-1", NOW, null);

        assertThat(signed.firstMatchingHeader("x-amz-security-token")).contains("session token/with+characters==");
    }

    @Test
    void theKeyItSignsWithFollowsTheSecretTheRegionAndTheDay() {
        SdkHttpFullRequest request = request(SdkHttpMethod.GET, "http", 9000, "/checkpoints/a.bin").build();
        AwsCredentials otherSecret = AwsBasicCredentials.create("AKIAROAMEXAMPLE", "another secret");
        Instant nextDay = NOW.plusSeconds(24 * 3600);

        for (AwsCredentials credentials : List.of(CREDENTIALS, otherSecret, CREDENTIALS)) {
            for (String region : List.of("us-east-1", "eu-central-1")) {
                for (Instant when : List.of(NOW, nextDay, NOW)) {
                    assertSignedAsTheSdkSigns(request, credentials, region, when, null);
                }
            }
        }
    }

    private static SdkHttpFullRequest.Builder request(SdkHttpMethod method, String protocol, int port, String encodedPath) {
        return SdkHttpFullRequest.builder().method(method).protocol(protocol).host("127.0.0.1").port(port).encodedPath(encodedPath);
    }

    /** Signs the request both ways (its body's SHA-256 signed when it has one) and compares what was added. */
    private static SdkHttpRequest assertSignedAsTheSdkSigns(SdkHttpFullRequest request, AwsCredentials credentials, String region, Instant when,
            byte[] body) {
        Clock clock = Clock.fixed(when, ZoneOffset.UTC);
        SdkHttpRequest bySdk = AwsV4HttpSigner.create().sign(signing -> signing
                        .identity(credentials)
                        .request(request)
                        .payload(body == null ? null : () -> new ByteArrayInputStream(body))
                        .putProperty(HttpSigner.SIGNING_CLOCK, clock)
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                        .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                        .putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, false)
                        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, body != null))
                .request();
        String payloadHash = body == null ? SignatureV4.UNSIGNED_PAYLOAD : SignatureV4.payloadHash(body, body.length);

        SdkHttpRequest byRoam = new SignatureV4(clock).sign(request, credentials, region, payloadHash);

        assertThat(byRoam.firstMatchingHeader("Authorization")).isPresent().isEqualTo(bySdk.firstMatchingHeader("Authorization"));
        assertThat(byRoam.headers()).isEqualTo(bySdk.headers());
        assertThat(byRoam.getUri()).isEqualTo(bySdk.getUri());
        return byRoam;
    }
}
