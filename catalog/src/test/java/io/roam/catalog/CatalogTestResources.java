package io.roam.catalog;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.roam.catalog.security.TokenDigests;
import io.roam.infrastructure.quarkus.KafkaTestResource;
import io.roam.infrastructure.quarkus.PostgresTestResource;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The catalog's tests run against a real Kafka broker and a real PostgreSQL server, started once for all,
 * with storage profiles in two on-premise labs and two clouds, so that replicas have places to be near.
 *
 * <p>The catalog accepts one service token, generated for this run; {@link ServiceTokenForRestAssured} sends it with
 * every RestAssured request unless a test says otherwise ({@code given().auth().none()}).
 */
public class CatalogTestResources implements QuarkusTestProfile {

    /** The test's own copy of the service token, read by {@link ServiceTokenForRestAssured}; the catalog never reads it. */
    static final String SERVICE_TOKEN_KEY = "roam.test.catalog.service-token";

    @Override
    public Map<String, String> getConfigOverrides() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String serviceToken = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return Map.ofEntries(
                Map.entry("roam.catalog.security.service-token-sha256", TokenDigests.sha256Hex(serviceToken)),
                Map.entry(SERVICE_TOKEN_KEY, serviceToken),
                Map.entry("roam.storage.profiles.data.roots", "file:///data/"),
                Map.entry("roam.storage.profiles.data.region", "lab-a"),
                Map.entry("roam.storage.profiles.data.cloud", "on-premise"),
                Map.entry("roam.storage.profiles.replicas.roots", "file:///replica/"),
                Map.entry("roam.storage.profiles.replicas.region", "lab-b"),
                Map.entry("roam.storage.profiles.replicas.cloud", "on-premise"),
                Map.entry("roam.storage.profiles.east.backend", "s3"),
                Map.entry("roam.storage.profiles.east.roots", "s3://ckpt-east/"),
                Map.entry("roam.storage.profiles.east.region", "us-east-1"),
                Map.entry("roam.storage.profiles.east.cloud", "aws"),
                Map.entry("roam.storage.profiles.west.backend", "s3"),
                Map.entry("roam.storage.profiles.west.roots", "s3://ckpt-west/"),
                Map.entry("roam.storage.profiles.west.region", "us-west-2"),
                Map.entry("roam.storage.profiles.west.cloud", "aws"),
                Map.entry("roam.storage.profiles.azure.backend", "azure"),
                Map.entry("roam.storage.profiles.azure.roots", "abfs://ckpt-azure/"),
                Map.entry("roam.storage.profiles.azure.region", "eastus"),
                Map.entry("roam.storage.profiles.azure.cloud", "azure"),
                // Every replica is due as soon as it is verified, and one audit run takes them all; the tests
                // run the audit themselves (the schedule is hourly).
                Map.entry("roam.catalog.audit.maximum-age", "0s"),
                Map.entry("roam.catalog.audit.batch-size", "100000"));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KafkaTestResource.class), new TestResourceEntry(PostgresTestResource.class));
    }
}
