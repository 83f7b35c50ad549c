package io.streamrec.app.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One port of the HTTP API: a JDK {@link HttpServer} on a {@link BoundedExecutor} of its own, so that the load
 * on one listener never takes another's threads. Before its handler sees a request, the listener answers 503
 * with {@code Retry-After: 1} at once, without handling it, when it is closing ({@code shutting down}), when the
 * request overflowed ({@code queue-full}), or when it waited in the queue longer than its deadline
 * ({@code queue-timeout}); the last two count in {@code streamrec.http.rejected}.
 *
 * <p>Two steps, like {@link ApiServer}: {@link #bind} takes the port, {@link #start} serves. Thread-safe.
 */
final class Listener {

    private static final Logger log = LoggerFactory.getLogger(Listener.class);

    /** Answers a request that was handed to the listener's executor at {@code admittedAtNanos}. */
    @FunctionalInterface
    interface Handler {
        void handle(HttpExchange exchange, long admittedAtNanos) throws IOException;
    }

    private final String name;
    private final HttpServer server;
    private final int threads;
    private final int queueSize;
    private final Duration maxQueueWait;
    private final ApiJson json = new ApiJson();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private BoundedExecutor executor; // guarded by 'this'

    private Listener(String name, HttpServer server, int threads, int queueSize, Duration maxQueueWait) {
        this.name = name;
        this.server = server;
        this.threads = threads;
        this.queueSize = queueSize;
        this.maxQueueWait = maxQueueWait;
    }

    /**
     * Binds {@code host:port}. Nothing is served until {@link #start}.
     *
     * @param name         {@code api} or {@code management}: thread names and the meters' {@code listener} tag
     * @param portKey      the configuration key of the port, named when the port cannot be bound
     * @param maxQueueWait how long a request may wait for a thread before it is answered 503 instead
     * @throws ConfigException when the address cannot be bound (busy port, unknown host)
     */
    static Listener bind(String name, String host, int port, String portKey, int threads, int queueSize,
                         Duration maxQueueWait) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
            return new Listener(name, server, threads, queueSize, maxQueueWait);
        } catch (IOException | IllegalArgumentException e) { // incl. UnresolvedAddressException
            throw new ConfigException(portKey, port, "cannot bind the HTTP " + name + " listener to " + host + ":"
                    + port + ": " + e);
        }
    }

    /** The bound port (the chosen one when 0 was asked for). */
    int port() {
        return server.getAddress().getPort();
    }

    /** Serves every path with {@code handler}, on a new executor. Once only. */
    synchronized void start(Handler handler, HttpMetrics metrics) {
        if (executor != null) {
            throw new IllegalStateException("the " + name + " listener already started");
        }
        BoundedExecutor requests = new BoundedExecutor(name, threads, queueSize, metrics);
        executor = requests;
        server.setExecutor(requests);
        server.createContext("/", exchange -> serve(exchange, requests.current(), handler, metrics));
        server.start();
    }

    private void serve(HttpExchange exchange, BoundedExecutor.Admission admission, Handler handler,
                       HttpMetrics metrics) throws IOException {
        admission.markHandled();
        inFlight.incrementAndGet(); // before the check, so that close() either sees it or it sees 'closing'
        try {
            long waitedNanos = System.nanoTime() - admission.admittedAtNanos();
            if (closing.get()) {
                answerAtOnce(exchange, json.error(503, "shutting down").withHeader("Connection", "close"));
            } else if (admission.overflowed()) {
                metrics.rejected(name, "queue-full");
                answerAtOnce(exchange, overloaded("every request thread is busy and the queue is full"));
            } else if (waitedNanos > maxQueueWait.toNanos()) {
                metrics.rejected(name, "queue-timeout");
                answerAtOnce(exchange, overloaded("the request waited " + waitedNanos / 1_000_000
                        + " ms for a request thread, past its deadline"));
            } else {
                handler.handle(exchange, admission.admittedAtNanos());
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private ApiResponse overloaded(String why) {
        return json.error(503, "overloaded: " + why + "; retry later").withHeader("Retry-After", "1");
    }

    private void answerAtOnce(HttpExchange exchange, ApiResponse response) {
        try {
            Responses.send(exchange, response);
        } catch (IOException e) {
            log.debug("event=http_response_not_sent listener={} error=\"{}\"", name, e.toString());
        } finally {
            exchange.close();
        }
    }

    /** From now on every request is answered 503 {@code shutting down}. */
    void refuseNewRequests() {
        closing.set(true);
    }

    /** Requests its handler is answering now. */
    int inFlight() {
        return inFlight.get();
    }

    /** Stops the server (closing its connections), then its threads. Call once. */
    synchronized void stop() {
        server.stop(0);
        if (executor != null) {
            executor.close();
        }
    }
}
