package io.roam.infrastructure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds TCP ports on the loopback address {@code 127.0.0.1} that are free at the time of the call.
 *
 * <p>A port found here is released before it is returned, so another process may take it before the caller
 * binds it; the launchers in this package accept that small race, as every launcher of child processes must.
 */
public final class Ports {

    /** The only address that the servers launched by this package listen on. */
    public static final String LOOPBACK_ADDRESS = "127.0.0.1";

    private Ports() {
    }

    /**
     * Returns one port that was free on {@code 127.0.0.1} at the time of the call.
     *
     * @return a port number between 1 and 65535
     */
    public static int freePort() {
        return freePorts(1).getFirst();
    }

    /**
     * Returns distinct ports that were free on {@code 127.0.0.1} at the time of the call; all of them are held
     * open until all are found, so the same port is never returned twice.
     *
     * @param count how many ports to find, at least 1
     * @return {@code count} distinct port numbers
     */
    public static List<Integer> freePorts(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
        List<ServerSocket> sockets = new ArrayList<>(count);
        try {
            for (int index = 0; index < count; index++) {
                ServerSocket socket = new ServerSocket();
                sockets.add(socket);
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(LOOPBACK_ADDRESS, 0));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        }
        catch (IOException exception) {
            throw new UncheckedIOException("Could not find a free port on 127.0.0.1", exception);
        }
        finally {
            sockets.forEach(Ports::closeQuietly);
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        }
        catch (IOException ignored) {
            // The port is released either way; nothing useful to report.
        }
    }
}
