package io.roam.gateway;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.roam.infrastructure.Ports;
import io.roam.infrastructure.quarkus.KafkaTestResource;
import java.util.List;
import java.util.Map;

/**
 * A real broker; storage profiles for {@code /data/} and {@code /replica/}; and a catalog address where
 * nothing listens, so that any request reaching the catalog shows up as 503.
 */
public class GatewayTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "roam.storage.profiles.data.roots", "file:///data/",
                "roam.storage.profiles.replicas.roots", "file:///replica/,/scratch/",
                "quarkus.rest-client.catalog.url", "http://127.0.0.1:" + Ports.freePort());
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KafkaTestResource.class));
    }
}
