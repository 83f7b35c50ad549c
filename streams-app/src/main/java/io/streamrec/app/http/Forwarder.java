package io.streamrec.app.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Sends a user request on to the instance that owns the user's partition, or that holds a standby or restoring
 * copy of it, and brings back its answer as is (status, body, content type and the API's own headers). The
 * request carries {@value #FORWARDED_BY}, so the receiver answers from its own stores and never forwards again:
 * one hop at most, no loops during a rebalance. A request for the receiver's own copy, whatever its role, also
 * carries {@value #STALE_WITHIN}. A receiver that cannot answer for the user after all answers at once with
 * {@value #UNAVAILABLE}; the forwarding instance tries another copy or retries ({@link KeyRouter}).
 *
 * <p>Thread-safe. Lifetime: close after the last forward; closing stops the client's executor.
 */
final class Forwarder implements KeyRouter.Forward, AutoCloseable {

    /** Request header naming the instance that forwarded the request. */
    static final String FORWARDED_BY = "X-Streamrec-Forwarded-By";
    /** Response header naming the instance ({@code host:port}) that computed the answer. */
    static final String SERVED_BY = "X-Streamrec-Served-By";
    /** Response header: the partition the user's key maps to, on per-user answers. */
    static final String PARTITION = "X-Streamrec-Partition";
    /**
     * Response header of the 503 a forwarded request gets from an instance that cannot answer for the user right
     * now: why ({@code not-owner}, {@code store-unavailable}, ...). It marks the answer as retriable by the
     * forwarding instance, which asks the owner again until its own deadline.
     */
    static final String UNAVAILABLE = "X-Streamrec-Unavailable";
    /**
     * Request header of a forwarded request for the receiver's own copy of the user's partition: answer from the
     * active copy if it is here and answers, else from a standby or restoring copy that trails by at most this
     * many records (a decimal number), else {@value #UNAVAILABLE}; never ask another instance.
     */
    static final String STALE_WITHIN = "X-Streamrec-Stale-Within";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final List<String> RELAYED_HEADERS = List.of(SERVED_BY, PARTITION, UNAVAILABLE, "Retry-After",
            Freshness.SERVED_FROM, Freshness.LAG_RECORDS);

    private final String self;
    private final ExecutorService executor;
    private final HttpClient client;

    Forwarder(HostInfo self) {
        this.self = hostPort(self);
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "streamrec-http-forward-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // the JDK server speaks HTTP/1.1 only: skip the h2c upgrade
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    /**
     * Asks {@code host} the same GET.
     *
     * @param rawPathAndQuery the original request's raw path and query, e.g. {@code /users/u%201/history?k=3}
     * @param timeout         how long to wait for the whole answer
     * @param staleWithin     empty to ask the owner; else the bound of {@value #STALE_WITHIN}
     * @throws IOException when the host cannot be reached or does not answer in time (the caller may retry:
     *                     during a rebalance the owner may be gone)
     */
    @Override
    public ApiResponse forward(HostInfo host, String rawPathAndQuery, Duration timeout, OptionalLong staleWithin)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + hostPort(host) + rawPathAndQuery))
                .timeout(timeout)
                .header(FORWARDED_BY, self)
                .header("Accept", ApiResponse.JSON)
                .GET();
        staleWithin.ifPresent(bound -> request.header(STALE_WITHIN, Long.toString(bound)));
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        Map<String, String> headers = new HashMap<>();
        for (String name : RELAYED_HEADERS) {
            response.headers().firstValue(name).ifPresent(value -> headers.put(name, value));
        }
        String contentType = response.headers().firstValue("Content-Type").orElse(ApiResponse.JSON);
        return new ApiResponse(response.statusCode(), contentType, response.body(), headers);
    }

    /** {@code host:port}, with IPv6 literals in brackets as URIs need them. */
    static String hostPort(HostInfo host) {
        String name = host.host();
        return (name.indexOf(':') >= 0 && !name.startsWith("[") ? "[" + name + "]" : name) + ":" + host.port();
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
