package io.roam.storage.gcs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.google.auth.Credentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.StorageOptions;

import io.roam.storage.Location;
import io.roam.storage.ProfileProperties;
import io.roam.storage.StorageBackend;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageProfile;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Google Cloud Storage, through the Google Cloud client library's JSON/HTTP transport. Locations are
 * {@code gs://bucket/path} or {@code gcs://bucket/path}; the profile's roots name buckets, or prefixes in
 * them, of one GCS endpoint.
 *
 * <p>Profile properties ({@code roam.storage.profiles.<name>.properties.<key>}); none holds a secret:
 * <ul>
 *   <li>{@code credentials}: where the credentials come from, {@code default} when absent:
 *     <ul>
 *       <li>{@code default}: Application Default Credentials: workload identity or the metadata server
 *           on Google Cloud, {@code GOOGLE_APPLICATION_CREDENTIALS}, or the gcloud user login;</li>
 *       <li>{@code service-account-file}: the service-account key JSON at the path in
 *           {@code credentials-file} (a mounted secret);</li>
 *       <li>{@code service-account-env}: the service-account key JSON held by the environment variable
 *           named in {@code credentials-env};</li>
 *       <li>{@code anonymous}: no credentials, for emulators and public buckets.</li>
 *     </ul></li>
 *   <li>{@code credentials-file}: the path of the service-account key JSON, for
 *       {@code service-account-file};</li>
 *   <li>{@code credentials-env}: the name (never the value) of the environment variable holding the
 *       service-account key JSON, for {@code service-account-env};</li>
 *   <li>{@code project-id}: the Google Cloud project; optional for object operations, which name their
 *       bucket. Without it, the client looks for one in the credentials and the environment;</li>
 *   <li>{@code endpoint}: the URL of another GCS JSON API endpoint, such as an emulator
 *       ({@code http://127.0.0.1:9199}); GCS itself when absent;</li>
 *   <li>{@code chunk-size}: the bytes sent per request of a resumable upload; each open write holds up to
 *       two chunks (one in flight, one filling): a multiple of 256 KiB, in bytes or with a unit
 *       ({@code 16MiB}), default 8 MiB;</li>
 *   <li>{@code list-page-size}: the objects fetched per listing request, 1 to 1000, default 1000.</li>
 * </ul>
 *
 * <p>Example:
 * <pre>{@code
 * roam.storage.profiles.checkpoints.backend=gcs
 * roam.storage.profiles.checkpoints.roots=gs://lab-checkpoints/
 * roam.storage.profiles.checkpoints.properties.credentials=service-account-file
 * roam.storage.profiles.checkpoints.properties.credentials-file=/var/run/secrets/roam/gcs/key.json
 * }</pre>
 */
public final class GcsStorageBackend implements StorageBackend {

    public static final String NAME = "gcs";

    static final String CREDENTIALS = "credentials";
    static final String CREDENTIALS_FILE = "credentials-file";
    static final String CREDENTIALS_ENVIRONMENT_VARIABLE = "credentials-env";
    static final String PROJECT_ID = "project-id";
    static final String ENDPOINT = "endpoint";
    static final String CHUNK_SIZE = "chunk-size";
    static final String LIST_PAGE_SIZE = "list-page-size";

    static final int CHUNK_SIZE_GRANULARITY = 256 * 1024;
    static final int DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;
    /** The largest multiple of {@link #CHUNK_SIZE_GRANULARITY} that fits the client's {@code int}. */
    static final int MAXIMUM_CHUNK_SIZE = Integer.MAX_VALUE / CHUNK_SIZE_GRANULARITY * CHUNK_SIZE_GRANULARITY;
    static final int MAXIMUM_LIST_PAGE_SIZE = 1000;
    private static final List<String> CREDENTIAL_SOURCES = List.of("default", "service-account-file", "service-account-env", "anonymous");

    private static final Set<String> PROPERTIES =
            Set.of(CREDENTIALS, CREDENTIALS_FILE, CREDENTIALS_ENVIRONMENT_VARIABLE, PROJECT_ID, ENDPOINT, CHUNK_SIZE, LIST_PAGE_SIZE);

    private final Function<String, String> environment;

    public GcsStorageBackend() {
        this(System::getenv);
    }

    /** For tests: reads environment variables from {@code environment} instead of the process's. */
    GcsStorageBackend(Function<String, String> environment) {
        this.environment = requireNonNull(environment, "environment is null");
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * @throws IllegalArgumentException when a root is not a valid GCS location, or a property is unknown,
     *     malformed or missing
     * @throws StorageException of kind {@link StorageErrorKind#ACCESS_DENIED} when the credentials cannot
     *     be loaded
     */
    @Override
    public StorageFileSystem create(StorageProfile profile) {
        requireNonNull(profile, "profile is null");
        for (Location root : profile.roots()) {
            try {
                GcsLocation.of(root);
            }
            catch (StorageException exception) {
                throw new IllegalArgumentException("storage profile '%s' uses the gcs backend, but its root %s".formatted(profile.name(), exception.getMessage()), exception);
            }
        }
        ProfileProperties properties = new ProfileProperties(profile);
        properties.requireKnown(PROPERTIES);
        StorageOptions.Builder options = StorageOptions.http().setCredentials(credentials(profile, properties));
        properties.optionalString(PROJECT_ID).ifPresent(options::setProjectId);
        properties.httpUrl(ENDPOINT).ifPresent(endpoint -> options.setHost(endpoint.toString()));
        int chunkSize = (int) properties.size(CHUNK_SIZE, DEFAULT_CHUNK_SIZE, CHUNK_SIZE_GRANULARITY, MAXIMUM_CHUNK_SIZE);
        if (chunkSize % CHUNK_SIZE_GRANULARITY != 0) {
            throw properties.invalid(CHUNK_SIZE, "must be a multiple of 256KiB (%d bytes), not %d bytes".formatted(CHUNK_SIZE_GRANULARITY, chunkSize));
        }
        int listPageSize = properties.integer(LIST_PAGE_SIZE, MAXIMUM_LIST_PAGE_SIZE, 1, MAXIMUM_LIST_PAGE_SIZE);
        return new GcsFileSystem(profile, options.build().getService(), chunkSize, listPageSize);
    }

    private Credentials credentials(StorageProfile profile, ProfileProperties properties) {
        String source = properties.choice(CREDENTIALS, CREDENTIAL_SOURCES, "default");
        return switch (source) {
            case "default" -> {
                try {
                    yield GoogleCredentials.getApplicationDefault();
                }
                catch (IOException exception) {
                    throw new StorageException(StorageErrorKind.ACCESS_DENIED,
                            "storage profile '%s': no Application Default Credentials found (%s)".formatted(profile.name(), exception.getMessage()), exception);
                }
            }
            case "service-account-file" -> {
                Path file = Path.of(properties.string(CREDENTIALS_FILE, "by credentials=service-account-file"));
                try (InputStream stream = Files.newInputStream(file)) {
                    yield ServiceAccountCredentials.fromStream(stream);
                }
                catch (IOException exception) {
                    // The message of a parse failure could quote the key: name the file only.
                    throw new StorageException(StorageErrorKind.ACCESS_DENIED,
                            "storage profile '%s': cannot load the service-account key file '%s' (%s)".formatted(profile.name(), file, exception.getClass().getSimpleName()), exception);
                }
            }
            case "service-account-env" -> {
                String variable = properties.string(CREDENTIALS_ENVIRONMENT_VARIABLE, "by credentials=service-account-env");
                String json = environment.apply(variable);
                if (json == null || json.isBlank()) {
                    throw new StorageException(StorageErrorKind.ACCESS_DENIED,
                            "storage profile '%s': environment variable '%s' is not set".formatted(profile.name(), variable));
                }
                try {
                    yield ServiceAccountCredentials.fromStream(new ByteArrayInputStream(json.getBytes(UTF_8)));
                }
                catch (IOException exception) {
                    throw new StorageException(StorageErrorKind.ACCESS_DENIED,
                            "storage profile '%s': environment variable '%s' does not hold a service-account key JSON (%s)".formatted(profile.name(), variable, exception.getClass().getSimpleName()), exception);
                }
            }
            case "anonymous" -> NoCredentials.getInstance();
            default -> throw new IllegalStateException("credentials checked above: " + source);
        };
    }
}
