package io.roam.storage.sftp;

import static java.util.Objects.requireNonNull;

import io.roam.storage.StorageBackend;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageProfile;

import java.util.function.Function;

/**
 * SFTP servers (OpenSSH and others), reached through the Apache MINA SSHD client.
 *
 * <p>Locations: {@code sftp://[user@]host[:port]/absolute/path}; the port defaults to 22, and the path
 * is absolute on the server. The profile's roots bind the servers it may reach: a location whose user,
 * host, port or path lies outside every root is refused as invalid.
 *
 * <p>Profile properties ({@code roam.storage.profiles.<name>.properties.<key>}). No property holds a
 * secret: secrets are read from the environment variable or file a property names.
 * <ul>
 *   <li>{@code username}: the user for roots that name none ({@code sftp://host/…}).</li>
 *   <li>{@code credentials} (required): {@code password-env}, {@code password-file} or
 *       {@code private-key-file}; the property of that name then says where the secret is:
 *     <ul>
 *       <li>{@code password-env}: the name of an environment variable holding the password;</li>
 *       <li>{@code password-file}: the path of a file holding the password (one trailing line break ignored);</li>
 *       <li>{@code private-key-file}: the path of a private key (OpenSSH or PEM format), with
 *           {@code private-key-passphrase-env} naming the environment variable holding its passphrase
 *           when it is encrypted.</li>
 *     </ul>
 *     Secret files are read again for every new session, so a rotated secret is picked up.</li>
 *   <li>{@code known-hosts-file}: an OpenSSH known_hosts file listing the servers' host keys (as
 *       {@code host} or {@code [host]:port}); or</li>
 *   <li>{@code host-key-fingerprint}: the accepted host key fingerprints, comma-separated, as
 *       {@code ssh-keygen -lf} prints them ({@code SHA256:…}). One of the two is required: unknown
 *       and changed host keys are refused.</li>
 *   <li>{@code strict-host-key-checking} (default {@code true}): {@code false} accepts any host key
 *       instead. UNSAFE: anyone on the network path can then impersonate the server and receive the
 *       password and the data. For throwaway test servers only.</li>
 *   <li>{@code connect-timeout} (default {@code 30s}): for connecting, authenticating and opening a
 *       channel; {@code 500ms}, {@code 30s}, {@code 2m} or ISO-8601 ({@code PT30S}).</li>
 *   <li>{@code cipher} (default {@code aes128-gcm@openssh.com}): the ciphers to prefer, comma-separated,
 *       most preferred first; the client's other ciphers follow them, so a server without these still
 *       connects. AES-GCM is about twice as fast as the client's default chacha20-poly1305 on CPUs with
 *       AES instructions.</li>
 *   <li>{@code max-sessions} (default 4): the SSH connections per server and account.</li>
 *   <li>{@code max-channels-per-session} (default 8): SFTP channels per connection; every open stream
 *       and every running operation holds one. Keep it at most the server's limit (OpenSSH
 *       {@code MaxSessions}, 10 by default).</li>
 *   <li>{@code channel-wait-timeout} (default {@code 10m}): how long an operation waits for a free
 *       channel when all are busy before failing as transient.</li>
 *   <li>{@code buffer-size} (default 65536, 4096 to 261120): the bytes of each SFTP read or write
 *       request. A write stream buffers one request; a read stream keeps up to one channel window
 *       (2 MiB) of read-ahead replies.</li>
 * </ul>
 *
 * <p>Example:
 * <pre>{@code
 * roam.storage.profiles.lab-nas.backend=sftp
 * roam.storage.profiles.lab-nas.roots=sftp://nas.lab.internal/srv/datasets/
 * roam.storage.profiles.lab-nas.properties.username=roam
 * roam.storage.profiles.lab-nas.properties.credentials=private-key-file
 * roam.storage.profiles.lab-nas.properties.private-key-file=/var/run/secrets/roam/sftp/id_ed25519
 * roam.storage.profiles.lab-nas.properties.known-hosts-file=/var/run/secrets/roam/sftp/known_hosts
 * }</pre>
 */
public final class SftpStorageBackend implements StorageBackend {

    public static final String NAME = "sftp";

    private final Function<String, String> environment;

    public SftpStorageBackend() {
        this(System::getenv);
    }

    /** Reads the environment variables that credentials properties name through {@code environment}. */
    SftpStorageBackend(Function<String, String> environment) {
        this.environment = requireNonNull(environment, "environment is null");
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Checks the profile and starts the SSH client; sessions are opened on first use.
     *
     * @throws IllegalArgumentException when a root is not an {@code sftp://} location or names no user
     *     while {@code username} is unset, or a property is missing, unknown or malformed (an environment
     *     variable or a file it names is missing, for example)
     */
    @Override
    public StorageFileSystem create(StorageProfile profile) {
        requireNonNull(profile, "profile is null");
        return new SftpFileSystem(profile, SftpSettings.parse(profile.name(), profile.properties(), environment));
    }
}
