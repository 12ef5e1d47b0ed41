package io.roam.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class StorageProfileTest {

    @Test
    void servesLocationsUnderAnyOfItsRoots() {
        StorageProfile profile = profile("scratch", "local", "file:///tmp/scratch/", "/data/");

        assertThat(profile.serves(Location.parse("/tmp/scratch/a/b.bin"))).isTrue();
        assertThat(profile.serves(Location.parse("file:///data/x"))).isTrue();
        assertThat(profile.serves(Location.parse("/tmp/scratch-other/a"))).isFalse();
        assertThat(profile.serves(Location.parse("s3://data/x"))).isFalse();
    }

    @Test
    void rootForPicksTheMostSpecificRoot() {
        StorageProfile profile = profile("nested", "local", "/data/", "/data/models/");

        assertThat(profile.rootFor(Location.parse("/data/models/llm/weights.bin"))).contains(Location.parse("/data/models/"));
        assertThat(profile.rootFor(Location.parse("/data/datasets/a"))).contains(Location.parse("/data/"));
        assertThat(profile.rootFor(Location.parse("/elsewhere/a"))).isEmpty();
    }

    @Test
    void requiresDirectoryRoots() {
        assertThatThrownBy(() -> profile("scratch", "local", "/data/file"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("root '/data/file' of storage profile 'scratch' is not a directory: it must end with '/'");
    }

    @Test
    void requiresAtLeastOneRoot() {
        assertThatThrownBy(() -> profile("scratch", "local"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("storage profile 'scratch' has no roots");
    }

    @Test
    void requiresANameAndABackend() {
        List<Location> roots = List.of(Location.parse("/data/"));
        assertThatThrownBy(() -> new StorageProfile(" ", "local", roots, Optional.empty(), Optional.empty(), Map.of()))
                .hasMessage("storage profile name is blank");
        assertThatThrownBy(() -> new StorageProfile("scratch", "", roots, Optional.empty(), Optional.empty(), Map.of()))
                .hasMessage("storage profile 'scratch' has a blank backend");
    }

    @Test
    void copiesItsCollections() {
        Map<String, String> properties = new HashMap<>(Map.of("endpoint", "http://localhost:9000"));
        StorageProfile profile = new StorageProfile("minio", "s3", List.of(Location.parse("s3://bucket/")), Optional.of("us-east-1"), Optional.empty(), properties);

        properties.put("endpoint", "changed");

        assertThat(profile.properties()).containsExactlyEntriesOf(Map.of("endpoint", "http://localhost:9000"));
        assertThatThrownBy(() -> profile.roots().add(Location.parse("s3://other/"))).isInstanceOf(UnsupportedOperationException.class);
    }

    static StorageProfile profile(String name, String backend, String... roots) {
        List<Location> locations = Arrays.stream(roots).map(Location::parse).toList();
        return new StorageProfile(name, backend, locations, Optional.empty(), Optional.empty(), Map.of());
    }
}
