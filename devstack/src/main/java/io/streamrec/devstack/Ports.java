package io.streamrec.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Loopback port helpers shared by the broker and the registry. Stateless. */
final class Ports {

    /** Everything in the local stack binds here, never on a public interface. */
    static final String LOOPBACK_HOST = "127.0.0.1";

    private Ports() {
    }

    static InetAddress loopback() {
        try {
            return InetAddress.getByName(LOOPBACK_HOST);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + LOOPBACK_HOST, e);
        }
    }

    /**
     * A port that was free a moment ago. Another process can take it before the caller binds it; callers
     * that chose the port this way retry with a new one when the bind fails.
     */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, loopback())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + LOOPBACK_HOST, e);
        }
    }

    /**
     * Fails with a message naming the port and its role when a configured port is taken, so the user does not
     * have to dig the cause out of a broker stack trace.
     */
    static void requireFree(int port, String role) {
        try (ServerSocket socket = new ServerSocket()) {
            // Match what the servers do: they set SO_REUSEADDR, so a port in TIME_WAIT counts as free.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(loopback(), port), 1);
        } catch (IOException e) {
            throw new DevStackException(role + " port " + port + " on " + LOOPBACK_HOST
                    + " is already in use (" + e.getMessage() + "); choose another port or 0 for a free one", e);
        }
    }

    static void requireValid(int port, String role) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(role + " port must be 0 (free) or 1..65535, got " + port);
        }
    }
}
