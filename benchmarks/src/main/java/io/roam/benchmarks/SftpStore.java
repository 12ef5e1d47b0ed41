package io.roam.benchmarks;

import static java.util.Objects.requireNonNull;

import io.roam.storage.sftp.testing.SftpServer;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.CloseableHandle;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHLimitsExtension;
import org.apache.sshd.sftp.client.impl.AbstractSftpClient;
import org.apache.sshd.sftp.client.impl.SftpInputStreamAsync;

/**
 * The SFTP server, read through Apache MINA SSHD's SFTP client: one SSH connection per reader, with the
 * AES-GCM cipher Roam prefers, and the client's pipelined (read-ahead) stream. Source datasets are put
 * on the server's disk directly.
 */
final class SftpStore implements ReadableStore, AutoCloseable {

    /** Roam's default; less when the server says it answers reads with less (see {@link #requestSize}). */
    private static final int REQUEST_SIZE = 65536;

    private final SftpServer server;
    /** Null until the first read has asked the server (see {@link #requestSize}). */
    private volatile Integer requestSize;
    private final SshClient client;
    /** Every connection opened, to close them all at the end. */
    private final List<ClientSession> sessions = new ArrayList<>();
    private final BlockingQueue<SftpClient> idleClients = new LinkedBlockingQueue<>();

    /** @param connections how many readers may read at once, each on its own connection */
    SftpStore(SftpServer server, int connections) throws IOException {
        this.server = requireNonNull(server, "server is null");
        client = SshClient.setUpDefaultClient();
        // The benchmark's own loopback server, whose host key was generated a moment ago.
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        List<NamedFactory<Cipher>> ciphers = new ArrayList<>(List.of(BuiltinCiphers.aes128gcm));
        client.getCipherFactories().stream().filter(cipher -> !cipher.getName().equals(BuiltinCiphers.aes128gcm.getName())).forEach(ciphers::add);
        client.setCipherFactories(ciphers);
        // As Roam's SFTP backend and Go's TCP connections (rclone): no Nagle delay between requests.
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        client.start();
        try {
            for (int index = 0; index < connections; index++) {
                idleClients.add(connect());
            }
        }
        catch (IOException | RuntimeException failure) {
            close();
            throw failure;
        }
    }

    /** A new SSH connection with one SFTP channel. */
    private SftpClient connect() throws IOException {
        ClientSession session = client.connect(server.username(), server.host(), server.port()).verify().getSession();
        synchronized (sessions) {
            sessions.add(session);
        }
        session.addPasswordIdentity(server.password());
        session.auth().verify();
        return SftpClientFactory.instance().createSftpClient(session);
    }

    @Override
    public String name() {
        return "SFTP";
    }

    @Override
    public String roamLocation(String directory) {
        return "sftp://%s:%d/%s".formatted(server.host(), server.port(), directory);
    }

    @Override
    public String rcloneLocation(String directory) {
        return "sftp:/" + directory;
    }

    /** Copies a local directory tree onto the server's disk as {@code directory}. */
    void populate(Path localDirectory, String directory) throws IOException {
        Path target = server.rootDirectory().resolve(directory);
        try (Stream<Path> files = Files.walk(localDirectory)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path copy = target.resolve(localDirectory.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy);
            }
        }
    }

    void delete(String directory) throws IOException {
        LocalStore.deleteRecursively(server.rootDirectory().resolve(directory));
    }

    /**
     * A read request the server answers whole, as Roam's backend sends them: a request answered short (MINA's
     * server sends at most 63 KiB) makes the client fetch the rest with a request it waits for. Asked once, as
     * Roam does, so that no measured read pays for the question.
     */
    private int requestSize(SftpClient sftp) throws IOException {
        Integer known = requestSize;
        if (known == null) {
            OpenSSHLimitsExtension limits = sftp.getExtension(OpenSSHLimitsExtension.class);
            long maximumRead = limits.isSupported() ? limits.limits().maxReadLength : 0;
            known = maximumRead > 0 ? (int) Math.min(REQUEST_SIZE, maximumRead) : REQUEST_SIZE;
            requestSize = known;
        }
        return known;
    }

    @Override
    public void read(String file, long offset, long length, byte[] buffer) throws IOException {
        SftpClient sftp;
        try {
            sftp = idleClients.take();
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", interrupted);
        }
        if (!sftp.isOpen()) {
            // The server closes connections idle for ten minutes, as between two datasets.
            sftp = connect();
        }
        try {
            String path = "/" + file;
            long fileSize = sftp.stat(path).getSize();
            CloseableHandle handle = sftp.open(path, OpenMode.Read);
            try (InputStream input = new SftpInputStreamAsync((AbstractSftpClient) sftp, requestSize(sftp), offset, fileSize, path, handle)) {
                long remaining = length;
                while (remaining > 0) {
                    int read = input.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                    if (read < 0) {
                        throw new EOFException(file + " ended " + remaining + " bytes early");
                    }
                    remaining -= read;
                }
            }
        }
        finally {
            idleClients.add(sftp);
        }
    }

    @Override
    public void close() throws IOException {
        for (SftpClient sftp : idleClients) {
            sftp.close();
        }
        for (ClientSession session : sessions) {
            session.close(true);
        }
        client.stop();
    }
}
