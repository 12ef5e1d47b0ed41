package io.roam.catalog;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.roam.infrastructure.quarkus.KafkaTestResource;
import io.roam.infrastructure.quarkus.PostgresTestResource;
import java.util.List;

/** The catalog's tests run against a real Kafka broker and a real PostgreSQL server, started once for all. */
public class CatalogTestResources implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KafkaTestResource.class), new TestResourceEntry(PostgresTestResource.class));
    }
}
