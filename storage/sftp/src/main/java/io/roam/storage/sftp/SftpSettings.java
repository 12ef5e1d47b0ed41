package io.roam.storage.sftp;

import static java.util.Objects.requireNonNull;

import io.roam.storage.ProfileProperties;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.apache.sshd.common.cipher.BuiltinCiphers;

/**
 * The profile properties of the SFTP backend, parsed and checked once when the file system is created;
 * see {@link SftpStorageBackend} for what each means.
 *
 * @param hostKeyCheck how server host keys are verified
 * @param ciphers the cipher names to prefer, most preferred first; the client's other defaults follow them
 */
record SftpSettings(
        Optional<String> username,
        SftpCredentials credentials,
        HostKeyCheck hostKeyCheck,
        Duration connectTimeout,
        List<String> ciphers,
        int maximumSessions,
        int maximumChannelsPerSession,
        Duration channelWaitTimeout,
        int bufferSize) {

    static final String USERNAME = "username";
    static final String CREDENTIALS = "credentials";
    static final String PASSWORD_ENV = "password-env";
    static final String PASSWORD_FILE = "password-file";
    static final String PRIVATE_KEY_FILE = "private-key-file";
    static final String PRIVATE_KEY_PASSPHRASE_ENV = "private-key-passphrase-env";
    static final String KNOWN_HOSTS_FILE = "known-hosts-file";
    static final String HOST_KEY_FINGERPRINT = "host-key-fingerprint";
    static final String STRICT_HOST_KEY_CHECKING = "strict-host-key-checking";
    static final String CONNECT_TIMEOUT = "connect-timeout";
    static final String CIPHER = "cipher";
    static final String MAXIMUM_SESSIONS = "max-sessions";
    static final String MAXIMUM_CHANNELS_PER_SESSION = "max-channels-per-session";
    static final String CHANNEL_WAIT_TIMEOUT = "channel-wait-timeout";
    static final String BUFFER_SIZE = "buffer-size";

    private static final Set<String> KEYS = Set.of(USERNAME, CREDENTIALS, PASSWORD_ENV, PASSWORD_FILE, PRIVATE_KEY_FILE, PRIVATE_KEY_PASSPHRASE_ENV,
            KNOWN_HOSTS_FILE, HOST_KEY_FINGERPRINT, STRICT_HOST_KEY_CHECKING, CONNECT_TIMEOUT, CIPHER, MAXIMUM_SESSIONS,
            MAXIMUM_CHANNELS_PER_SESSION, CHANNEL_WAIT_TIMEOUT, BUFFER_SIZE);

    /** About twice as fast as the client's default (chacha20-poly1305) where AES instructions exist. */
    static final String DEFAULT_CIPHER = BuiltinCiphers.aes128gcm.getName();
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    static final int DEFAULT_MAXIMUM_SESSIONS = 4;
    /** Below OpenSSH's default {@code MaxSessions 10}, which caps the channels of one connection. */
    static final int DEFAULT_MAXIMUM_CHANNELS_PER_SESSION = 8;
    static final Duration DEFAULT_CHANNEL_WAIT_TIMEOUT = Duration.ofMinutes(10);
    static final int DEFAULT_BUFFER_SIZE = 64 * 1024;
    /** SFTP servers refuse larger requests: OpenSSH caps a packet at 256 KiB, headers included. */
    static final int MAXIMUM_BUFFER_SIZE = 255 * 1024;
    static final int MINIMUM_BUFFER_SIZE = 4 * 1024;

    SftpSettings {
        requireNonNull(username, "username is null");
        requireNonNull(credentials, "credentials is null");
        requireNonNull(hostKeyCheck, "hostKeyCheck is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(channelWaitTimeout, "channelWaitTimeout is null");
        ciphers = List.copyOf(ciphers);
    }

    /** How the server's host key is verified. */
    sealed interface HostKeyCheck {

        /** The key must be listed for the host (as {@code host} or {@code [host]:port}) in an OpenSSH known_hosts file. */
        record KnownHostsFile(Path file) implements HostKeyCheck {
            public KnownHostsFile {
                requireNonNull(file, "file is null");
            }
        }

        /** The key must have one of these fingerprints, as {@code ssh-keygen -lf} prints them ({@code SHA256:…}). */
        record Fingerprints(List<String> fingerprints) implements HostKeyCheck {
            public Fingerprints {
                fingerprints = List.copyOf(fingerprints);
            }
        }

        /** Any key is accepted: open to man-in-the-middle attacks. Only with {@code strict-host-key-checking=false}. */
        record AcceptAny() implements HostKeyCheck {}
    }

    /**
     * @param environment reads environment variables; the names of those holding secrets come from the properties
     * @throws IllegalArgumentException naming the property at fault when the properties are incomplete or malformed
     */
    static SftpSettings parse(String profileName, Map<String, String> properties, Function<String, String> environment) {
        requireNonNull(profileName, "profileName is null");
        requireNonNull(properties, "properties is null");
        requireNonNull(environment, "environment is null");
        ProfileProperties reader = new ProfileProperties(profileName, SftpStorageBackend.NAME, properties);
        reader.requireKnown(KEYS);
        return new SftpSettings(
                reader.optionalString(USERNAME),
                credentials(reader, environment),
                hostKeyCheck(reader),
                reader.duration(CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT),
                ciphers(reader),
                reader.integer(MAXIMUM_SESSIONS, DEFAULT_MAXIMUM_SESSIONS, 1, 64),
                reader.integer(MAXIMUM_CHANNELS_PER_SESSION, DEFAULT_MAXIMUM_CHANNELS_PER_SESSION, 1, 64),
                reader.duration(CHANNEL_WAIT_TIMEOUT, DEFAULT_CHANNEL_WAIT_TIMEOUT),
                reader.integer(BUFFER_SIZE, DEFAULT_BUFFER_SIZE, MINIMUM_BUFFER_SIZE, MAXIMUM_BUFFER_SIZE));
    }

    private static SftpCredentials credentials(ProfileProperties reader, Function<String, String> environment) {
        String kind = reader.choice(CREDENTIALS, List.of(PASSWORD_ENV, PASSWORD_FILE, PRIVATE_KEY_FILE));
        for (String key : List.of(PASSWORD_ENV, PASSWORD_FILE, PRIVATE_KEY_FILE)) {
            if (!key.equals(kind) && reader.isSet(key)) {
                throw reader.invalid(key, "is set, but '%s' is '%s'".formatted(CREDENTIALS, kind));
            }
        }
        if (!kind.equals(PRIVATE_KEY_FILE) && reader.isSet(PRIVATE_KEY_PASSPHRASE_ENV)) {
            throw reader.invalid(PRIVATE_KEY_PASSPHRASE_ENV, "is set, but '%s' is '%s'".formatted(CREDENTIALS, kind));
        }
        return switch (kind) {
            case PASSWORD_ENV -> new SftpCredentials.PasswordFromEnvironment(reader.environmentVariableName(PASSWORD_ENV, environment), environment);
            case PASSWORD_FILE -> new SftpCredentials.PasswordFromFile(reader.readableFile(PASSWORD_FILE));
            case PRIVATE_KEY_FILE -> new SftpCredentials.PrivateKeyFile(
                    reader.readableFile(PRIVATE_KEY_FILE),
                    reader.optionalString(PRIVATE_KEY_PASSPHRASE_ENV).map(ignored -> reader.environmentVariableName(PRIVATE_KEY_PASSPHRASE_ENV, environment)),
                    environment);
            default -> throw new IllegalStateException("unchecked credentials kind: " + kind);
        };
    }

    private static HostKeyCheck hostKeyCheck(ProfileProperties reader) {
        Optional<String> knownHostsFile = reader.optionalString(KNOWN_HOSTS_FILE);
        Optional<String> fingerprints = reader.optionalString(HOST_KEY_FINGERPRINT);
        boolean strict = reader.bool(STRICT_HOST_KEY_CHECKING, true);
        if (knownHostsFile.isPresent() && fingerprints.isPresent()) {
            throw reader.invalid(HOST_KEY_FINGERPRINT, "is set together with '%s': choose one".formatted(KNOWN_HOSTS_FILE));
        }
        if (!strict) {
            if (knownHostsFile.isPresent() || fingerprints.isPresent()) {
                throw reader.invalid(STRICT_HOST_KEY_CHECKING, "is false, which accepts any host key, but a host key check is configured");
            }
            return new HostKeyCheck.AcceptAny();
        }
        if (knownHostsFile.isPresent()) {
            return new HostKeyCheck.KnownHostsFile(reader.readableFile(KNOWN_HOSTS_FILE));
        }
        return new HostKeyCheck.Fingerprints(fingerprints
                .map(value -> Arrays.stream(value.split(",")).map(String::strip).filter(fingerprint -> !fingerprint.isEmpty()).toList())
                .filter(list -> !list.isEmpty())
                .orElseThrow(() -> reader.invalid(KNOWN_HOSTS_FILE, "is missing: unknown host keys are refused, so set '%s' or '%s' (or, unsafely, '%s=false')"
                        .formatted(KNOWN_HOSTS_FILE, HOST_KEY_FINGERPRINT, STRICT_HOST_KEY_CHECKING))));
    }

    private static List<String> ciphers(ProfileProperties reader) {
        List<String> names = Arrays.stream(reader.optionalString(CIPHER).orElse(DEFAULT_CIPHER).split(","))
                .map(String::strip)
                .filter(name -> !name.isEmpty())
                .toList();
        for (String name : names) {
            BuiltinCiphers cipher = BuiltinCiphers.fromFactoryName(name);
            if (cipher == null || !cipher.isSupported() || cipher == BuiltinCiphers.none) {
                throw reader.invalid(CIPHER, "names '%s', which this client does not support; supported: %s".formatted(name,
                        BuiltinCiphers.VALUES.stream().filter(BuiltinCiphers::isSupported).filter(value -> value != BuiltinCiphers.none).map(BuiltinCiphers::getName).sorted().toList()));
            }
        }
        return names;
    }
}
