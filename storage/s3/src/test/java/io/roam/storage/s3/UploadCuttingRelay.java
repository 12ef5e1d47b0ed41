package io.roam.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on 127.0.0.1 to a server's port that can be told to cut every connection once it has carried
 * more than some bytes towards the server: the network breaking large uploads, while small requests still
 * pass. Each connection's count starts when the limit is set.
 */
final class UploadCuttingRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final int serverPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private final AtomicInteger connectionsCut = new AtomicInteger();
    private volatile long cutAfterBytes = Long.MAX_VALUE;
    /** Changes with every new limit, so that connections count their bytes from then on. */
    private final AtomicInteger limitGeneration = new AtomicInteger();

    private UploadCuttingRelay(ServerSocket listener, int serverPort) {
        this.listener = listener;
        this.serverPort = serverPort;
        this.acceptor = Thread.ofVirtual().name("relay-acceptor").start(this::accept);
    }

    static UploadCuttingRelay start(int serverPort) throws IOException {
        return new UploadCuttingRelay(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), serverPort);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** From now on, cuts each connection that carries more than {@code bytes} towards the server. */
    void cutUploadsLargerThan(long bytes) {
        cutAfterBytes = bytes;
        limitGeneration.incrementAndGet();
    }

    /** Lets everything pass again. */
    void restore() {
        cutAfterBytes = Long.MAX_VALUE;
        limitGeneration.incrementAndGet();
    }

    int connectionsCut() {
        return connectionsCut.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), serverPort);
                sockets.add(client);
                sockets.add(server);
                Thread.ofVirtual().start(() -> relay(client, server, true));
                Thread.ofVirtual().start(() -> relay(server, client, false));
            }
            catch (IOException closed) {
                // The listener was closed, or the server refused: the client sees its connection end.
            }
        }
    }

    private void relay(Socket from, Socket to, boolean towardsServer) {
        byte[] buffer = new byte[64 * 1024];
        long counted = 0;
        int generation = limitGeneration.get();
        try (InputStream input = from.getInputStream(); OutputStream output = to.getOutputStream()) {
            for (int read = input.read(buffer); read >= 0; read = input.read(buffer)) {
                if (towardsServer) {
                    if (generation != limitGeneration.get()) {
                        generation = limitGeneration.get();
                        counted = 0;
                    }
                    counted += read;
                    if (counted > cutAfterBytes) {
                        connectionsCut.incrementAndGet();
                        break;
                    }
                }
                output.write(buffer, 0, read);
            }
        }
        catch (IOException ended) {
            // The other side closed or was cut.
        }
        finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void closeQuietly(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        }
        catch (IOException ignored) {
            // Closing is all that is wanted.
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sockets.forEach(this::closeQuietly);
        try {
            acceptor.join();
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
