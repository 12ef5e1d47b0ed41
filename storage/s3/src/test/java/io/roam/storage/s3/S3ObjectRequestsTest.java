package io.roam.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;

/** Where the requests that carry an object's bytes are sent: the SDK's endpoint rules, and keys encoded as S3 signs them. */
class S3ObjectRequestsTest {

    @Test
    void anEndpointWithPathStyleAccessAddressesTheBucketInThePath() {
        try (SdkHttpClient httpClient = Apache5HttpClient.create()) {
            S3ObjectRequests requests = new S3ObjectRequests(httpClient, AnonymousCredentialsProvider.create(),
                    Optional.of(URI.create("http://127.0.0.1:9000")), true, Region.US_EAST_1, true);

            S3ObjectRequests.BucketEndpoint endpoint = requests.endpointOf("checkpoints");

            assertThat(endpoint.region()).isEqualTo(Region.US_EAST_1);
            assertThat(endpoint.base()).isEqualTo(URI.create("http://127.0.0.1:9000/checkpoints"));
            assertThat(endpoint.encodedPathOf("run-7/step 100/shard+1.safetensors")).isEqualTo("/checkpoints/run-7/step%20100/shard%2B1.safetensors");
        }
    }

    @Test
    void awsBucketsAreAddressedVirtualHostedInTheProfilesRegion() {
        try (SdkHttpClient httpClient = Apache5HttpClient.create()) {
            S3ObjectRequests requests = new S3ObjectRequests(httpClient, AnonymousCredentialsProvider.create(), Optional.empty(), false,
                    Region.EU_WEST_1, true);

            S3ObjectRequests.BucketEndpoint endpoint = requests.endpointOf("checkpoints");

            assertThat(endpoint.region()).isEqualTo(Region.EU_WEST_1);
            assertThat(endpoint.base()).isEqualTo(URI.create("https://checkpoints.s3.eu-west-1.amazonaws.com"));
            assertThat(endpoint.encodedPathOf("a/b.bin")).isEqualTo("/a/b.bin");
        }
    }

    @Test
    void keysKeepTheirSlashesDotSegmentsAndUnicodeAsWritten() {
        S3ObjectRequests.BucketEndpoint endpoint = new S3ObjectRequests.BucketEndpoint(URI.create("http://127.0.0.1:9000/data"), Region.US_EAST_1);

        assertThat(endpoint.encodedPathOf("a//b/../c/é~.bin")).isEqualTo("/data/a//b/../c/%C3%A9~.bin");
    }
}
