package io.streamrec.app.http;

import io.streamrec.app.StreamsAppConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;

/**
 * The JDK HTTP server's only limits on slow clients, which are JVM-wide system properties read once, when the
 * first server of the process is created (OpenJDK 17, {@code sun.net.httpserver.ServerConfig} and
 * {@code ServerImpl}):
 * <ul>
 *   <li>{@value #MAX_REQUEST_TIME}: seconds from a request's first byte until its line and headers are read.
 *       The server reads them with blocking reads on its executor's threads and, without this limit, waits for
 *       ever on a client that stops sending half-way: each such connection holds a request thread. (A connection
 *       that sends nothing at all gets no thread; the server closes it after {@code sun.net.httpserver.idleInterval},
 *       30 s, or this limit, whichever is less.)</li>
 *   <li>{@value #MAX_RESPONSE_TIME}: seconds from then until the response is written, the handler's own time
 *       included, so it must exceed {@code http.query.timeout.ms}; it cuts off clients that do not read their
 *       response.</li>
 * </ul>
 * A timer checks both once a second and closes the connection, which frees the thread blocked on it. Stateless.
 */
public final class HttpTimeLimits {

    public static final String MAX_REQUEST_TIME = "sun.net.httpserver.maxReqTime";
    public static final String MAX_RESPONSE_TIME = "sun.net.httpserver.maxRspTime";

    /** A GET's line and headers arrive in milliseconds: 5 s spares slow networks and bounds a stalled client. */
    public static final long DEFAULT_MAX_REQUEST_SECONDS = 5;
    /** The default query timeout (10 s) with room for the last forward and for writing the answer. */
    public static final long DEFAULT_MAX_RESPONSE_SECONDS = 30;
    /** How much of the response limit a request's deadline must leave for its answer to be written. */
    static final Duration WRITE_MARGIN = Duration.ofSeconds(5);

    private HttpTimeLimits() {
    }

    /** Sets each limit the properties (the system properties, before any server exists) leave unset. */
    public static void setDefaultsUnlessConfigured(Properties properties) {
        properties.putIfAbsent(MAX_REQUEST_TIME, Long.toString(DEFAULT_MAX_REQUEST_SECONDS));
        properties.putIfAbsent(MAX_RESPONSE_TIME, Long.toString(DEFAULT_MAX_RESPONSE_SECONDS));
    }

    /** The response limit the JDK server applies with these properties: none unless a positive number of seconds. */
    static Optional<Duration> responseLimit(Properties properties) {
        try {
            long seconds = Long.parseLong(properties.getProperty(MAX_RESPONSE_TIME, "-1").trim());
            return seconds > 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty(); // the JDK ignores a malformed value too (Long.getLong)
        }
    }

    /**
     * Refuses a query timeout the response limit would cut short: the server would close the connection under a
     * request still routing, and the client would see a reset instead of the 503.
     *
     * @throws ConfigException naming {@code http.query.timeout.ms}
     */
    static void checkQueryTimeout(Duration queryTimeout, Properties properties) {
        Optional<Duration> limit = responseLimit(properties);
        if (limit.isPresent() && queryTimeout.plus(WRITE_MARGIN).compareTo(limit.get()) > 0) {
            throw new ConfigException(StreamsAppConfig.HTTP_QUERY_TIMEOUT_MS_CONFIG, queryTimeout.toMillis(),
                    "must be at least " + WRITE_MARGIN.toSeconds() + " s below the JDK HTTP server's response limit, "
                            + MAX_RESPONSE_TIME + "=" + limit.get().toSeconds() + " s; lower it or raise that with -D"
                            + MAX_RESPONSE_TIME + "=<seconds>");
        }
    }
}
