package io.roam.cli;

import static java.util.Objects.requireNonNull;

import io.roam.storage.Location;
import io.roam.storage.StorageProfile;
import io.roam.storage.config.StorageConfiguration;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Loads the storage profiles the command copies with, the same {@code roam.storage.profiles.*}
 * configuration the services read, from (highest priority first) {@code -D} system properties,
 * environment variables such as {@code ROAM_STORAGE_PROFILES_SCRATCH_ROOTS}, and a properties file:
 * the one given with {@code --config}, or else the default file when it exists.
 */
public final class StorageProfilesLoader {

    /** The name of the profile added for local paths that no configured profile serves. */
    public static final String IMPLICIT_LOCAL_PROFILE = "local";

    /** Below system properties (400) and environment variables (300), above application defaults (100). */
    private static final int CONFIGURATION_FILE_ORDINAL = 250;

    /** {@code roam.storage.profiles.<name>.<key>[...]}, the name possibly quoted; group 1 is the key, without an index or what follows it. */
    private static final Pattern PROFILE_PROPERTY = Pattern.compile("roam\\.storage\\.profiles\\.(?:\"[^\"]*\"|[^.\"]+)\\.([^.\\[]+).*");

    /** The keys of a profile: the methods of {@link StorageConfiguration.Profile}, one word each. */
    private static final List<String> PROFILE_KEYS = Arrays.stream(StorageConfiguration.Profile.class.getDeclaredMethods())
            .filter(method -> !method.isSynthetic() && !Modifier.isStatic(method.getModifiers()))
            .map(Method::getName)
            .sorted()
            .toList();

    private final Path defaultConfigurationFile;

    /** @param defaultConfigurationFile read when no {@code --config} is given and it exists */
    public StorageProfilesLoader(Path defaultConfigurationFile) {
        this.defaultConfigurationFile = requireNonNull(defaultConfigurationFile, "defaultConfigurationFile is null");
    }

    /**
     * The configured profiles, plus the implicit {@value #IMPLICIT_LOCAL_PROFILE} profile rooted at
     * {@code /} when one of {@code locations} is a local path that no configured profile serves.
     *
     * @throws UsageException when the given configuration file cannot be read or the configuration is invalid
     */
    public List<StorageProfile> load(Optional<Path> configurationFile, List<Location> locations) {
        Optional<Path> file = configurationFile.or(() -> Optional.of(defaultConfigurationFile).filter(Files::isRegularFile));
        Optional<ConfigSource> fileSource = file.map(path -> new PropertiesConfigSource(read(path), path.toString(), CONFIGURATION_FILE_ORDINAL));
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .addDefaultSources()
                .withMapping(StorageConfiguration.class);
        fileSource.ifPresent(builder::withSources);
        List<StorageProfile> profiles;
        try {
            SmallRyeConfig config = builder.build();
            profiles = config.getConfigMapping(StorageConfiguration.class).toProfiles();
        }
        catch (RuntimeException invalid) {
            List<String> unknownKeys = unknownProfileKeys(fileSource);
            if (!unknownKeys.isEmpty()) {
                throw new UsageException("invalid storage configuration: unknown key%s %s; a storage profile takes %s, and backend settings such as an endpoint go under properties.<setting>"
                        .formatted(unknownKeys.size() == 1 ? "" : "s", String.join(", ", unknownKeys), String.join(", ", PROFILE_KEYS)), invalid);
            }
            throw new UsageException("invalid storage configuration: " + singleLine(invalid.getMessage()), invalid);
        }
        return withImplicitLocalProfile(profiles, locations);
    }

    /**
     * The {@code roam.storage.profiles.<name>.<key>} properties whose key is not one of a profile's, such as
     * a backend setting given without {@code properties.}: the configuration library's own message for them
     * ("does not map to any root") does not say what is expected instead.
     */
    private static List<String> unknownProfileKeys(Optional<ConfigSource> fileSource) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder().addDefaultSources();
        fileSource.ifPresent(builder::withSources);
        List<String> unknown = new ArrayList<>();
        for (String name : builder.build().getPropertyNames()) {
            Matcher profileKey = PROFILE_PROPERTY.matcher(name);
            if (profileKey.matches() && !PROFILE_KEYS.contains(profileKey.group(1))) {
                unknown.add(name);
            }
        }
        return unknown.stream().sorted().toList();
    }

    /**
     * {@code profiles}, plus a profile of the local backend rooted at {@code /} when one of
     * {@code locations} is a local path that none of them serves. It is named
     * {@value #IMPLICIT_LOCAL_PROFILE}, or {@code implicit-local} when a configured profile already has that name.
     */
    static List<StorageProfile> withImplicitLocalProfile(List<StorageProfile> profiles, List<Location> locations) {
        boolean unservedLocalPath = locations.stream()
                .anyMatch(location -> location.scheme().equals("file") && profiles.stream().noneMatch(profile -> profile.serves(location)));
        if (!unservedLocalPath) {
            return profiles;
        }
        boolean nameTaken = profiles.stream().anyMatch(profile -> profile.name().equals(IMPLICIT_LOCAL_PROFILE));
        StorageProfile implicit = new StorageProfile(nameTaken ? "implicit-local" : IMPLICIT_LOCAL_PROFILE, "local",
                List.of(Location.parse("/")), Optional.empty(), Optional.empty(), Map.of());
        List<StorageProfile> extended = new ArrayList<>(profiles);
        extended.add(implicit);
        return List.copyOf(extended);
    }

    private static Map<String, String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UsageException("configuration file '%s' does not exist or is not a file".formatted(file));
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        catch (IOException | IllegalArgumentException unreadable) {
            throw new UsageException("cannot read configuration file '%s': %s".formatted(file, unreadable.getMessage()), unreadable);
        }
        Map<String, String> values = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name)));
        return values;
    }

    private static String singleLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
