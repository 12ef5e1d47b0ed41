package io.roam.storage.azure;

import static java.util.Objects.requireNonNull;

import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import io.roam.storage.Location;
import io.roam.storage.StorageException;
import io.roam.storage.StorageProfile;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
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

    private static final int MEBIBYTE = 1024 * 1024;
    static final int DEFAULT_BLOCK_SIZE = 8 * MEBIBYTE;
    static final int DEFAULT_UPLOAD_CONCURRENCY = 2;
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
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,13})\\s*(|B|KiB|MiB|GiB)");

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
        Properties properties = new Properties(profile);
        properties.refuseUnknownKeys();

        String account = properties.required(ACCOUNT);
        if (!ACCOUNT_NAME.matcher(account).matches()) {
            throw properties.invalid(ACCOUNT, "a storage account name has 3 to 24 lowercase letters and digits");
        }
        for (Location root : profile.roots()) {
            try {
                AzureLocation.of(root, account);
            }
            catch (StorageException exception) {
                throw new IllegalArgumentException("storage profile '%s': %s".formatted(profile.name(), exception.getMessage()), exception);
            }
        }

        String kind = properties.optional(CREDENTIALS).orElse(DEFAULT_CREDENTIALS);
        if (!kind.equals(DEFAULT_CREDENTIALS) && !SECRETS.contains(kind)) {
            throw properties.invalid(CREDENTIALS, "expected one of default, account-key, sas-token, connection-string");
        }
        for (String secret : SECRETS) {
            for (String key : List.of(secret + "-env", secret + "-file")) {
                if (!secret.equals(kind) && properties.optional(key).isPresent()) {
                    throw properties.invalid(key, "it is only read with %s=%s, not %s".formatted(CREDENTIALS, secret, kind));
                }
            }
        }
        if (!kind.equals(DEFAULT_CREDENTIALS) && properties.optional(CLIENT_ID).isPresent()) {
            throw properties.invalid(CLIENT_ID, "it selects a managed or workload identity, used only with %s=%s".formatted(CREDENTIALS, DEFAULT_CREDENTIALS));
        }
        AzureCredentials credentials = switch (kind) {
            case DEFAULT_CREDENTIALS -> {
                DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder();
                properties.optional(CLIENT_ID).ifPresent(clientId -> builder.managedIdentityClientId(clientId).workloadIdentityClientId(clientId));
                yield new AzureCredentials.Token(builder.build());
            }
            case "account-key" -> new AzureCredentials.AccountKey(new StorageSharedKeyCredential(account, accountKey(properties, environment)));
            case "sas-token" -> new AzureCredentials.SharedAccessSignature(properties.secret("sas-token", environment));
            case "connection-string" -> connectionString(properties, environment, account);
            default -> throw new IllegalStateException("credentials checked above: " + kind);
        };

        Optional<String> endpoint = properties.optional(ENDPOINT).map(value -> checkEndpoint(properties, value));
        if (endpoint.isEmpty() && !(credentials instanceof AzureCredentials.ConnectionString)) {
            endpoint = Optional.of("https://%s.blob.core.windows.net".formatted(account));
        }

        return new AzureSettings(
                account,
                endpoint,
                credentials,
                (int) properties.size(BLOCK_SIZE, DEFAULT_BLOCK_SIZE, MINIMUM_BLOCK_SIZE, MAXIMUM_BLOCK_SIZE),
                (int) properties.number(UPLOAD_CONCURRENCY, DEFAULT_UPLOAD_CONCURRENCY, 1, MAXIMUM_UPLOAD_CONCURRENCY),
                properties.size(COPY_BLOCK_SIZE, DEFAULT_COPY_BLOCK_SIZE, MINIMUM_BLOCK_SIZE, MAXIMUM_COPY_BLOCK_SIZE),
                (int) properties.number(LIST_PAGE_SIZE, DEFAULT_LIST_PAGE_SIZE, 1, MAXIMUM_LIST_PAGE_SIZE));
    }

    private static String accountKey(Properties properties, UnaryOperator<String> environment) {
        String key = properties.secret("account-key", environment);
        try {
            Base64.getDecoder().decode(key);
        }
        catch (IllegalArgumentException exception) {
            // Not chained: the decoder's message may quote the offending characters.
            throw properties.invalid(properties.secretSource("account-key"), "the account key it holds is not Base64");
        }
        return key;
    }

    private static AzureCredentials connectionString(Properties properties, UnaryOperator<String> environment, String account) {
        String value = properties.secret("connection-string", environment);
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
            throw properties.invalid(source, "the connection string it holds is for account '%s', not '%s'".formatted(accountName, account));
        }
        Optional<String> signature = Optional.ofNullable(settings.get("sharedaccesssignature"));
        if (signature.isEmpty() && !settings.containsKey("accountkey")) {
            throw properties.invalid(source, "the connection string it holds has neither an AccountKey nor a SharedAccessSignature");
        }
        if (accountName == null && properties.optional(ENDPOINT).isEmpty() && !settings.containsKey("blobendpoint")) {
            throw properties.invalid(source, "the connection string it holds names neither AccountName nor BlobEndpoint");
        }
        return new AzureCredentials.ConnectionString(value, signature.map(token -> token.startsWith("?") ? token.substring(1) : token));
    }

    /** A blob endpoint URL; a query is refused because it would put a SAS, a secret, in a property. */
    private static String checkEndpoint(Properties properties, String value) {
        try {
            URI uri = new URI(value);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw properties.invalid(ENDPOINT, "expected an http(s) URL such as https://account.blob.core.windows.net");
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw properties.invalid(ENDPOINT, "it must not carry a query, fragment or user; give a SAS with credentials=sas-token");
            }
            return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        }
        catch (URISyntaxException exception) {
            throw properties.invalid(ENDPOINT, "it is not a URL");
        }
    }

    /** A profile's properties, read with error messages that name the profile and the key. */
    private record Properties(StorageProfile profile) {

        private static final Set<String> KNOWN_KEYS = knownKeys();

        private static Set<String> knownKeys() {
            Set<String> keys = new TreeSet<>(List.of(ACCOUNT, ENDPOINT, CREDENTIALS, CLIENT_ID, BLOCK_SIZE, UPLOAD_CONCURRENCY, COPY_BLOCK_SIZE, LIST_PAGE_SIZE));
            for (String secret : SECRETS) {
                keys.add(secret + "-env");
                keys.add(secret + "-file");
            }
            return keys;
        }

        void refuseUnknownKeys() {
            for (String key : profile.properties().keySet()) {
                if (!KNOWN_KEYS.contains(key)) {
                    throw new IllegalArgumentException("storage profile '%s' has unknown property '%s'; the Azure backend knows %s"
                            .formatted(profile.name(), key, String.join(", ", KNOWN_KEYS)));
                }
            }
        }

        Optional<String> optional(String key) {
            return Optional.ofNullable(profile.properties().get(key)).map(String::strip).filter(value -> !value.isEmpty());
        }

        String required(String key) {
            return optional(key).orElseThrow(() -> new IllegalArgumentException(
                    "storage profile '%s' needs property '%s' for the Azure backend".formatted(profile.name(), key)));
        }

        /** Which of {@code <name>-env} and {@code <name>-file} is set: exactly one must be. */
        String secretSource(String name) {
            boolean fromEnvironment = optional(name + "-env").isPresent();
            boolean fromFile = optional(name + "-file").isPresent();
            if (fromEnvironment == fromFile) {
                throw new IllegalArgumentException("storage profile '%s' has %s=%s and needs exactly one of '%s-env' (an environment variable's name) and '%s-file' (a secret file's path)"
                        .formatted(profile.name(), CREDENTIALS, name, name, name));
            }
            return fromEnvironment ? name + "-env" : name + "-file";
        }

        /** Reads a secret from the environment variable or file that the properties name; never quotes it. */
        String secret(String name, UnaryOperator<String> environment) {
            String source = secretSource(name);
            String reference = required(source);
            String value;
            if (source.endsWith("-env")) {
                value = environment.apply(reference);
                if (value == null || value.isBlank()) {
                    throw invalid(source, "environment variable '%s' is not set or empty".formatted(reference));
                }
            }
            else {
                try {
                    value = Files.readString(Path.of(reference));
                }
                catch (IOException | RuntimeException exception) {
                    throw invalid(source, "cannot read secret file '%s' (%s)".formatted(reference, exception.getClass().getSimpleName()));
                }
                if (value.isBlank()) {
                    throw invalid(source, "secret file '%s' is empty".formatted(reference));
                }
            }
            // Mounted secrets and editors add a final newline.
            return value.strip();
        }

        long size(String key, long defaultValue, long minimum, long maximum) {
            Optional<String> text = optional(key);
            if (text.isEmpty()) {
                return defaultValue;
            }
            Matcher matcher = SIZE.matcher(text.get());
            if (!matcher.matches()) {
                throw invalid(key, "expected a size in bytes, optionally with a unit: 8388608, 512KiB, 8MiB, 1GiB");
            }
            long multiplier = switch (matcher.group(2)) {
                case "KiB" -> 1024L;
                case "MiB" -> 1024L * 1024;
                case "GiB" -> 1024L * 1024 * 1024;
                default -> 1L;
            };
            long value = Long.parseLong(matcher.group(1)) * multiplier;
            if (value < minimum || value > maximum) {
                throw invalid(key, "expected between %d and %d bytes".formatted(minimum, maximum));
            }
            return value;
        }

        long number(String key, long defaultValue, long minimum, long maximum) {
            Optional<String> text = optional(key);
            if (text.isEmpty()) {
                return defaultValue;
            }
            try {
                long value = Long.parseLong(text.get());
                if (value >= minimum && value <= maximum) {
                    return value;
                }
            }
            catch (NumberFormatException ignored) {
                // Reported below, with the range.
            }
            throw invalid(key, "expected a whole number from %d to %d".formatted(minimum, maximum));
        }

        IllegalArgumentException invalid(String key, String problem) {
            return new IllegalArgumentException("storage profile '%s' has an invalid '%s': %s".formatted(profile.name(), key, problem));
        }
    }
}
