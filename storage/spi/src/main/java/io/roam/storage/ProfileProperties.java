package io.roam.storage;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@linkplain StorageProfile#properties() properties} of one storage profile for a backend:
 * typed values with defaults and bounds, refusal of unknown keys, and secrets read from the environment
 * variable or file a property names.
 *
 * <p>Conventions, the same for every backend:
 * <ul>
 *   <li>values are stripped of surrounding white space, and a blank value counts as not set;</li>
 *   <li>every failure is an {@link IllegalArgumentException} whose message starts with the full
 *       configuration key, {@code roam.storage.profiles.<profile>.properties.<key>: }, followed by the
 *       problem. Property values are quoted in messages (a profile's properties never hold secrets), except
 *       URLs, which could carry a token;</li>
 *   <li>a secret itself is never quoted: messages name the environment variable or the file only;</li>
 *   <li>the keys read are remembered, so that {@link #unread()} lists the properties set but not used,
 *       for example those of another kind of credentials.</li>
 * </ul>
 *
 * <p>Not thread-safe: meant for the one thread that creates a file system.
 */
public final class ProfileProperties {

    private static final long KIBIBYTE = 1024;
    private static final long MEBIBYTE = 1024 * KIBIBYTE;
    private static final long GIBIBYTE = 1024 * MEBIBYTE;
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,19})\\s*(B|KiB|MiB|GiB)?");
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");

    private final String profileName;
    private final String backend;
    private final Map<String, String> values;
    private final Set<String> read = new HashSet<>();

    /** The properties of {@code profile}, for the backend the profile names. */
    public ProfileProperties(StorageProfile profile) {
        this(requireNonNull(profile, "profile is null").name(), profile.backend(), profile.properties());
    }

    /**
     * @param profileName the profile's name, for messages
     * @param backend the backend's name, for messages
     * @param values the profile's properties
     */
    public ProfileProperties(String profileName, String backend, Map<String, String> values) {
        this.profileName = requireNonNull(profileName, "profileName is null");
        this.backend = requireNonNull(backend, "backend is null");
        this.values = Map.copyOf(requireNonNull(values, "values is null"));
    }

    public String profileName() {
        return profileName;
    }

    /** The full configuration key of a property: {@code roam.storage.profiles.<profile>.properties.<key>}. */
    public String qualified(String key) {
        return "roam.storage.profiles.%s.properties.%s".formatted(profileName, key);
    }

    /** A failure of property {@code key}: {@code roam.storage.profiles.<profile>.properties.<key>: <problem>}. */
    public IllegalArgumentException invalid(String key, String problem) {
        return new IllegalArgumentException(qualified(key) + ": " + problem);
    }

    /**
     * Refuses any property whose key is not {@code known}, naming the first such key (in sorted order) and
     * listing the known ones, so that a typo does not fall back to a default silently.
     */
    public void requireKnown(Collection<String> known) {
        requireKnown(known, null);
    }

    /**
     * As {@link #requireKnown(Collection)}, where keys longer than {@code knownPrefix} that start with it
     * (such as {@code hadoop.dfs.replication} for {@code hadoop.}) are known too.
     */
    public void requireKnown(Collection<String> known, String knownPrefix) {
        requireNonNull(known, "known is null");
        SortedSet<String> unknown = new TreeSet<>();
        for (String key : values.keySet()) {
            boolean prefixed = knownPrefix != null && key.startsWith(knownPrefix) && key.length() > knownPrefix.length();
            if (!known.contains(key) && !prefixed) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            String first = unknown.first();
            unknown.remove(first);
            String others = unknown.isEmpty() ? "" : " (so are %s)".formatted(String.join(", ", unknown));
            String knownKeys = String.join(", ", new TreeSet<>(known)) + (knownPrefix == null ? "" : " and %s<key>".formatted(knownPrefix));
            throw invalid(first, "is not a property of the %s backend%s; known: %s".formatted(backend, others, knownKeys));
        }
    }

    /** The keys set (with a value that is not blank) but never read through this object, sorted. */
    public SortedSet<String> unread() {
        SortedSet<String> unread = new TreeSet<>();
        values.forEach((key, value) -> {
            if (!read.contains(key) && !value.isBlank()) {
                unread.add(key);
            }
        });
        return unread;
    }

    /** Whether the property is set to a value that is not blank. */
    public boolean isSet(String key) {
        return optionalString(key).isPresent();
    }

    /** The stripped value, or empty when the property is not set or blank. */
    public Optional<String> optionalString(String key) {
        requireNonNull(key, "key is null");
        read.add(key);
        return Optional.ofNullable(values.get(key)).map(String::strip).filter(value -> !value.isEmpty());
    }

    /** The stripped value of a required property. */
    public String string(String key) {
        return optionalString(key).orElseThrow(() -> invalid(key, "is required, but not set"));
    }

    /**
     * The stripped value of a property required in some case only.
     *
     * @param requiredBecause completes "is required ...", such as {@code "with credentials=file"}
     */
    public String string(String key, String requiredBecause) {
        return optionalString(key).orElseThrow(() -> invalid(key, "is required " + requiredBecause));
    }

    /** {@code true} or {@code false}, in any case. */
    public boolean bool(String key, boolean defaultValue) {
        return optionalString(key).map(value -> switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, "must be true or false, not '%s'".formatted(value));
        }).orElse(defaultValue);
    }

    /** A whole number from {@code minimum} to {@code maximum}. */
    public int integer(String key, int defaultValue, int minimum, int maximum) {
        return optionalString(key).map(value -> {
            int number;
            try {
                number = Integer.parseInt(value);
            }
            catch (NumberFormatException exception) {
                throw invalid(key, "must be a whole number, not '%s'".formatted(value));
            }
            if (number < minimum || number > maximum) {
                throw invalid(key, "must be between %d and %d, not %d".formatted(minimum, maximum, number));
            }
            return number;
        }).orElse(defaultValue);
    }

    /**
     * A size in bytes, optionally with a binary unit: {@code 8388608}, {@code 512KiB}, {@code 8MiB},
     * {@code 1 GiB}; from {@code minimum} to {@code maximum} bytes.
     */
    public long size(String key, long defaultValue, long minimum, long maximum) {
        return optionalString(key).map(value -> {
            Matcher matcher = SIZE.matcher(value);
            if (!matcher.matches()) {
                throw invalid(key, "must be a size in bytes, optionally with a unit B, KiB, MiB or GiB (such as 8MiB), not '%s'".formatted(value));
            }
            long multiplier = switch (matcher.group(2) == null ? "B" : matcher.group(2)) {
                case "KiB" -> KIBIBYTE;
                case "MiB" -> MEBIBYTE;
                case "GiB" -> GIBIBYTE;
                default -> 1L;
            };
            long bytes;
            try {
                bytes = Math.multiplyExact(Long.parseLong(matcher.group(1)), multiplier);
            }
            catch (ArithmeticException | NumberFormatException exception) {
                bytes = Long.MAX_VALUE;
            }
            if (bytes < minimum || bytes > maximum) {
                throw invalid(key, "must be between %s and %s, not %s".formatted(readableSize(minimum), readableSize(maximum), value));
            }
            return bytes;
        }).orElse(defaultValue);
    }

    /** A positive duration: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h} or ISO-8601 such as {@code PT30S}. */
    public Duration duration(String key, Duration defaultValue) {
        return optionalString(key).map(value -> {
            Matcher matcher = DURATION.matcher(value);
            Duration duration = null;
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                duration = switch (matcher.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
            }
            else {
                try {
                    duration = Duration.parse(value);
                }
                catch (DateTimeParseException ignored) {
                    // Reported below, with the accepted forms.
                }
            }
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw invalid(key, "must be a positive duration such as 30s, 500ms, 2m or PT30S, not '%s'".formatted(value));
            }
            return duration;
        }).orElse(defaultValue);
    }

    /** One of {@code choices}, exactly as spelt there. */
    public String choice(String key, List<String> choices, String defaultValue) {
        return optionalString(key).map(value -> checkChoice(key, choices, value)).orElse(defaultValue);
    }

    /** One of {@code choices}, exactly as spelt there; required. */
    public String choice(String key, List<String> choices) {
        return checkChoice(key, choices, string(key));
    }

    /** The constant of {@code type} whose name matches the value, ignoring case; written in lower case. */
    public <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
        return optionalString(key).map(value -> {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(value)) {
                    return constant;
                }
            }
            List<String> names = Arrays.stream(type.getEnumConstants()).map(constant -> constant.name().toLowerCase(Locale.ROOT)).toList();
            throw invalid(key, "must be one of %s, not '%s'".formatted(String.join(", ", names), value));
        }).orElse(defaultValue);
    }

    /**
     * An {@code http://} or {@code https://} URL with a host, and without user information, query or
     * fragment, which could carry a secret. The value is never quoted, for the same reason.
     */
    public Optional<URI> httpUrl(String key) {
        return optionalString(key).map(value -> {
            URI uri;
            try {
                uri = new URI(value);
            }
            catch (URISyntaxException exception) {
                throw invalid(key, "is not a URL");
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw invalid(key, "must be an http:// or https:// URL with a host, such as https://storage.example.com:9000");
            }
            if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw invalid(key, "must not carry a query, fragment or user: they could hold a secret");
            }
            return uri;
        });
    }

    /** The path of a regular file this process can read; required. */
    public Path readableFile(String key) {
        String value = string(key);
        Path file;
        try {
            file = Path.of(value);
        }
        catch (InvalidPathException exception) {
            throw invalid(key, "is not a valid path: '%s'".formatted(value));
        }
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            throw invalid(key, "names '%s', which is not a readable file".formatted(file));
        }
        return file;
    }

    /**
     * The name of the environment variable that property {@code key} (required) names, once the variable is
     * known to be set: a profile that cannot authenticate then fails when it is created. For secrets read
     * again later, such as on every new session.
     *
     * @param environment looks up an environment variable: null when it is not set
     */
    public String environmentVariableName(String key, Function<String, String> environment) {
        requireNonNull(environment, "environment is null");
        String variable = string(key);
        String value = environment.apply(variable);
        if (value == null || value.isEmpty()) {
            throw invalid(key, "names environment variable '%s', which is not set".formatted(variable));
        }
        return variable;
    }

    /**
     * The secret held by the environment variable that property {@code key} (required) names, stripped.
     *
     * @param environment looks up an environment variable: null when it is not set
     */
    public String secretFromEnvironment(String key, Function<String, String> environment) {
        String variable = environmentVariableName(key, environment);
        String value = environment.apply(variable);
        if (value.isBlank()) {
            throw invalid(key, "names environment variable '%s', which is empty".formatted(variable));
        }
        return value.strip();
    }

    /**
     * The secret held by the file whose path property {@code key} (required) gives, such as a mounted
     * Kubernetes secret; stripped, since mounted secrets and editors add a final line break.
     */
    public String secretFromFile(String key) {
        String path = string(key);
        String value;
        try {
            value = Files.readString(Path.of(path));
        }
        catch (IOException | RuntimeException exception) {
            // Only the exception's type: a parser's or decoder's message could quote the content.
            throw invalid(key, "cannot read secret file '%s' (%s)".formatted(path, exception.getClass().getSimpleName()));
        }
        if (value.isBlank()) {
            throw invalid(key, "secret file '%s' is empty".formatted(path));
        }
        return value.strip();
    }

    /**
     * Which of {@code <name>-env} (an environment variable's name) and {@code <name>-file} (a secret file's
     * path) is set; exactly one must be.
     *
     * @return the key that is set
     */
    public String secretSource(String name) {
        String environmentKey = name + "-env";
        String fileKey = name + "-file";
        boolean fromEnvironment = isSet(environmentKey);
        if (fromEnvironment == isSet(fileKey)) {
            throw invalid(environmentKey, "exactly one of '%s' (an environment variable's name) and '%s' (a secret file's path) must be set, not %s"
                    .formatted(environmentKey, fileKey, fromEnvironment ? "both" : "neither"));
        }
        return fromEnvironment ? environmentKey : fileKey;
    }

    /**
     * The secret {@code name}, read from the environment variable named by {@code <name>-env} or the file
     * named by {@code <name>-file}, exactly one of which must be set; stripped.
     *
     * @param environment looks up an environment variable: null when it is not set
     */
    public String secretFromEnvironmentOrFile(String name, Function<String, String> environment) {
        String source = secretSource(name);
        return source.endsWith("-env") ? secretFromEnvironment(source, environment) : secretFromFile(source);
    }

    private String checkChoice(String key, List<String> choices, String value) {
        if (!choices.contains(value)) {
            throw invalid(key, "must be one of %s, not '%s'".formatted(String.join(", ", choices), value));
        }
        return value;
    }

    /** {@code 5MiB}, {@code 4GiB}, {@code 64KiB} where exact, else bytes. */
    static String readableSize(long bytes) {
        if (bytes != 0 && bytes % GIBIBYTE == 0) {
            return bytes / GIBIBYTE + "GiB";
        }
        if (bytes != 0 && bytes % MEBIBYTE == 0) {
            return bytes / MEBIBYTE + "MiB";
        }
        if (bytes != 0 && bytes % KIBIBYTE == 0) {
            return bytes / KIBIBYTE + "KiB";
        }
        return bytes + "B";
    }
}
