package io.streamrec.app.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.streamrec.app.StreamsAppConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK HTTP server of one app instance, on its own small thread pool.
 *
 * <p>Two steps, because Kafka Streams must know this instance's {@code application.server} before it is
 * constructed and the port may be 0: {@link #bind(HttpSettings)} takes the port (so {@link #advertised()} is
 * known), {@link #start(ApiHandler)} then serves with a handler built over the running client.
 *
 * <p>Lifetime: {@link #close()} refuses new requests (503), waits briefly for those in flight, stops the
 * server, then its threads, then closes the handler it was given. Idempotent. Thread-safe.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    /** How long {@link #close()} lets requests in flight finish (a forwarded one may wait on another instance). */
    private static final Duration DRAIN = Duration.ofSeconds(5);

    private final HttpSettings settings;
    private final HttpServer server;
    private final ExecutorService executor;
    private final HostInfo advertised;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private ApiHandler handler; // guarded by 'this'
    private boolean started; // guarded by 'this'

    private ApiServer(HttpSettings settings, HttpServer server, ExecutorService executor) {
        this.settings = settings;
        this.server = server;
        this.executor = executor;
        this.advertised = new HostInfo(settings.advertisedHost(), server.getAddress().getPort());
    }

    /**
     * Binds {@code http.host:http.port}. Nothing is served until {@link #start(ApiHandler)}.
     *
     * @throws ConfigException when the address cannot be bound (busy port, unknown host), naming the key
     */
    public static ApiServer bind(HttpSettings settings) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 0);
        } catch (IOException | IllegalArgumentException e) { // incl. UnresolvedAddressException
            throw new ConfigException(StreamsAppConfig.HTTP_PORT_CONFIG, settings.port(), "cannot bind the HTTP API to "
                    + settings.host() + ":" + settings.port() + ": " + e);
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(settings.threads(), runnable -> {
            Thread thread = new Thread(runnable, "streamrec-http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        return new ApiServer(settings, server, executor);
    }

    /** The bound port (the chosen one when {@code http.port} was 0). */
    public int port() {
        return advertised.port();
    }

    /** How other instances reach this one: the advertised host and the bound port. */
    public HostInfo advertised() {
        return advertised;
    }

    /** {@link #advertised()} as Kafka Streams' {@code application.server} value, {@code host:port}. */
    public String applicationServer() {
        return Forwarder.hostPort(advertised);
    }

    /**
     * Starts serving with {@code apiHandler}, which this server now owns and closes (also when it refuses it).
     * Once only.
     */
    public synchronized void start(ApiHandler apiHandler) {
        if (started || closing.get()) {
            apiHandler.close();
            throw new IllegalStateException(started ? "already started" : "closed");
        }
        started = true;
        handler = apiHandler;
        server.createContext("/", exchange -> {
            inFlight.incrementAndGet(); // before the check, so close() either sees it or it sees 'closing'
            try {
                if (closing.get()) {
                    refuse(exchange);
                } else {
                    apiHandler.handle(exchange);
                }
            } finally {
                inFlight.decrementAndGet();
            }
        });
        server.start();
        log.info("event=http_started host={} port={} advertised={} threads={}", settings.host(), port(),
                applicationServer(), settings.threads());
    }

    private static void refuse(HttpExchange exchange) throws IOException {
        byte[] body = "{\"error\":\"shutting down\",\"status\":503}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", ApiResponse.JSON);
        exchange.getResponseHeaders().set("Connection", "close");
        exchange.sendResponseHeaders(503, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + DRAIN.toNanos();
        boolean interrupted = false;
        while (inFlight.get() > 0 && System.nanoTime() < deadline && !interrupted) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        int abandoned = inFlight.get();
        server.stop(0); // nothing left to wait for (or the drain time is up)
        executor.shutdown();
        try {
            if (!executor.awaitTermination(DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            interrupted = true;
        }
        ApiHandler owned;
        synchronized (this) {
            owned = handler;
        }
        if (owned != null) {
            owned.close();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        log.info("event=http_stopped port={} abandoned_requests={}", port(), abandoned);
    }
}
