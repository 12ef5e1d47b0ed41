package io.roam.deploy;

import io.roam.storage.StorageProfile;
import io.roam.storage.config.StorageConfiguration;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * A storage profiles file the deployment files mount into the services, read through the services' own
 * configuration mapping ({@link StorageConfiguration}), so a profile the services would refuse fails here.
 */
record StorageProfilesFile(String origin, List<StorageProfile> profiles) {

    StorageProfilesFile {
        requireNonNull(origin, "origin is null");
        profiles = List.copyOf(profiles);
    }

    /** Reads {@code content} (properties format); {@code origin} names it in messages. */
    static StorageProfilesFile parse(String content, String origin) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(content));
        }
        catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
        Map<String, String> settings = new HashMap<>();
        properties.stringPropertyNames().forEach(key -> settings.put(key, properties.getProperty(key)));
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(StorageConfiguration.class)
                .withSources(new PropertiesConfigSource(settings, origin, 100))
                .build();
        return new StorageProfilesFile(origin, config.getConfigMapping(StorageConfiguration.class).toProfiles());
    }

    /**
     * The environment variables the profiles read secrets from: the values of their {@code *-env} properties
     * (such as {@code secret-access-key-env=MINIO_SECRET_ACCESS_KEY}).
     */
    Set<String> environmentVariables() {
        Set<String> variables = new TreeSet<>();
        profiles.forEach(profile -> profile.properties().forEach((key, value) -> {
            if (key.endsWith("-env")) {
                variables.add(value);
            }
        }));
        return variables;
    }
}
