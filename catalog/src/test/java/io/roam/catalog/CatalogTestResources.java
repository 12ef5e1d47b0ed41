package io.roam.catalog;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.roam.infrastructure.quarkus.KafkaTestResource;
import io.roam.infrastructure.quarkus.PostgresTestResource;
import java.util.List;
import java.util.Map;

/**
 * The catalog's tests run against a real Kafka broker and a real PostgreSQL server, started once for all,
 * with storage profiles in two on-premise labs and two clouds, so that replicas have places to be near.
 */
public class CatalogTestResources implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
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
