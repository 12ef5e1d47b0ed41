package io.roam.storage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roam.storage.Location;
import io.roam.storage.StorageProfile;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class StorageConfigurationTest {

    @Test
    void bindsProfilesWithDefaults() {
        StorageConfiguration configuration = configuration(Map.of(
                "roam.storage.profiles.scratch.roots", "file:///tmp/scratch/,/data/"));

        assertThat(configuration.toProfiles()).containsExactly(new StorageProfile(
                "scratch",
                "local",
                List.of(Location.parse("file:///tmp/scratch/"), Location.parse("/data/")),
                Optional.empty(),
                Optional.empty(),
                Map.of()));
    }

    @Test
    void bindsEveryPropertyOfSeveralProfilesOrderedByName() {
        StorageConfiguration configuration = configuration(Map.of(
                "roam.storage.profiles.training.backend", "s3",
                "roam.storage.profiles.training.roots[0]", "s3://training-data/",
                "roam.storage.profiles.training.roots[1]", "s3://checkpoints/runs/",
                "roam.storage.profiles.training.region", "eu-west-1",
                "roam.storage.profiles.training.cloud", "aws",
                "roam.storage.profiles.training.properties.endpoint", "http://localhost:9000",
                "roam.storage.profiles.training.properties.\"credentials.access-key-id-variable\"", "TRAINING_ACCESS_KEY_ID",
                "roam.storage.profiles.scratch.backend", "local",
                "roam.storage.profiles.scratch.roots", "/tmp/scratch/"));

        assertThat(configuration.toProfiles()).containsExactly(
                new StorageProfile("scratch", "local", List.of(Location.parse("/tmp/scratch/")), Optional.empty(), Optional.empty(), Map.of()),
                new StorageProfile(
                        "training",
                        "s3",
                        List.of(Location.parse("s3://training-data/"), Location.parse("s3://checkpoints/runs/")),
                        Optional.of("eu-west-1"),
                        Optional.of("aws"),
                        Map.of("endpoint", "http://localhost:9000", "credentials.access-key-id-variable", "TRAINING_ACCESS_KEY_ID")));
    }

    @Test
    void noProfilesConfiguredMeansNoProfiles() {
        assertThat(configuration(Map.of()).toProfiles()).isEmpty();
    }

    @Test
    void namesTheKeyOfAnInvalidRoot() {
        StorageConfiguration configuration = configuration(Map.of("roam.storage.profiles.scratch.roots", "tmp/scratch/"));

        assertThatThrownBy(configuration::toProfiles)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("roam.storage.profiles.scratch.roots: relative location in 'tmp/scratch/'");
    }

    @Test
    void aProfileWrittenAsConfigurationBindsBackToTheSameProfile() {
        StorageProfile profile = new StorageProfile("training", "s3",
                List.of(Location.parse("s3://training-data/"), Location.parse("s3://checkpoints/runs/")),
                Optional.of("eu-west-1"), Optional.of("aws"),
                Map.of("endpoint", "http://127.0.0.1:9000", "hadoop.dfs.client.use.datanode.hostname", "true"));

        assertThat(configuration(StorageConfiguration.toConfiguration(profile)).toProfiles()).containsExactly(profile);
    }

    private static StorageConfiguration configuration(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(StorageConfiguration.class)
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
        return config.getConfigMapping(StorageConfiguration.class);
    }
}
