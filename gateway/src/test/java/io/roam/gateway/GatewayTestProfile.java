package io.roam.gateway;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.roam.infrastructure.Ports;
import io.roam.gateway.security.JwtKeysTestResource;
import io.roam.infrastructure.quarkus.KafkaTestResource;
import java.util.List;
import java.util.Map;

/**
 * A real broker; a key pair for the tests' JWTs ({@link io.roam.gateway.security.TestTokens}); storage profiles for
 * {@code /data/} and {@code /replica/}, every project's, and for {@code /vision-only/}, which only project
 * {@code vision} may read and write; the shared training-events topic for project {@code llm} only; and a catalog
 * address where nothing listens, so that any request reaching the catalog (one that passed every check of the
 * gateway) shows up as 503.
 */
public class GatewayTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "roam.storage.profiles.data.roots", "file:///data/",
                "roam.storage.profiles.replicas.roots", "file:///replica/,/scratch/",
                "roam.storage.profiles.vision-only.roots", "file:///vision-only/",
                "roam.storage.profiles.vision-only.readers", "vision",
                "roam.storage.profiles.vision-only.writers", "vision",
                "roam.gateway.training-events.shared-topic-projects", "llm",
                "mp.messaging.incoming.training-events.metadata.max.age.ms", "500",
                "quarkus.rest-client.catalog.url", "http://127.0.0.1:" + Ports.freePort());
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KafkaTestResource.class), new TestResourceEntry(JwtKeysTestResource.class));
    }
}
