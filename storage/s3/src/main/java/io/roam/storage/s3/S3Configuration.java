package io.roam.storage.s3;

import static java.util.Objects.requireNonNull;

import io.roam.storage.ProfileProperties;
import io.roam.storage.StorageProfile;

import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;

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
        boolean signPayloads,
        int listPageSize,
        int maximumConnections,
        HttpClient httpClient,
        Optional<Path> trustCertificates,
        long multipartCopyThreshold,
        S3Credentials credentials) {

    static final String ENDPOINT = "endpoint";
    static final String PATH_STYLE_ACCESS = "path-style-access";
    static final String PART_SIZE = "part-size";
    static final String UPLOAD_CONCURRENCY = "upload-concurrency";
    static final String UPLOAD_CHECKSUM = "upload-checksum";
    static final String SIGN_PAYLOADS = "sign-payloads";
    static final String LIST_PAGE_SIZE = "list-page-size";
    static final String MAXIMUM_CONNECTIONS = "max-connections";
    static final String HTTP_CLIENT = "http-client";
    static final String TRUST_CERTIFICATES = "trust-certificates";
    static final String MULTIPART_COPY_THRESHOLD = "multipart-copy-threshold";
    static final String CREDENTIALS = "credentials";
    static final String CREDENTIALS_PROFILE = "credentials-profile";
    static final String ACCESS_KEY_ID_ENV = "access-key-id-env";
    static final String SECRET_ACCESS_KEY_ENV = "secret-access-key-env";
    static final String SESSION_TOKEN_ENV = "session-token-env";
    static final String CREDENTIALS_FILE = "credentials-file";

    private static final Set<String> KEYS = Set.of(
            ENDPOINT, PATH_STYLE_ACCESS, PART_SIZE, UPLOAD_CONCURRENCY, UPLOAD_CHECKSUM, SIGN_PAYLOADS, LIST_PAGE_SIZE, MAXIMUM_CONNECTIONS,
            HTTP_CLIENT, TRUST_CERTIFICATES, MULTIPART_COPY_THRESHOLD, CREDENTIALS, CREDENTIALS_PROFILE, ACCESS_KEY_ID_ENV, SECRET_ACCESS_KEY_ENV, SESSION_TOKEN_ENV,
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
    static final int DEFAULT_UPLOAD_CONCURRENCY = 4;
    static final int DEFAULT_LIST_PAGE_SIZE = 1000;
    static final int DEFAULT_MAXIMUM_CONNECTIONS = 64;

    /** How each uploaded part (or single-request object) is protected against corruption on the way. */
    enum UploadChecksum {
        /** {@code x-amz-checksum-crc32c}: cheap to compute, supported by AWS S3 and recent S3-compatible stores. */
        CRC32C,
        /** {@code Content-MD5}: supported by every S3-compatible store. */
        MD5,
        /** Nothing beyond TCP's own checksum, for stores that refuse both. */
        NONE
    }

    /** The HTTP client under the SDK: both speak the same S3 API and verify the same checksums. */
    enum HttpClient {
        /** Apache HttpClient 5, pure Java: works wherever the JVM does. */
        APACHE,
        /**
         * The AWS Common Runtime's native client: less processor time per request (10–28 % less for many small
         * files in the benchmark), but slower on large files there; it loads a native library the JVM extracts
         * to its temporary directory.
         */
        CRT
    }

    S3Configuration {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(httpClient, "httpClient is null");
        requireNonNull(trustCertificates, "trustCertificates is null");
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
        ProfileProperties properties = new ProfileProperties(profile);
        if (profile.properties().containsKey("region")) {
            throw properties.invalid("region", "is not a property: set the profile's region instead (roam.storage.profiles.%s.region)".formatted(profile.name()));
        }
        properties.requireKnown(KEYS);
        HttpClient httpClient = properties.choice(HTTP_CLIENT, HttpClient.class, HttpClient.APACHE);
        Optional<Path> trustCertificates = properties.optionalString(TRUST_CERTIFICATES).map(file -> {
            if (httpClient == HttpClient.CRT) {
                throw properties.invalid(TRUST_CERTIFICATES, "needs http-client=apache: the CRT client trusts only the JVM's trust store");
            }
            try {
                return Path.of(file);
            }
            catch (InvalidPathException exception) {
                throw properties.invalid(TRUST_CERTIFICATES, "is not a valid path: " + exception.getReason());
            }
        });
        return new S3Configuration(
                properties.httpUrl(ENDPOINT),
                profile.region(),
                properties.bool(PATH_STYLE_ACCESS, false),
                properties.size(PART_SIZE, DEFAULT_PART_SIZE, MINIMUM_PART_SIZE, MAXIMUM_PART_SIZE),
                properties.integer(UPLOAD_CONCURRENCY, DEFAULT_UPLOAD_CONCURRENCY, 1, 16),
                properties.choice(UPLOAD_CHECKSUM, UploadChecksum.class, UploadChecksum.CRC32C),
                properties.bool(SIGN_PAYLOADS, true),
                properties.integer(LIST_PAGE_SIZE, DEFAULT_LIST_PAGE_SIZE, 1, 1000),
                properties.integer(MAXIMUM_CONNECTIONS, DEFAULT_MAXIMUM_CONNECTIONS, 1, 1024),
                httpClient,
                trustCertificates,
                properties.size(MULTIPART_COPY_THRESHOLD, MAXIMUM_SINGLE_COPY_SIZE, MINIMUM_PART_SIZE, MAXIMUM_SINGLE_COPY_SIZE),
                credentials(properties));
    }

    /** Reads the credentials properties last, so that any property still unread is one another kind of credentials uses. */
    private static S3Credentials credentials(ProfileProperties properties) {
        S3Credentials.Source source = properties.choice(CREDENTIALS, S3Credentials.Source.class, S3Credentials.Source.DEFAULT);
        S3Credentials credentials = switch (source) {
            case DEFAULT -> new S3Credentials.Default(properties.optionalString(CREDENTIALS_PROFILE));
            case ENVIRONMENT -> {
                String reason = "with credentials=environment: it names the environment variable holding the secret";
                yield new S3Credentials.Environment(
                        properties.string(ACCESS_KEY_ID_ENV, reason.replace("the secret", "the access key id")),
                        properties.string(SECRET_ACCESS_KEY_ENV, reason.replace("the secret", "the secret access key")),
                        properties.optionalString(SESSION_TOKEN_ENV));
            }
            case FILE -> {
                String file = properties.string(CREDENTIALS_FILE, "with credentials=file: it is the path of the file holding the access key id and secret");
                try {
                    yield new S3Credentials.File(Path.of(file));
                }
                catch (InvalidPathException exception) {
                    throw properties.invalid(CREDENTIALS_FILE, "is not a valid path: " + exception.getReason());
                }
            }
            case ANONYMOUS -> new S3Credentials.Anonymous();
        };
        SortedSet<String> unread = properties.unread();
        if (!unread.isEmpty()) {
            throw properties.invalid(unread.first(), "does not apply to credentials=%s".formatted(source.name().toLowerCase(Locale.ROOT)));
        }
        return credentials;
    }
}
