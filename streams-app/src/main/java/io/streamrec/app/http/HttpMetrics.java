package io.streamrec.app.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.http.Outcome;
import io.streamrec.app.topology.RecommenderTopology;
import io.streamrec.app.topology.UserHistory;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The HTTP API's meters:
 * <ul>
 *   <li>{@value #REQUESTS} (timer; Micrometer's HTTP server convention, so dashboards made for it work:
 *       tags {@code method}, {@code uri} = the route template or {@value Route#UNMATCHED}, {@code status},
 *       {@code outcome}, {@code exception} = {@code none}, as failures are answered with a status): every
 *       request with its latency, as a histogram;</li>
 *   <li>{@code streamrec.http.routed} (counter; tag {@code to} = {@code local} | {@code remote}): per-user
 *       requests answered from this instance's stores or forwarded to the owner;</li>
 *   <li>{@code streamrec.http.served} (counter; tag {@code from} = {@code active} | {@code standby} |
 *       {@code restoring}): per-user answers this instance computed, by the copy of the user's partition they
 *       read ({@link ServedFrom}); anything but {@code active} may be stale, within the request's lag bound;</li>
 *   <li>{@code streamrec.http.routing.retries} (counter; tag {@code reason}): routing attempts that had to wait
 *       (not-started, metadata-unavailable, store-unavailable, not-owner, owner-unreachable);</li>
 *   <li>{@code streamrec.http.routing.failures} (counter; tag {@code reason}): per-user requests answered 503
 *       after the retries ran out;</li>
 *   <li>{@code streamrec.http.routing.bounced} (counter; tag {@code reason}): forwarded requests this instance
 *       could not answer (e.g. {@code not-owner}), answered 503 at once for the forwarding instance to retry;</li>
 *   <li>{@code streamrec.http.rejected} (counter; tags {@code listener} = {@code api} | {@code management},
 *       {@code reason} = {@code queue-full} | {@code queue-timeout}): requests answered 503 at once, unhandled,
 *       because every thread was busy and the queue full, or because they waited in the queue past their
 *       deadline;</li>
 *   <li>{@code streamrec.http.dropped} (counter; tag {@code listener}): connections closed unanswered because
 *       the overflow that answers those 503s was full too;</li>
 *   <li>{@code streamrec.http.requests.incomplete} (counter; tag {@code listener}): requests given a thread
 *       whose line and headers never arrived in full: the client went away, sent a malformed request, or was
 *       cut off by the read limit ({@link HttpTimeLimits#MAX_REQUEST_TIME});</li>
 *   <li>{@code streamrec.http.threads.busy} and {@code streamrec.http.queued} (gauges; tag {@code listener}):
 *       request threads at work and requests waiting for one;</li>
 *   <li>{@code streamrec.history.users} (gauge): users in this instance's active {@code user-history} stores,
 *       RocksDB's estimate, read through interactive queries at scrape time.</li>
 * </ul>
 * Tag values are bounded: routes are an enum, methods outside a fixed set are tagged {@code OTHER}, statuses are
 * the few the API answers. Thread-safe.
 */
final class HttpMetrics {

    /** Micrometer's standard name for server-side HTTP requests ({@code http_server_requests_seconds}). */
    static final String REQUESTS = "http.server.requests";

    private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH",
            "OPTIONS");
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final MeterRegistry meters;
    private final Counter routedLocal;
    private final Counter routedRemote;
    private final Map<ServedFrom, Counter> served = new EnumMap<>(ServedFrom.class);

    HttpMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.routedLocal = routed("local");
        this.routedRemote = routed("remote");
        // Registered up front, so a dashboard or an alert on stale answers sees a zero rather than no series.
        for (ServedFrom from : ServedFrom.values()) {
            served.put(from, Counter.builder("streamrec.http.served").tag("from", from.tag())
                    .description("Per-user answers computed here, by the copy of the partition they read: active,"
                            + " or a standby or restoring copy within the request's lag bound")
                    .register(meters));
        }
    }

    private Counter routed(String to) {
        return Counter.builder("streamrec.http.routed").tag("to", to)
                .description("Per-user requests answered from local stores or forwarded to the owning instance")
                .register(meters);
    }

    void request(String method, String route, int status, long nanos) {
        String methodTag = KNOWN_METHODS.contains(method.toUpperCase(Locale.ROOT)) ? method.toUpperCase(Locale.ROOT)
                : "OTHER";
        Timer.builder(REQUESTS)
                .description("HTTP requests by route template, status and outcome")
                .tags("method", methodTag, "uri", route, "status", Integer.toString(status),
                        "outcome", Outcome.forStatus(status).name(), "exception", "none")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(meters)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    void routedLocally() {
        routedLocal.increment();
    }

    void routedRemotely() {
        routedRemote.increment();
    }

    void served(ServedFrom from) {
        served.get(from).increment();
    }

    void retry(String reason) {
        Counter.builder("streamrec.http.routing.retries").tag("reason", reason)
                .description("Routing attempts that had to wait and retry").register(meters).increment();
    }

    void failure(String reason) {
        Counter.builder("streamrec.http.routing.failures").tag("reason", reason)
                .description("Per-user requests answered 503 because routing did not succeed in time")
                .register(meters).increment();
    }

    void bounced(String reason) {
        Counter.builder("streamrec.http.routing.bounced").tag("reason", reason)
                .description("Forwarded requests this instance could not answer, answered 503 at once for the"
                        + " forwarding instance to retry")
                .register(meters).increment();
    }

    void rejected(String listener, String reason) {
        Counter.builder("streamrec.http.rejected").tags("listener", listener, "reason", reason)
                .description("Requests answered 503 at once without being handled: every thread busy and the queue"
                        + " full, or waited in the queue past their deadline")
                .register(meters).increment();
    }

    void dropped(String listener) {
        Counter.builder("streamrec.http.dropped").tag("listener", listener)
                .description("Connections closed unanswered: the threads, the queue and the overflow were all full")
                .register(meters).increment();
    }

    void incomplete(String listener) {
        Counter.builder("streamrec.http.requests.incomplete").tag("listener", listener)
                .description("Requests whose line and headers never arrived in full: client gone, malformed, or"
                        + " cut off by the read time limit")
                .register(meters).increment();
    }

    /** Registers the gauges of a listener's request threads; they hold the pool weakly, as gauges do. */
    void bindThreads(String listener, ThreadPoolExecutor workers) {
        Gauge.builder("streamrec.http.threads.busy", workers, ThreadPoolExecutor::getActiveCount)
                .tag("listener", listener).description("Request threads at work").register(meters);
        Gauge.builder("streamrec.http.queued", workers, pool -> pool.getQueue().size())
                .tag("listener", listener).description("Requests waiting for a request thread").register(meters);
    }

    /**
     * Registers {@code streamrec.history.users}: the sum of RocksDB's entry estimates over the {@code user-history}
     * stores of this instance's active tasks. A store that is not queryable right now (restoring, migrating) is
     * left out rather than failing the scrape. The gauge holds the client weakly, as Micrometer gauges do.
     */
    static void bindHistoryStoreSize(KafkaStreams streams, MeterRegistry meters) {
        Gauge.builder("streamrec.history.users", streams, HttpMetrics::historyEntries)
                .description("Users with a history in this instance's active user-history stores (RocksDB estimate)")
                .register(meters);
    }

    private static double historyEntries(KafkaStreams streams) {
        Set<Integer> partitions = new TreeSet<>();
        try {
            for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
                for (TaskMetadata task : thread.activeTasks()) {
                    partitions.add(task.taskId().partition());
                }
            }
        } catch (RuntimeException e) {
            return Double.NaN; // the client is not running (created, closed or failed): nothing to count
        }
        long entries = 0;
        for (int partition : partitions) {
            try {
                ReadOnlyKeyValueStore<String, UserHistory> store = streams.store(StoreQueryParameters
                        .fromNameAndType(RecommenderTopology.HISTORY_STORE,
                                QueryableStoreTypes.<String, UserHistory>keyValueStore())
                        .withPartition(partition));
                entries += store.approximateNumEntries();
            } catch (InvalidStateStoreException e) {
                // restoring or migrating: counted again at the next scrape
            }
        }
        return entries;
    }
}
