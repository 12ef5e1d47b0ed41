package io.roam.storage.config;

import io.roam.storage.InvalidLocationException;
import io.roam.storage.Location;
import io.roam.storage.StorageProfile;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The storage profiles every Roam service shares, under {@code roam.storage}. For example:
 *
 * <pre>{@code
 * roam.storage.profiles.scratch.backend=local
 * roam.storage.profiles.scratch.roots=file:///tmp/scratch/,/data/
 * roam.storage.profiles.training.backend=s3
 * roam.storage.profiles.training.roots=s3://training-data/
 * roam.storage.profiles.training.region=eu-west-1
 * roam.storage.profiles.training.properties."credentials.access-key-id-variable"=TRAINING_ACCESS_KEY_ID
 * }</pre>
 */
@ConfigMapping(prefix = "roam.storage")
public interface StorageConfiguration {

    /** The storage profiles, by name. A location is served by the profile with the most specific root containing it. */
    Map<String, Profile> profiles();

    /** One storage profile: see {@link StorageProfile}. */
    interface Profile {

        /** The storage backend serving the roots: {@code local}, {@code s3}, {@code gcs}, {@code azure}, {@code sftp} or {@code hdfs}. */
        @WithDefault("local")
        String backend();

        /**
         * The directory locations this profile serves, each ending with {@code /} (or a whole bucket,
         * such as {@code s3://bucket}). Given as a comma-separated list or as indexed keys
         * ({@code roots[0]}, {@code roots[1]}).
         */
        List<String> roots();

        /** The region of the endpoint, for backends that have regions. */
        Optional<String> region();

        /** The cloud or site the endpoint belongs to, for placing transfers near their data. */
        Optional<String> cloud();

        /**
         * Backend settings, such as the endpoint or the names of credential sources. Never secrets
         * themselves: reference a secret by the name of the environment variable or the path of the
         * file that holds it. Empty by default.
         */
        Map<String, String> properties();

        /**
         * The projects whose artifacts may be copied <em>from</em> this profile's locations (be the source of a
         * transfer), as a comma-separated list; {@code *}, the default, is every project. The gateway refuses a
         * request or training event of any other project with 403.
         */
        @WithDefault("*")
        List<String> readers();

        /**
         * The projects whose artifacts may be copied <em>to</em> this profile's locations (be the target of a
         * transfer or a replication policy), as a comma-separated list; {@code *}, the default, is every project.
         */
        @WithDefault("*")
        List<String> writers();
    }

    /** The project list of {@link Profile#readers()} and {@link Profile#writers()} that admits every project. */
    String EVERY_PROJECT = "*";

    /**
     * Converts the configured profiles, ordered by name.
     *
     * @throws IllegalArgumentException naming the configuration key when a root is not a valid
     *     directory location
     */
    default List<StorageProfile> toProfiles() {
        return profiles().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> toProfile(entry.getKey(), entry.getValue()))
                .toList();
    }

    private static StorageProfile toProfile(String name, Profile profile) {
        List<Location> roots = profile.roots().stream()
                .map(root -> parseRoot(name, root))
                .toList();
        return new StorageProfile(name, profile.backend(), roots, profile.region(), profile.cloud(), profile.properties());
    }

    private static Location parseRoot(String profileName, String root) {
        try {
            return Location.parse(root);
        }
        catch (InvalidLocationException exception) {
            throw new IllegalArgumentException("roam.storage.profiles.%s.roots: %s".formatted(profileName, exception.getMessage()), exception);
        }
    }

    /**
     * The configuration keys and values that describe {@code profile}, the inverse of {@link
     * #toProfiles()}: how a launcher hands profiles to a service it starts. Property names containing
     * a dot are quoted, as SmallRye Config expects of map keys.
     */
    static Map<String, String> toConfiguration(StorageProfile profile) {
        return toConfiguration(profile, List.of(EVERY_PROJECT), List.of(EVERY_PROJECT));
    }

    /**
     * As {@link #toConfiguration(StorageProfile)}, with the projects that may read and write the profile's
     * locations ({@link Profile#readers()}, {@link Profile#writers()}); lists of only {@code *} are left to the default.
     */
    static Map<String, String> toConfiguration(StorageProfile profile, List<String> readers, List<String> writers) {
        String prefix = "roam.storage.profiles." + profile.name() + ".";
        Map<String, String> configuration = new LinkedHashMap<>();
        configuration.put(prefix + "backend", profile.backend());
        configuration.put(prefix + "roots", profile.roots().stream().map(Location::toString).collect(Collectors.joining(",")));
        profile.region().ifPresent(region -> configuration.put(prefix + "region", region));
        profile.cloud().ifPresent(cloud -> configuration.put(prefix + "cloud", cloud));
        profile.properties().forEach((key, value) ->
                configuration.put(prefix + "properties." + (key.contains(".") ? '"' + key + '"' : key), value));
        if (!readers.equals(List.of(EVERY_PROJECT))) {
            configuration.put(prefix + "readers", String.join(",", readers));
        }
        if (!writers.equals(List.of(EVERY_PROJECT))) {
            configuration.put(prefix + "writers", String.join(",", writers));
        }
        return configuration;
    }
}
