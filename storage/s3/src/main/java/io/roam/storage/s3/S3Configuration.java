package io.roam.storage.s3;

import static java.util.Objects.requireNonNull;

import io.roam.storage.StorageProfile;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings of one S3 storage profile, read from its properties and checked up front, so that a
 * misconfigured profile fails when the file system is created rather than on the first transfer. The
 * keys are documented on {@link S3StorageBackend}.
 */
record S3Configuration(
        Optional<URI> endpoint,
        Optional<String> region,
        boolean pathStyleAccess,
        long partSize,
        int uploadConcurrency,
        UploadChecksum uploadChecksum,
        int listPageSize,
        int maximumConnections,
        long multipartCopyThreshold,
        S3Credentials credentials) {

    static final String ENDPOINT = "endpoint";
    static final String PATH_STYLE_ACCESS = "path-style-access";
    static final String PART_SIZE = "part-size";
    static final String UPLOAD_CONCURRENCY = "upload-concurrency";
    static final String UPLOAD_CHECKSUM = "upload-checksum";
    static final String LIST_PAGE_SIZE = "list-page-size";
    static final String MAXIMUM_CONNECTIONS = "max-connections";
    static final String MULTIPART_COPY_THRESHOLD = "multipart-copy-threshold";
    static final String CREDENTIALS = "credentials";
    static final String CREDENTIALS_PROFILE = "credentials-profile";
    static final String ACCESS_KEY_ID_ENV = "access-key-id-env";
    static final String SECRET_ACCESS_KEY_ENV = "secret-access-key-env";
    static final String SESSION_TOKEN_ENV = "session-token-env";
    static final String CREDENTIALS_FILE = "credentials-file";

    private static final Set<String> KEYS = Set.of(
            ENDPOINT, PATH_STYLE_ACCESS, PART_SIZE, UPLOAD_CONCURRENCY, UPLOAD_CHECKSUM, LIST_PAGE_SIZE, MAXIMUM_CONNECTIONS,
            MULTIPART_COPY_THRESHOLD, CREDENTIALS, CREDENTIALS_PROFILE, ACCESS_KEY_ID_ENV, SECRET_ACCESS_KEY_ENV, SESSION_TOKEN_ENV,
            CREDENTIALS_FILE);

    static final long MEBIBYTE = 1024L * 1024;
    static final long GIBIBYTE = 1024L * MEBIBYTE;
    /** S3's smallest part, except the last. */
    static final long MINIMUM_PART_SIZE = 5 * MEBIBYTE;
    /** Parts grow to ten times this size for very large files (see {@link S3OutputStream}), staying under S3's 5 GiB. */
    static final long MAXIMUM_PART_SIZE = 512 * MEBIBYTE;
    /** The largest object CopyObject copies in one request. */
    static final long MAXIMUM_SINGLE_COPY_SIZE = 5 * GIBIBYTE;

    static final long DEFAULT_PART_SIZE = 8 * MEBIBYTE;
    static final int DEFAULT_UPLOAD_CONCURRENCY = 2;
    static final int DEFAULT_LIST_PAGE_SIZE = 1000;
    static final int DEFAULT_MAXIMUM_CONNECTIONS = 64;

    private static final Pattern SIZE = Pattern.compile("([0-9]{1,19})\\s*(B|KiB|MiB|GiB)?");

    /** How each uploaded part (or single-request object) is protected against corruption on the way. */
    enum UploadChecksum {
        /** {@code x-amz-checksum-crc32c}: cheap to compute, supported by AWS S3 and recent S3-compatible stores. */
        CRC32C,
        /** {@code Content-MD5}: supported by every S3-compatible store. */
        MD5,
        /** Nothing beyond TCP's own checksum, for stores that refuse both. */
        NONE
    }

    S3Configuration {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(region, "region is null");
        requireNonNull(uploadChecksum, "uploadChecksum is null");
        requireNonNull(credentials, "credentials is null");
    }

    /**
     * @throws IllegalArgumentException naming the property (never its value when it may be secret) when
     *     a property is unknown, malformed, out of range, or does not fit the chosen credentials
     */
    static S3Configuration of(StorageProfile profile) {
        requireNonNull(profile, "profile is null");
        Properties properties = new Properties(profile);
        return new S3Configuration(
                properties.optional(ENDPOINT).map(properties::endpoint),
                profile.region(),
                properties.bool(PATH_STYLE_ACCESS, false),
                properties.size(PART_SIZE, DEFAULT_PART_SIZE, MINIMUM_PART_SIZE, MAXIMUM_PART_SIZE),
                properties.integer(UPLOAD_CONCURRENCY, DEFAULT_UPLOAD_CONCURRENCY, 1, 16),
                properties.choice(UPLOAD_CHECKSUM, UploadChecksum.class, UploadChecksum.CRC32C),
                properties.integer(LIST_PAGE_SIZE, DEFAULT_LIST_PAGE_SIZE, 1, 1000),
                properties.integer(MAXIMUM_CONNECTIONS, DEFAULT_MAXIMUM_CONNECTIONS, 1, 1024),
                properties.size(MULTIPART_COPY_THRESHOLD, MAXIMUM_SINGLE_COPY_SIZE, MINIMUM_PART_SIZE, MAXIMUM_SINGLE_COPY_SIZE),
                properties.credentials());
    }

    /** Reads one profile's properties, remembering which were used so that leftovers (typos) are refused. */
    private static final class Properties {

        private final StorageProfile profile;
        private final Map<String, String> remaining;

        Properties(StorageProfile profile) {
            this.profile = profile;
            this.remaining = new HashMap<>(profile.properties());
            Set<String> unknown = new TreeSet<>(remaining.keySet());
            unknown.removeAll(KEYS);
            if (unknown.contains("region")) {
                throw problem("region", "is not a property: set the profile's region instead (roam.storage.profiles.%s.region)".formatted(profile.name()));
            }
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException("storage profile '%s' has unknown S3 properties %s; known: %s"
                        .formatted(profile.name(), unknown, new TreeSet<>(KEYS)));
            }
        }

        Optional<String> optional(String key) {
            return Optional.ofNullable(remaining.remove(key)).map(String::strip);
        }

        String required(String key, String reason) {
            return optional(key).filter(value -> !value.isEmpty()).orElseThrow(() -> problem(key, "is required " + reason));
        }

        URI endpoint(String value) {
            try {
                URI uri = new URI(value);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                        || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                    throw problem(ENDPOINT, "must be an http:// or https:// URL with a host and nothing after the path, such as https://minio.example.com:9000");
                }
                return uri;
            }
            catch (URISyntaxException exception) {
                throw problem(ENDPOINT, "is not a URL: " + exception.getReason());
            }
        }

        boolean bool(String key, boolean defaultValue) {
            return optional(key).map(value -> switch (value.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw problem(key, "must be true or false, not '%s'".formatted(value));
            }).orElse(defaultValue);
        }

        int integer(String key, int defaultValue, int minimum, int maximum) {
            return optional(key).map(value -> {
                try {
                    int number = Integer.parseInt(value);
                    if (number < minimum || number > maximum) {
                        throw problem(key, "must be between %d and %d, not %d".formatted(minimum, maximum, number));
                    }
                    return number;
                }
                catch (NumberFormatException exception) {
                    throw problem(key, "must be a whole number, not '%s'".formatted(value));
                }
            }).orElse(defaultValue);
        }

        /** A size in bytes, or with a binary unit: {@code 8388608}, {@code 8MiB}, {@code 1 GiB}. */
        long size(String key, long defaultValue, long minimum, long maximum) {
            return optional(key).map(value -> {
                Matcher matcher = SIZE.matcher(value);
                if (!matcher.matches()) {
                    throw problem(key, "must be a size in bytes, optionally with a unit B, KiB, MiB or GiB (such as 16MiB), not '%s'".formatted(value));
                }
                long multiplier = switch (matcher.group(2) == null ? "B" : matcher.group(2)) {
                    case "KiB" -> 1024L;
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
                    throw problem(key, "must be between %s and %s, not %s".formatted(readable(minimum), readable(maximum), value));
                }
                return bytes;
            }).orElse(defaultValue);
        }

        <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
            return optional(key).map(value -> {
                for (E constant : type.getEnumConstants()) {
                    if (constant.name().equalsIgnoreCase(value)) {
                        return constant;
                    }
                }
                throw problem(key, "must be one of %s, not '%s'".formatted(choices(type), value));
            }).orElse(defaultValue);
        }

        S3Credentials credentials() {
            S3Credentials.Source source = choice(CREDENTIALS, S3Credentials.Source.class, S3Credentials.Source.DEFAULT);
            S3Credentials credentials = switch (source) {
                case DEFAULT -> new S3Credentials.Default(optional(CREDENTIALS_PROFILE).filter(name -> !name.isEmpty()));
                case ENVIRONMENT -> {
                    String reason = "with credentials=environment: it names the environment variable holding the secret";
                    yield new S3Credentials.Environment(
                            required(ACCESS_KEY_ID_ENV, reason.replace("the secret", "the access key id")),
                            required(SECRET_ACCESS_KEY_ENV, reason.replace("the secret", "the secret access key")),
                            optional(SESSION_TOKEN_ENV).filter(name -> !name.isEmpty()));
                }
                case FILE -> {
                    String file = required(CREDENTIALS_FILE, "with credentials=file: it is the path of the file holding the access key id and secret");
                    try {
                        yield new S3Credentials.File(Path.of(file));
                    }
                    catch (InvalidPathException exception) {
                        throw problem(CREDENTIALS_FILE, "is not a valid path: " + exception.getReason());
                    }
                }
                case ANONYMOUS -> new S3Credentials.Anonymous();
            };
            if (!remaining.isEmpty()) {
                throw problem(new TreeSet<>(remaining.keySet()).first(),
                        "does not apply to credentials=%s".formatted(source.name().toLowerCase(Locale.ROOT)));
            }
            return credentials;
        }

        private IllegalArgumentException problem(String key, String message) {
            return new IllegalArgumentException("property '%s' of storage profile '%s' %s".formatted(key, profile.name(), message));
        }

        private static <E extends Enum<E>> String choices(Class<E> type) {
            StringBuilder choices = new StringBuilder();
            for (E constant : type.getEnumConstants()) {
                choices.append(choices.isEmpty() ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT));
            }
            return choices.toString();
        }

        private static String readable(long bytes) {
            return bytes % GIBIBYTE == 0 ? bytes / GIBIBYTE + "GiB" : bytes / MEBIBYTE + "MiB";
        }
    }
}
