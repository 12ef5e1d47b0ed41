package io.roam.storage.hdfs;

import static java.util.Objects.requireNonNull;

import io.roam.storage.ProfileProperties;
import io.roam.storage.StorageProfile;

import java.net.MalformedURLException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.hadoop.conf.Configuration;

/**
 * The profile properties of the HDFS backend, validated, and the Hadoop {@link Configuration} they
 * make. See {@link HdfsStorageBackend} for what each property means.
 *
 * @param profileName the name of the profile, for messages
 * @param user the user to act as under simple authentication; empty for the process's Hadoop user
 * @param configurationDirectory a directory holding {@code core-site.xml} and/or {@code hdfs-site.xml}
 * @param hadoopProperties Hadoop configuration keys (without the {@code hadoop.} prefix) and values
 */
record HdfsSettings(String profileName, Optional<String> user, Optional<Path> configurationDirectory, Map<String, String> hadoopProperties) {

    static final String USER = "user";
    static final String CONFIGURATION_DIRECTORY = "configuration-directory";
    static final String KERBEROS_PRINCIPAL = "kerberos-principal";
    static final String KERBEROS_KEYTAB_FILE = "kerberos-keytab-file";
    static final String HADOOP_PREFIX = "hadoop.";

    private static final Set<String> KEYS = Set.of(USER, CONFIGURATION_DIRECTORY, KERBEROS_PRINCIPAL, KERBEROS_KEYTAB_FILE);
    private static final List<String> CONFIGURATION_FILES = List.of("core-site.xml", "hdfs-site.xml");
    private static final String AUTHENTICATION_KEY = "hadoop.security.authentication";
    /** What HDFS accepts as a user name under simple authentication, without spaces or separators that would confuse it. */
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._@$-]*");

    HdfsSettings {
        requireNonNull(profileName, "profileName is null");
        requireNonNull(user, "user is null");
        requireNonNull(configurationDirectory, "configurationDirectory is null");
        hadoopProperties = Map.copyOf(requireNonNull(hadoopProperties, "hadoopProperties is null"));
    }

    /**
     * @throws IllegalArgumentException when a property is unknown or invalid, or Kerberos is asked for
     */
    static HdfsSettings of(StorageProfile profile) {
        requireNonNull(profile, "profile is null");
        ProfileProperties properties = new ProfileProperties(profile);
        properties.requireKnown(KEYS, HADOOP_PREFIX);
        Map<String, String> hadoopProperties = new HashMap<>();
        profile.properties().forEach((key, value) -> {
            if (key.startsWith(HADOOP_PREFIX) && key.length() > HADOOP_PREFIX.length()) {
                hadoopProperties.put(key.substring(HADOOP_PREFIX.length()), value);
            }
        });
        if (profile.properties().containsKey(KERBEROS_PRINCIPAL) || profile.properties().containsKey(KERBEROS_KEYTAB_FILE)) {
            throw kerberosUnsupported(profile);
        }
        Optional<String> user = properties.optionalString(USER);
        user.ifPresent(name -> {
            if (!USER_NAME.matcher(name).matches()) {
                throw properties.invalid(USER, "is not a valid HDFS user name: '%s'".formatted(name));
            }
        });
        Optional<Path> configurationDirectory = properties.optionalString(CONFIGURATION_DIRECTORY)
                .map(directory -> configurationDirectory(properties, directory));
        HdfsSettings settings = new HdfsSettings(profile.name(), user, configurationDirectory, hadoopProperties);
        String authentication = settings.toConfiguration().get(AUTHENTICATION_KEY, "simple");
        if (!authentication.equals("simple")) {
            throw kerberosUnsupported(profile);
        }
        return settings;
    }

    /**
     * A fresh Hadoop configuration: Hadoop's defaults (and any {@code core-site.xml} or
     * {@code hdfs-site.xml} on the class path, as every Hadoop client does), then the configuration
     * directory's files, then the {@code hadoop.*} properties.
     *
     * @throws IllegalArgumentException when a configuration file cannot be read
     */
    Configuration toConfiguration() {
        Configuration configuration = new Configuration();
        configurationDirectory.ifPresent(directory -> {
            for (String name : CONFIGURATION_FILES) {
                Path file = directory.resolve(name);
                if (Files.isRegularFile(file)) {
                    try {
                        configuration.addResource(file.toUri().toURL());
                    }
                    catch (MalformedURLException exception) {
                        throw new IllegalArgumentException("storage profile '%s': cannot read '%s': %s".formatted(profileName, file, exception.getMessage()), exception);
                    }
                }
            }
        });
        hadoopProperties.forEach(configuration::set);
        try {
            // Hadoop parses its resources lazily: parse them now, so that a broken file fails here.
            configuration.size();
        }
        catch (RuntimeException exception) {
            throw new IllegalArgumentException("storage profile '%s': cannot read the Hadoop configuration in '%s': %s"
                    .formatted(profileName, configurationDirectory.map(Path::toString).orElse("the class path"), exception.getMessage()), exception);
        }
        return configuration;
    }

    private static Path configurationDirectory(ProfileProperties properties, String value) {
        Path directory;
        try {
            directory = Path.of(value);
        }
        catch (InvalidPathException exception) {
            throw properties.invalid(CONFIGURATION_DIRECTORY, "is not a path: '%s'".formatted(value));
        }
        if (!Files.isDirectory(directory)) {
            throw properties.invalid(CONFIGURATION_DIRECTORY, "names '%s', which is not a directory".formatted(value));
        }
        if (CONFIGURATION_FILES.stream().noneMatch(name -> Files.isRegularFile(directory.resolve(name)))) {
            throw properties.invalid(CONFIGURATION_DIRECTORY, "names '%s', which holds neither %s".formatted(value, String.join(" nor ", CONFIGURATION_FILES)));
        }
        return directory;
    }

    private static IllegalArgumentException kerberosUnsupported(StorageProfile profile) {
        return new IllegalArgumentException(("storage profile '%s' asks for Kerberos (properties '%s'/'%s' or %s=kerberos), which Roam's HDFS backend "
                + "does not support yet: only simple authentication, with property '%s'").formatted(profile.name(), KERBEROS_PRINCIPAL, KERBEROS_KEYTAB_FILE, AUTHENTICATION_KEY, USER));
    }
}
