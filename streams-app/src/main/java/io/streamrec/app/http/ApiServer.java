package io.streamrec.app.http;

import io.streamrec.app.StreamsAppConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of one app instance: two listeners of the JDK server, each on threads of its own.
 * <ul>
 *   <li>the API ({@code http.port}): every route, on {@code http.threads} threads with at most
 *       {@code http.queue.size} requests waiting, each with a deadline of {@code http.query.timeout.ms} from
 *       when it was queued (see {@link Listener});</li>
 *   <li>the management listener ({@code http.management.port}): {@code /health/live}, {@code /health/ready} and
 *       {@code /metrics} only, on {@value #MANAGEMENT_THREADS} threads of its own, so that nothing sent to the
 *       API port can keep probes or scrapes waiting.</li>
 * </ul>
 *
 * <p>Two steps, because Kafka Streams must know this instance's {@code application.server} before it is
 * constructed and the port may be 0: {@link #bind(HttpSettings)} takes both ports (so {@link #advertised()} is
 * known), {@link #start(ApiHandler)} then serves with a handler built over the running client.
 *
 * <p>Lifetime: {@link #close()} refuses new requests (503) on both listeners, waits briefly for those in
 * flight, stops the servers, then their threads, then closes the handler it was given. Idempotent. Thread-safe.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    /** The {@code listener} tag of the API port's meters. */
    public static final String API = "api";
    /** The {@code listener} tag of the management port's meters. */
    public static final String MANAGEMENT = "management";

    /** Probes arrive a few per ten seconds and a scrape may take a while: two threads serve one of each at once. */
    static final int MANAGEMENT_THREADS = 2;
    /** Room for the probes of a few periods should a scrape hold both threads. */
    static final int MANAGEMENT_QUEUE = 16;
    /** How long a probe may wait for a thread: its usual timeout, after which the prober gave up anyway. */
    static final Duration MANAGEMENT_MAX_WAIT = Duration.ofSeconds(3);
    /** How long {@link #close()} lets requests in flight finish (a forwarded one may wait on another instance). */
    private static final Duration DRAIN = Duration.ofSeconds(5);

    private final HttpSettings settings;
    private final Listener api;
    private final Listener management;
    private final HostInfo advertised;
    private final AtomicBoolean closed = new AtomicBoolean();
    private ApiHandler handler; // guarded by 'this'

    private ApiServer(HttpSettings settings, Listener api, Listener management) {
        this.settings = settings;
        this.api = api;
        this.management = management;
        this.advertised = new HostInfo(settings.advertisedHost(), api.port());
    }

    /**
     * Binds {@code http.host:http.port} and {@code http.host:http.management.port}. Nothing is served until
     * {@link #start(ApiHandler)}.
     *
     * @throws ConfigException when an address cannot be bound (busy port, unknown host), naming the key; or when
     *                         {@code http.query.timeout.ms} does not fit the JDK server's response limit
     */
    public static ApiServer bind(HttpSettings settings) {
        HttpTimeLimits.checkQueryTimeout(settings.queryTimeout(), System.getProperties());
        Listener api = Listener.bind(API, settings.host(), settings.port(), StreamsAppConfig.HTTP_PORT_CONFIG,
                settings.threads(), settings.queueSize(), settings.queryTimeout());
        try {
            Listener management = Listener.bind(MANAGEMENT, settings.host(), settings.managementPort(),
                    StreamsAppConfig.HTTP_MANAGEMENT_PORT_CONFIG, MANAGEMENT_THREADS, MANAGEMENT_QUEUE,
                    MANAGEMENT_MAX_WAIT);
            return new ApiServer(settings, api, management);
        } catch (RuntimeException e) {
            api.stop();
            throw e;
        }
    }

    /** The bound API port (the chosen one when {@code http.port} was 0). */
    public int port() {
        return api.port();
    }

    /** The bound management port (the chosen one when {@code http.management.port} was 0). */
    public int managementPort() {
        return management.port();
    }

    /** How other instances reach this one: the advertised host and the bound API port. */
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
        if (handler != null || closed.get()) {
            apiHandler.close();
            throw new IllegalStateException(handler != null ? "already started" : "closed");
        }
        handler = apiHandler;
        api.start(apiHandler::handleApi, apiHandler.metrics());
        management.start(apiHandler::handleManagement, apiHandler.metrics());
        log.info("event=http_started host={} port={} management_port={} advertised={} threads={} queue={}",
                settings.host(), port(), managementPort(), applicationServer(), settings.threads(),
                settings.queueSize());
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        api.refuseNewRequests();
        management.refuseNewRequests();
        boolean interrupted = awaitRequestsInFlight();
        int abandoned = api.inFlight() + management.inFlight();
        api.stop(); // nothing left to wait for (or the drain time is up)
        management.stop();
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
        log.info("event=http_stopped port={} management_port={} abandoned_requests={}", port(), managementPort(),
                abandoned);
    }

    /** Waits up to {@link #DRAIN} for both listeners' requests to finish; true when interrupted. */
    private boolean awaitRequestsInFlight() {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (api.inFlight() + management.inFlight() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return true;
            }
        }
        return false;
    }
}
