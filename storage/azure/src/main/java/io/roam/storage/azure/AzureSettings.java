package io.roam.storage.azure;

import static java.util.Objects.requireNonNull;

import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import io.roam.storage.Location;
import io.roam.storage.ProfileProperties;
import io.roam.storage.StorageException;
import io.roam.storage.StorageProfile;

import java.net.URI;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The settings of one Azure storage profile, read and checked from its properties; {@link
 * AzureStorageBackend} documents every key. Secrets are read here, once, from the environment variable or
 * file the properties name; failures name the property and the variable or file, never the secret.
 *
 * @param account the storage account's name
 * @param endpoint the blob endpoint, or empty when a connection string names it
 * @param credentials how requests are authorised
 * @param blockSize the size of the blocks a write stages, and of the buffers it holds
 * @param uploadConcurrency how many blocks of one write are staged at the same time
 * @param copyBlockSize the size of the blocks a server-side copy stages from the source
 * @param listPageSize how many blobs one listing request returns at most
 */
record AzureSettings(
        String account,
        Optional<String> endpoint,
        AzureCredentials credentials,
        int blockSize,
        int uploadConcurrency,
        long copyBlockSize,
        int listPageSize) {

    static final String ACCOUNT = "account";
    static final String ENDPOINT = "endpoint";
    static final String CREDENTIALS = "credentials";
    static final String CLIENT_ID = "client-id";
    static final String BLOCK_SIZE = "block-size";
    static final String UPLOAD_CONCURRENCY = "upload-concurrency";
    static final String COPY_BLOCK_SIZE = "copy-block-size";
    static final String LIST_PAGE_SIZE = "list-page-size";

    /** The values of {@value #CREDENTIALS} that read a secret, each from {@code <value>-env} or {@code <value>-file}. */
    private static final List<String> SECRETS = List.of("account-key", "sas-token", "connection-string");
    private static final String DEFAULT_CREDENTIALS = "default";
    private static final List<String> CREDENTIAL_KINDS = List.of(DEFAULT_CREDENTIALS, "account-key", "sas-token", "connection-string");
    private static final Set<String> KNOWN_KEYS = knownKeys();

    private static final int MEBIBYTE = 1024 * 1024;
    static final int DEFAULT_BLOCK_SIZE = 8 * MEBIBYTE;
    static final int DEFAULT_UPLOAD_CONCURRENCY = 4;
    static final long DEFAULT_COPY_BLOCK_SIZE = 256L * MEBIBYTE;
    static final int DEFAULT_LIST_PAGE_SIZE = 1000;
    private static final long MINIMUM_BLOCK_SIZE = 64 * 1024;
    /** Write blocks are byte arrays. */
    private static final long MAXIMUM_BLOCK_SIZE = 1024L * MEBIBYTE;
    /** The service's limit for Put Block From URL. */
    private static final long MAXIMUM_COPY_BLOCK_SIZE = 4000L * MEBIBYTE;
    private static final int MAXIMUM_UPLOAD_CONCURRENCY = 16;
    private static final int MAXIMUM_LIST_PAGE_SIZE = 5000;

    private static final Pattern ACCOUNT_NAME = Pattern.compile("[a-z0-9]{3,24}");

    private static Set<String> knownKeys() {
        Set<String> keys = new TreeSet<>(List.of(ACCOUNT, ENDPOINT, CREDENTIALS, CLIENT_ID, BLOCK_SIZE, UPLOAD_CONCURRENCY, COPY_BLOCK_SIZE, LIST_PAGE_SIZE));
        for (String secret : SECRETS) {
            keys.add(secret + "-env");
            keys.add(secret + "-file");
        }
        return Set.copyOf(keys);
    }

    AzureSettings {
        requireNonNull(account, "account is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(credentials, "credentials is null");
    }

    /**
     * Reads a profile's settings.
     *
     * @param environment looks up an environment variable, null when it is not set
     * @throws IllegalArgumentException when a property is missing, unknown or invalid, a secret cannot be
     *     read, or a root is not an Azure location of the account
     */
    static AzureSettings from(StorageProfile profile, UnaryOperator<String> environment) {
        requireNonNull(profile, "profile is null");
        requireNonNull(environment, "environment is null");
        ProfileProperties properties = new ProfileProperties(profile);
        properties.requireKnown(KNOWN_KEYS);

        String account = properties.string(ACCOUNT);
        if (!ACCOUNT_NAME.matcher(account).matches()) {
            throw properties.invalid(ACCOUNT, "is '%s', but a storage account name has 3 to 24 lowercase letters and digits".formatted(account));
        }
        for (Location root : profile.roots()) {
            try {
                AzureLocation.of(root, account);
            }
            catch (StorageException exception) {
                throw new IllegalArgumentException("storage profile '%s': %s".formatted(profile.name(), exception.getMessage()), exception);
            }
        }

        String kind = properties.choice(CREDENTIALS, CREDENTIAL_KINDS, DEFAULT_CREDENTIALS);
        for (String secret : SECRETS) {
            for (String key : List.of(secret + "-env", secret + "-file")) {
                if (!secret.equals(kind) && properties.isSet(key)) {
                    throw properties.invalid(key, "is only read with %s=%s, not %s".formatted(CREDENTIALS, secret, kind));
                }
            }
        }
        if (!kind.equals(DEFAULT_CREDENTIALS) && properties.isSet(CLIENT_ID)) {
            throw properties.invalid(CLIENT_ID, "selects a managed or workload identity, used only with %s=%s".formatted(CREDENTIALS, DEFAULT_CREDENTIALS));
        }
        AzureCredentials credentials = switch (kind) {
            case DEFAULT_CREDENTIALS -> {
                DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder();
                properties.optionalString(CLIENT_ID).ifPresent(clientId -> builder.managedIdentityClientId(clientId).workloadIdentityClientId(clientId));
                yield new AzureCredentials.Token(builder.build());
            }
            case "account-key" -> new AzureCredentials.AccountKey(new StorageSharedKeyCredential(account, accountKey(properties, environment)));
            case "sas-token" -> new AzureCredentials.SharedAccessSignature(properties.secretFromEnvironmentOrFile("sas-token", environment));
            case "connection-string" -> connectionString(properties, environment, account);
            default -> throw new IllegalStateException("credentials checked above: " + kind);
        };

        Optional<String> endpoint = properties.httpUrl(ENDPOINT).map(AzureSettings::withoutTrailingSlash);
        if (endpoint.isEmpty() && !(credentials instanceof AzureCredentials.ConnectionString)) {
            endpoint = Optional.of("https://%s.blob.core.windows.net".formatted(account));
        }

        return new AzureSettings(
                account,
                endpoint,
                credentials,
                (int) properties.size(BLOCK_SIZE, DEFAULT_BLOCK_SIZE, MINIMUM_BLOCK_SIZE, MAXIMUM_BLOCK_SIZE),
                properties.integer(UPLOAD_CONCURRENCY, DEFAULT_UPLOAD_CONCURRENCY, 1, MAXIMUM_UPLOAD_CONCURRENCY),
                properties.size(COPY_BLOCK_SIZE, DEFAULT_COPY_BLOCK_SIZE, MINIMUM_BLOCK_SIZE, MAXIMUM_COPY_BLOCK_SIZE),
                properties.integer(LIST_PAGE_SIZE, DEFAULT_LIST_PAGE_SIZE, 1, MAXIMUM_LIST_PAGE_SIZE));
    }

    private static String accountKey(ProfileProperties properties, UnaryOperator<String> environment) {
        String key = properties.secretFromEnvironmentOrFile("account-key", environment);
        try {
            Base64.getDecoder().decode(key);
        }
        catch (IllegalArgumentException exception) {
            // Not chained: the decoder's message may quote the offending characters.
            throw properties.invalid(properties.secretSource("account-key"), "the account key it names is not Base64");
        }
        return key;
    }

    private static AzureCredentials connectionString(ProfileProperties properties, UnaryOperator<String> environment, String account) {
        String value = properties.secretFromEnvironmentOrFile("connection-string", environment);
        Map<String, String> settings = new HashMap<>();
        for (String setting : value.split(";")) {
            int equals = setting.indexOf('=');
            if (equals > 0) {
                settings.put(setting.substring(0, equals).strip().toLowerCase(Locale.ROOT), setting.substring(equals + 1).strip());
            }
        }
        String source = properties.secretSource("connection-string");
        String accountName = settings.get("accountname");
        if (accountName != null && !accountName.equals(account)) {
            throw properties.invalid(source, "the connection string it names is for account '%s', not '%s'".formatted(accountName, account));
        }
        Optional<String> signature = Optional.ofNullable(settings.get("sharedaccesssignature"));
        if (signature.isEmpty() && !settings.containsKey("accountkey")) {
            throw properties.invalid(source, "the connection string it names has neither an AccountKey nor a SharedAccessSignature");
        }
        if (accountName == null && !properties.isSet(ENDPOINT) && !settings.containsKey("blobendpoint")) {
            throw properties.invalid(source, "the connection string it names has neither AccountName nor BlobEndpoint");
        }
        return new AzureCredentials.ConnectionString(value, signature.map(token -> token.startsWith("?") ? token.substring(1) : token));
    }

    /** The endpoint as the client wants it; {@link ProfileProperties#httpUrl} refuses a query, which would put a SAS, a secret, in a property. */
    private static String withoutTrailingSlash(URI endpoint) {
        String value = endpoint.toString();
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }
}
