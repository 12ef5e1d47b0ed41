package io.roam.worker;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.roam.infrastructure.quarkus.KafkaTestResource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A real broker, and one local storage profile whose root is a folder of the build directory. */
public class WorkerTestProfile implements QuarkusTestProfile {

    static final Path STORAGE_ROOT = Path.of("target", "worker-test-storage").toAbsolutePath();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "roam.storage.profiles.scratch.backend", "local",
                "roam.storage.profiles.scratch.roots", "file://" + STORAGE_ROOT + "/",
                "roam.worker.progress-interval", "200ms",
                "roam.worker.retry.initial-backoff", "10ms");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KafkaTestResource.class));
    }
}
