package io.roam.storage.sftp;

import static java.util.Objects.requireNonNull;

import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;
import io.roam.storage.sftp.SftpLocation.SftpEndpoint;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.GeneralSecurityException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHLimitsExtension;
import org.apache.sshd.sftp.common.SftpException;

/**
 * The SFTP channels to one account on one server. An {@link SftpClient} serves one caller at a time
 * (its requests share one SSH channel, whose writes must not interleave), so every operation and
 * every open stream leases a client of its own, and returns it for reuse when done.
 *
 * <p>Bounded twice: at most {@code max-sessions} authenticated SSH sessions (TCP connections), and at
 * most {@code max-channels-per-session} leased SFTP channels per session on average. New channels go
 * to a session of their own while there is room for one, so that parallel transfers use separate
 * connections; past that, to the least busy session. A caller that finds every channel leased waits
 * up to {@code channel-wait-timeout}, then fails with {@link StorageErrorKind#TRANSIENT}.
 *
 * <p>Idle channels are reused newest first; those whose session has closed (the server's or the
 * client's idle timeout, a dropped connection) are dropped when met.
 */
final class SftpConnectionPool implements Closeable {

    private final SshClient client;
    private final SftpEndpoint endpoint;
    private final SftpSettings settings;
    private final Semaphore leases;
    private final int leaseCapacity;
    /** Null until {@link #readRequestSize} has asked the server. */
    private volatile Integer readRequestSize;

    // Guarded by this.
    private final Map<ClientSession, Integer> channelsBySession = new HashMap<>();
    private final Deque<SftpClient> idle = new ArrayDeque<>();
    private int sessionsConnecting;
    private boolean closed;

    SftpConnectionPool(SshClient client, SftpEndpoint endpoint, SftpSettings settings) {
        this.client = requireNonNull(client, "client is null");
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.leaseCapacity = settings.maximumSessions() * settings.maximumChannelsPerSession();
        this.leases = new Semaphore(leaseCapacity);
    }

    SftpEndpoint endpoint() {
        return endpoint;
    }

    /**
     * The bytes each read request asks for: the configured {@code buffer-size}, or the most the server answers
     * one read with when it says that is less (OpenSSH's {@code limits@openssh.com}; Apache MINA's server, for one,
     * answers at most 63 KiB). The client fetches what a read was answered short of with a request of its own
     * and waits for that answer before it goes on: a round trip per request, which stalls the reads pipelined
     * over a long-distance link. Asked once per server.
     */
    int readRequestSize(SftpClient sftpClient) throws IOException {
        Integer known = readRequestSize;
        if (known != null) {
            return known;
        }
        int size = settings.bufferSize();
        OpenSSHLimitsExtension limits = sftpClient.getExtension(OpenSSHLimitsExtension.class);
        if (limits.isSupported()) {
            long maximumRead = limits.limits().maxReadLength;
            if (maximumRead > 0 && maximumRead < size) {
                size = (int) maximumRead;
            }
        }
        readRequestSize = size;
        return size;
    }

