package io.roam.storage.s3;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP relay on 127.0.0.1 to a server's port that can be told to misbehave as networks and busy stores
 * do: to cut every connection once it has carried more than some bytes towards the server (the network
 * breaking large uploads, while small requests still pass; each connection's count starts when the limit
 * is set), to flip one byte of what the next connection carries towards the server (a body corrupted on the
 * way, where the network's own checksums missed it), or to answer the next new connections' first request
 * itself with S3's {@code 503 SlowDown}, as S3 throttles, without passing it on.
 */
final class FaultInjectingRelay implements AutoCloseable {

    private static final Pattern EXPECT_CONTINUE = Pattern.compile("(?im)^expect:\\s*100-continue");
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)");

    private final ServerSocket listener;
    private final int serverPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private final AtomicInteger connectionsCut = new AtomicInteger();
    private final AtomicInteger throttlesLeft = new AtomicInteger();
    private final AtomicInteger requestsThrottled = new AtomicInteger();
    /** The offset, in the next new connection's bytes towards the server, of the byte to flip; negative when none is to be. */
    private final AtomicLong corruptionOffset = new AtomicLong(-1);
    private final AtomicInteger bytesCorrupted = new AtomicInteger();
    private volatile long cutAfterBytes = Long.MAX_VALUE;
    /** Changes with every new limit, so that connections count their bytes from then on. */
    private final AtomicInteger limitGeneration = new AtomicInteger();

    private FaultInjectingRelay(ServerSocket listener, int serverPort) {
        this.listener = listener;
        this.serverPort = serverPort;
        this.acceptor = Thread.ofVirtual().name("relay-acceptor").start(this::accept);
    }

    static FaultInjectingRelay start(int serverPort) throws IOException {
        return new FaultInjectingRelay(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), serverPort);
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

    /** Flips the byte at {@code offset} of what the next new connection carries towards the server. */
    void corruptNextConnectionAt(long offset) {
        corruptionOffset.set(offset);
    }

    int bytesCorrupted() {
        return bytesCorrupted.get();
    }

    /** Answers the first request of each of the next {@code connections} new connections with 503 SlowDown and closes them. */
    void throttleNextConnections(int connections) {
        throttlesLeft.set(connections);
    }

    int requestsThrottled() {
        return requestsThrottled.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (throttlesLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                    sockets.add(client);
                    Thread.ofVirtual().start(() -> answerSlowDown(client));
                    continue;
                }
                Socket server = new Socket(InetAddress.getLoopbackAddress(), serverPort);
                sockets.add(client);
                sockets.add(server);
                AtomicBoolean cut = new AtomicBoolean();
                long corruptAt = corruptionOffset.getAndSet(-1);
                Thread.ofVirtual().start(() -> relay(client, server, true, cut, corruptAt));
                Thread.ofVirtual().start(() -> relay(server, client, false, cut, -1));
            }
            catch (IOException closed) {
                // The listener was closed, or the server refused: the client sees its connection end.
            }
        }
    }

    /**
     * Passes bytes on one way. Once the way towards the server is cut, nothing more passes the other way
     * either: whatever the server answers to a request it got only part of must not reach the client, which
     * is to see its connection break and nothing else.
     */
    private void relay(Socket from, Socket to, boolean towardsServer, AtomicBoolean cut, long corruptAt) {
        byte[] buffer = new byte[64 * 1024];
        long counted = 0;
        long passed = 0;
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
                        cut.set(true);
                        connectionsCut.incrementAndGet();
                        break;
                    }
                }
                else if (cut.get()) {
                    break;
                }
                if (corruptAt >= passed && corruptAt < passed + read) {
                    buffer[(int) (corruptAt - passed)] ^= 0x01;
                    bytesCorrupted.incrementAndGet();
                }
                passed += read;
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

    /**
     * Reads one request (its head, and the body its Content-Length announces unless the client waits for
     * {@code 100 Continue}, as S3 does), answers it 503 SlowDown, and closes.
     */
    private void answerSlowDown(Socket client) {
        try (InputStream input = client.getInputStream(); OutputStream output = client.getOutputStream()) {
            String head = readHead(input);
            Matcher contentLength = CONTENT_LENGTH.matcher(head);
            // A client that waits for "100 Continue" gets the final answer instead, and sends no body.
            if (!EXPECT_CONTINUE.matcher(head).find()) {
                input.readNBytes(contentLength.find() ? Integer.parseInt(contentLength.group(1)) : 0);
            }
            // Counted before it is answered, so that a client that has its answer finds it counted.
            requestsThrottled.incrementAndGet();
            byte[] body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"
                    .getBytes(StandardCharsets.UTF_8);
            output.write(("HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                    .formatted(body.length)).getBytes(StandardCharsets.US_ASCII));
            output.write(body);
            output.flush();
        }
        catch (IOException ended) {
            // The client gave up first.
        }
        finally {
            closeQuietly(client);
        }
    }

    private static String readHead(InputStream input) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int value = input.read();
            if (value < 0) {
                throw new EOFException("the connection ended before the request's head");
            }
            head.append((char) value);
        }
        return head.toString();
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
