package io.roam.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roam.storage.Location;
import io.roam.storage.StorageProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageProfilesLoaderTest {

    private static final StorageProfile IMPLICIT_LOCAL =
            new StorageProfile("local", "local", List.of(Location.parse("/")), Optional.empty(), Optional.empty(), Map.of());

    @TempDir
    Path directory;

    @Test
    void readsTheDefaultFileWhenNoneIsGivenAndAddsNoImplicitProfileWhenEveryLocationIsServed() throws IOException {
        Path defaultFile = directory.resolve("roam.properties");
        Files.writeString(defaultFile, "roam.storage.profiles.scratch.roots=/scratch/\n");

        List<StorageProfile> profiles = new StorageProfilesLoader(defaultFile)
                .load(Optional.empty(), List.of(Location.parse("/scratch/a/"), Location.parse("/scratch/b/")));

        assertThat(profiles).containsExactly(
                new StorageProfile("scratch", "local", List.of(Location.parse("/scratch/")), Optional.empty(), Optional.empty(), Map.of()));
    }

    @Test
    void addsTheImplicitLocalProfileForALocalPathNoProfileServes() {
        List<StorageProfile> profiles = new StorageProfilesLoader(directory.resolve("absent.properties"))
                .load(Optional.empty(), List.of(Location.parse("s3://bucket/a/"), Location.parse("file:///data/b/")));

        assertThat(profiles).containsExactly(IMPLICIT_LOCAL);
    }

    @Test
    void addsNoImplicitProfileForRemoteLocations() {
        assertThat(StorageProfilesLoader.withImplicitLocalProfile(List.of(), List.of(Location.parse("s3://bucket/a/")))).isEmpty();
    }

    @Test
    void renamesTheImplicitProfileWhenAConfiguredOneIsCalledLocal() {
        StorageProfile configured = new StorageProfile("local", "local", List.of(Location.parse("/scratch/")), Optional.empty(),
                Optional.empty(), Map.of());

        assertThat(StorageProfilesLoader.withImplicitLocalProfile(List.of(configured), List.of(Location.parse("/data/a/"))))
                .extracting(StorageProfile::name)
                .containsExactly("local", "implicit-local");
    }

    @Test
    void namesTheKeysAProfileDoesNotTakeAndWhatItTakes() throws IOException {
        Path file = directory.resolve("roam.properties");
        Files.writeString(file, """
                roam.storage.profiles.lab.backend=s3
                roam.storage.profiles.lab.roots=s3://checkpoints/
                roam.storage.profiles.lab.endpoint=http://minio:9000
                roam.storage.profiles."lab.two".roots[0]=s3://datasets/
                roam.storage.profiles."lab.two".path-style-access=true
                roam.storage.profiles."lab.two".properties.endpoint=http://minio:9000
                """);

        assertThatThrownBy(() -> new StorageProfilesLoader(directory.resolve("absent.properties")).load(Optional.of(file), List.of()))
                .isInstanceOf(UsageException.class)
                .hasMessage("invalid storage configuration: unknown keys roam.storage.profiles.\"lab.two\".path-style-access, "
                        + "roam.storage.profiles.lab.endpoint; a storage profile takes backend, cloud, properties, readers, region, roots, "
                        + "writers, and backend settings such as an endpoint go under properties.<setting>");
    }
}