    /**
     * A client for the caller alone, until it releases the lease.
     *
     * @throws StorageException of kind {@link StorageErrorKind#ACCESS_DENIED} when the credentials cannot be loaded,
     *     {@link StorageErrorKind#TRANSIENT} when no channel frees up in time
     * @throws IOException when connecting, authenticating or opening the channel fails
     */
    Lease acquire() throws IOException {
        try {
            if (!leases.tryAcquire(settings.channelWaitTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new StorageException(StorageErrorKind.TRANSIENT, "all %d SFTP channels to %s stayed busy for %s"
                        .formatted(leaseCapacity, endpoint, settings.channelWaitTimeout()));
            }
        }
        catch (InterruptedException exception) {
            Thread.currentThread().interrupt();
            throw (IOException) new InterruptedIOException("interrupted while waiting for an SFTP channel to " + endpoint).initCause(exception);
        }
        try {
            return new Lease(idleOrNewClient());
        }
        catch (IOException | RuntimeException | Error exception) {
            leases.release();
            throw exception;
        }
    }

    private SftpClient idleOrNewClient() throws IOException {
        ClientSession session;
        synchronized (this) {
            requireOpen();
            while (!idle.isEmpty()) {
                SftpClient candidate = idle.pop();
                if (candidate.isOpen() && candidate.getClientSession().isOpen()) {
                    return candidate;
                }
                forgetChannel(candidate);
            }
            channelsBySession.keySet().removeIf(existing -> !existing.isOpen());
            session = leastBusySession();
            if (session == null) {
                sessionsConnecting++;
            }
            else {
                channelsBySession.merge(session, 1, Integer::sum);
            }
        }
        if (session == null) {
            session = connectNewSession();
        }
        try {
            return SftpClientFactory.instance().createSftpClient(session);
        }
        catch (IOException | RuntimeException | Error exception) {
            synchronized (this) {
                releaseChannelOf(session);
            }
            throw exception;
        }
    }

    /** The session for one more channel, or null when a new session should be connected. */
    private ClientSession leastBusySession() {
        ClientSession leastBusy = null;
        int fewest = Integer.MAX_VALUE;
        for (Map.Entry<ClientSession, Integer> entry : channelsBySession.entrySet()) {
            if (entry.getValue() < fewest) {
                leastBusy = entry.getKey();
                fewest = entry.getValue();
            }
        }
        boolean roomForSession = channelsBySession.size() + sessionsConnecting < settings.maximumSessions();
        return leastBusy != null && (fewest == 0 || !roomForSession) ? leastBusy : null;
    }

    private ClientSession connectNewSession() throws IOException {
        ClientSession session = null;
        boolean registered = false;
        try {
            session = authenticatedSession();
        }
        finally {
            synchronized (this) {
                sessionsConnecting--;
                if (session != null && !closed) {
                    channelsBySession.put(session, 1);
                    registered = true;
                }
            }
        }
        if (!registered) {
            session.close(true);
            throw closedFailure();
        }
        return session;
    }

    private ClientSession authenticatedSession() throws IOException {
        ClientSession session = client.connect(endpoint.username(), endpoint.host(), endpoint.port())
                .verify(settings.connectTimeout())
                .getClientSession();
        try {
            try {
                settings.credentials().addTo(session);
            }
            catch (IOException | GeneralSecurityException exception) {
                throw new StorageException(StorageErrorKind.ACCESS_DENIED,
                        "cannot load the credentials for %s: %s".formatted(endpoint, exception.getMessage()), exception);
            }
            try {
                // Waits for the key exchange too, and so for the host key check.
                session.auth().verify(settings.connectTimeout());
            }
            catch (SshException exception) {
                StorageException refusal = refusal(exception);
                if (refusal != null) {
                    throw refusal;
                }
                throw exception;
            }
            return session;
        }
        catch (IOException | RuntimeException | Error exception) {
            session.close(true);
            throw exception;
        }
    }

    /** Says why the server was refused, or refused us, where the client's message is terse; null for other failures. */
    private StorageException refusal(SshException exception) {
        return switch (exception.getDisconnectCode()) {
            case SshConstants.SSH2_DISCONNECT_HOST_KEY_NOT_VERIFIABLE -> new StorageException(StorageErrorKind.ACCESS_DENIED,
                    "the host key of %s is not trusted: it is not the key that property '%s' or '%s' names".formatted(
                            endpoint, SftpSettings.KNOWN_HOSTS_FILE, SftpSettings.HOST_KEY_FINGERPRINT), exception);
            case SshConstants.SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE -> new StorageException(StorageErrorKind.ACCESS_DENIED,
                    "authentication as %s failed: the server refused the configured credentials".formatted(endpoint), exception);
            default -> null;
        };
    }

    private void requireOpen() {
        if (closed) {
            throw closedFailure();
        }
    }

    private StorageException closedFailure() {
        return new StorageException(StorageErrorKind.FATAL, "the SFTP file system for %s is closed".formatted(endpoint));
    }

    /** Called with the lock held. */
    private void forgetChannel(SftpClient sftpClient) {
        closeQuietly(sftpClient);
        releaseChannelOf(sftpClient.getClientSession());
    }

    /** Called with the lock held. */
    private void releaseChannelOf(ClientSession session) {
        channelsBySession.computeIfPresent(session, (ignored, count) -> Math.max(0, count - 1));
    }

    @Override
    public void close() {
        List<ClientSession> sessions;
        List<SftpClient> idleClients;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            sessions = new ArrayList<>(channelsBySession.keySet());
            idleClients = new ArrayList<>(idle);
            channelsBySession.clear();
            idle.clear();
        }
        idleClients.forEach(SftpConnectionPool::closeQuietly);
        // Closing a session closes its leased channels too: their streams fail from now on.
        for (ClientSession session : sessions) {
            session.close(true);
        }
    }

    private static void closeQuietly(SftpClient sftpClient) {
        try {
            sftpClient.close();
        }
        catch (IOException ignored) {
            // The channel is being dropped; its session stays usable or is closed already.
        }
    }

    /**
     * One caller's use of a client. Released exactly once: back to the pool while the connection is
     * known to be sound, dropped otherwise.
     */
    final class Lease {

        private final SftpClient sftpClient;
        private boolean released;

        private Lease(SftpClient sftpClient) {
            this.sftpClient = sftpClient;
        }

        SftpClient client() {
            return sftpClient;
        }

        /** See {@link SftpConnectionPool#readRequestSize(SftpClient)}; asks the server over this lease's client. */
        int readRequestSize() throws IOException {
            return SftpConnectionPool.this.readRequestSize(sftpClient);
        }

        /** Returns the client for reuse. */
        void release() {
            finish(true);
        }

        /**
         * Returns the client after a failure: for reuse when the server answered (an SFTP status, or a
         * failure this backend raised itself), dropped when the connection may be broken.
         */
        void releaseAfter(Throwable failure) {
            finish(failure instanceof SftpException || failure instanceof StorageException);
        }

        /** Drops the client: its channel is closed. */
        void discard() {
            finish(false);
        }

        private void finish(boolean reusable) {
            synchronized (SftpConnectionPool.this) {
                if (released) {
                    return;
                }
                released = true;
                if (reusable && !closed && sftpClient.isOpen() && sftpClient.getClientSession().isOpen()) {
                    idle.push(sftpClient);
                }
                else {
                    forgetChannel(sftpClient);
                }
            }
            leases.release();
        }
    }

    /** The SSH sessions open now, idle or busy. */
    synchronized List<ClientSession> openSessions() {
        return channelsBySession.keySet().stream().filter(ClientSession::isOpen).toList();
    }
}
