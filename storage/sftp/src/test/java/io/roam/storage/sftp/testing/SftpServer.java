package io.roam.storage.sftp.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.roam.storage.Location;
import io.roam.storage.StorageProfile;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.sshd.common.Property;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * A real SFTP server for tests: Apache MINA SSHD's {@link SshServer} with its SFTP subsystem, in this
 * JVM, on 127.0.0.1 and a free port, serving one directory of the local disk as {@code /}. One user,
 * {@value #USERNAME}, logs in with a generated password or a generated EC key; the host key is
 * generated too, and written to a known_hosts file. Starts in about 150 ms.
 *
 * <pre>{@code
 * try (SftpServer server = SftpServer.start(temporaryDirectory)) {
 *     StorageProfile profile = server.profile("sftp-test");
 *     Location root = server.location("");   // sftp://127.0.0.1:<port>/
 * }
 * }</pre>
 */
public final class SftpServer implements AutoCloseable {

    public static final String HOST = "127.0.0.1";
    public static final String USERNAME = "roam";

    private final SshServer server;
    private final Path rootDirectory;
    private final String password;
    private final KeyPair clientKey;
    private final PublicKey hostKey;
    private final Path passwordFile;
    private final Path privateKeyFile;
    private final Path knownHostsFile;
    private final AtomicLong readRequests;

    private SftpServer(SshServer server, Path rootDirectory, String password, KeyPair clientKey, PublicKey hostKey, Path clientDirectory,
            AtomicLong readRequests) throws IOException, GeneralSecurityException {
        this.server = server;
        this.readRequests = readRequests;
        this.rootDirectory = rootDirectory;
        this.password = password;
        this.clientKey = clientKey;
        this.hostKey = hostKey;
        this.passwordFile = Files.writeString(clientDirectory.resolve("password"), password + "\n", UTF_8);
        this.privateKeyFile = writePrivateKey(clientDirectory.resolve("id_ecdsa"), Optional.empty());
        this.knownHostsFile = writeKnownHosts(clientDirectory.resolve("known_hosts"), hostKey);
    }

    /**
     * Starts a server whose files live in {@code workDirectory/files}; the client's secrets and known_hosts
     * file go to {@code workDirectory/client}. The caller deletes the work directory after {@link #close()}.
     */
    public static SftpServer start(Path workDirectory) throws IOException, GeneralSecurityException {
        requireNonNull(workDirectory, "workDirectory is null");
        Path rootDirectory = Files.createDirectories(workDirectory.resolve("files"));
        Path clientDirectory = Files.createDirectories(workDirectory.resolve("client"));
        KeyPair hostKey = generateKeyPair();
        KeyPair clientKey = generateKeyPair();
        byte[] passwordBytes = new byte[16];
        new SecureRandom().nextBytes(passwordBytes);
        String password = HexFormat.of().formatHex(passwordBytes);

        SshServer server = SshServer.setUpDefaultServer();
        server.setHost(HOST);
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setFileSystemFactory(new VirtualFileSystemFactory(rootDirectory));
        SftpSubsystemFactory sftp = new SftpSubsystemFactory();
        AtomicLong readRequests = new AtomicLong();
        sftp.addSftpEventListener(new SftpEventListener() {
            @Override
            public void read(ServerSession session, String remoteHandle, FileHandle localHandle, long offset, byte[] data,
                    int dataOffset, int dataLength, int readLength, Throwable thrown) {
                readRequests.incrementAndGet();
            }
        });
        server.setSubsystemFactories(List.of(sftp));
        server.setPasswordAuthenticator((user, offered, session) -> USERNAME.equals(user) && password.equals(offered));
        server.setPublickeyAuthenticator((user, offered, session) -> USERNAME.equals(user) && KeyUtils.compareKeys(clientKey.getPublic(), offered));
        server.setKeyboardInteractiveAuthenticator(null);
        server.start();
        try {
            return new SftpServer(server, rootDirectory, password, clientKey, hostKey.getPublic(), clientDirectory, readRequests);
        }
        catch (IOException | GeneralSecurityException | RuntimeException exception) {
            server.stop(true);
            throw exception;
        }
    }

    /** A new EC P-256 key pair, such as an unknown host key or a key the server does not accept. */
    public static KeyPair generateKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return server.getPort();
    }

    public String username() {
        return USERNAME;
    }

    /** The password the server accepts; tests put it in the environment they give the backend. */
    public String password() {
        return password;
    }

    /** How many read requests (SSH_FXP_READ of a file) the server has answered since it started. */
    public long readRequests() {
        return readRequests.get();
    }

    /** The local directory the server serves as {@code /}: tests inspect and prepare it directly. */
    public Path rootDirectory() {
        return rootDirectory;
    }

    public Path passwordFile() {
        return passwordFile;
    }

    /** The unencrypted private key (OpenSSH format) the server accepts for {@link #USERNAME}. */
    public Path privateKeyFile() {
        return privateKeyFile;
    }

    /** A known_hosts file with the server's host key under {@code [127.0.0.1]:<port>}. */
    public Path knownHostsFile() {
        return knownHostsFile;
    }

    /** The host key's fingerprint as {@code ssh-keygen -lf} prints it: {@code SHA256:…}. */
    public String hostKeyFingerprint() {
        return KeyUtils.getFingerPrint(hostKey);
    }

    /** Writes the accepted private key in OpenSSH format, encrypted with the passphrase when one is given. */
    public Path writePrivateKey(Path file, Optional<String> passphrase) throws IOException, GeneralSecurityException {
        OpenSSHKeyEncryptionContext encryption = null;
        if (passphrase.isPresent()) {
            encryption = new OpenSSHKeyEncryptionContext();
            encryption.setCipherName(OpenSSHKeyEncryptionContext.AES);
            encryption.setCipherType("256");
            encryption.setPassword(passphrase.get());
        }
        try (OutputStream stream = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(clientKey, "roam-test", encryption, stream);
        }
        return file;
    }

    /** Writes a known_hosts file listing {@code key} as this server's host key. */
    public Path writeKnownHosts(Path file, PublicKey key) throws IOException {
        return Files.writeString(file, "[%s]:%d %s%n".formatted(HOST, port(), PublicKeyEntry.toString(key)), UTF_8);
    }

    /** {@code sftp://127.0.0.1:<port>/<path>}: the server's root directory for an empty path. */
    public Location location(String path) {
        return Location.parse("sftp://%s:%d/%s".formatted(HOST, port(), path));
    }

    /** Properties logging in as {@link #USERNAME} with the password file, checking the host key against the known_hosts file. */
    public Map<String, String> properties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("username", USERNAME);
        properties.put("credentials", "password-file");
        properties.put("password-file", passwordFile.toString());
        properties.put("known-hosts-file", knownHostsFile.toString());
        return properties;
    }

    /** A profile of the sftp backend serving the whole server ({@link #location location("")}) with {@link #properties()}. */
    public StorageProfile profile(String name) {
        return profile(name, properties());
    }

    public StorageProfile profile(String name, Map<String, String> properties) {
        return new StorageProfile(name, "sftp", List.of(location("")), Optional.empty(), Optional.empty(), properties);
    }

    /**
     * Sets a server property for the sessions opened from now on, for example
     * {@code SftpModuleProperties.SFTP_VERSION} to behave like a server that speaks only SFTP version 3.
     */
    public <T> void configure(Property<T> property, T value) {
        property.set(server, value);
    }

    /** Closes every client session at once, as a server restart or a dropped network would. */
    public void disconnectClients() {
        server.getActiveSessions().forEach(session -> session.close(true));
    }

    @Override
    public void close() {
        try {
            server.stop(true);
        }
        catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
    }
}
