package io.streamrec.app.http;

import com.sun.net.httpserver.HttpExchange;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamrec.app.model.ModelRegistry;
import io.streamrec.app.topology.PopularityLists;
import io.streamrec.app.topology.Recommender;
import io.streamrec.app.topology.RecommenderTopology;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the API's requests (see {@code docs/http-api.md} for each endpoint): parses and validates, routes
 * per-user requests to the owning instance ({@link KeyRouter}), renders JSON ({@link ApiJson}), and records
 * {@link HttpMetrics}. Every answer carries {@value Forwarder#SERVED_BY}: the instance that computed it, kept
 * as is when a forwarded answer is relayed; per-user answers also carry which copy of the user's partition
 * answered and how stale it may be ({@link Freshness}). {@code /instances} lists the application's clients
 * and their partitions, and this instance's copies with their lags ({@link LocalLags}).
 *
 * <p>Two entry points, one per listener of {@link ApiServer}: {@link #handleApi} answers every route;
 * {@link #handleManagement} answers the probes and {@code /metrics} only ({@link Route#management()}).
 *
 * <p>On-demand lists come from the same {@link Recommender} the stream processor uses, over the user's history
 * and the owning partition's published popularity list ({@link LocalAnswers}), read through interactive
 * queries. They count in {@code streamrec.recommendations} like the streamed ones.
 *
 * <p>Thread-safe: called concurrently by the listeners' threads. Lifetime: owned by {@link ApiServer}, which
 * closes it (and its forwarding client) after the last request.
 */
public final class ApiHandler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);

    private final HttpSettings settings;
    private final HostInfo self;
    private final String selfName;
    private final KafkaStreams streams;
    private final ModelRegistry models;
    private final PrometheusMeterRegistry meters;
    private final ApiJson json = new ApiJson();
    private final HttpMetrics metrics;
    private final Forwarder forwarder;
    private final LocalLags lags;
    private final KeyRouter router;
    private final LocalAnswers local;

    /**
     * A handler over a constructed (started or not) client. Registers the API's meters, including the
     * history-store size gauge, in {@code meters}.
     *
     * @param self       this instance as other instances reach it: the client's {@code application.server}
     * @param popularity the popularity lists the client's tasks publish (the topology's)
     */
    public ApiHandler(HttpSettings settings, HostInfo self, KafkaStreams streams, ModelRegistry models,
                      Recommender recommender, PopularityLists popularity, PrometheusMeterRegistry meters,
                      Clock clock) {
        this.settings = settings;
        this.self = self;
        this.selfName = Forwarder.hostPort(self);
        this.streams = streams;
        this.models = models;
        this.meters = meters;
        this.metrics = new HttpMetrics(meters);
        HttpMetrics.bindHistoryStoreSize(streams, meters);
        this.forwarder = new Forwarder(self);
        this.lags = LocalLags.of(streams);
        this.router = new KeyRouter(KeyRouter.KeyOwners.of(streams, lags), self, forwarder, metrics, json);
        this.local = new LocalAnswers(this::store, popularity, recommender, json, clock);
    }

    /** The meters the listeners record in too. */
    HttpMetrics metrics() {
        return metrics;
    }

    /**
     * Answers a request of the API listener: any route.
     *
     * @param admittedAtNanos when the request was queued ({@link System#nanoTime()}): its deadline is this plus
     *                        {@code http.query.timeout.ms}
     */
    void handleApi(HttpExchange exchange, long admittedAtNanos) throws IOException {
        handle(exchange, admittedAtNanos, route -> true);
    }

    /** Answers a request of the management listener: the probes and {@code /metrics}; any other path is 404. */
    void handleManagement(HttpExchange exchange, long admittedAtNanos) throws IOException {
        handle(exchange, admittedAtNanos, Route::management);
    }

    private void handle(HttpExchange exchange, long admittedAtNanos, Predicate<Route> served) throws IOException {
        long start = System.nanoTime();
        String method = exchange.getRequestMethod();
        String routeTag = Route.UNMATCHED;
        ApiResponse response;
        try {
            URI uri = exchange.getRequestURI();
            Optional<Route.Match> match = Route.match(uri.getRawPath()).filter(found -> served.test(found.route()));
            if (match.isEmpty()) {
                throw new ApiException(404, "no such endpoint: " + abbreviate(uri.getRawPath())
                        + " (see docs/http-api.md)");
            }
            routeTag = match.get().route().template();
            if (!"GET".equals(method)) {
                response = json.error(405, "method " + abbreviate(method) + " not allowed on "
                        + match.get().route().template() + "; use GET").withHeader("Allow", "GET");
            } else {
                ApiRequest request = ApiRequest.parse(match.get(), uri.getRawQuery(), settings.defaultK(),
                        settings.maxIdBytes(), settings.maxLagRecords());
                String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
                String forwardedBy = exchange.getRequestHeaders().getFirst(Forwarder.FORWARDED_BY);
                OptionalLong staleWithin = forwardedBy == null ? OptionalLong.empty()
                        : staleWithin(exchange.getRequestHeaders().getFirst(Forwarder.STALE_WITHIN));
                response = answer(request, pathAndQuery, forwardedBy, staleWithin,
                        admittedAtNanos + settings.queryTimeout().toNanos());
            }
        } catch (ApiException e) {
            response = json.error(e.status(), e.getMessage());
        } catch (RuntimeException e) {
            log.error("event=http_request_failed route={} error=\"{}\"", routeTag, e.toString(), e);
            response = json.error(500, "internal error: " + e.getClass().getSimpleName());
        }
        if (!response.headers().containsKey(Forwarder.SERVED_BY)) {
            response = response.withHeader(Forwarder.SERVED_BY, selfName);
        }
        try {
            Responses.send(exchange, response);
        } catch (IOException e) {
            log.debug("event=http_response_not_sent route={} error=\"{}\"", routeTag, e.toString());
        } finally {
            exchange.close();
            metrics.request(method, routeTag, response.status(), System.nanoTime() - start);
        }
    }

    /** The bound of {@value Forwarder#STALE_WITHIN}, when the forwarding instance sent one. */
    private static OptionalLong staleWithin(String header) throws ApiException {
        if (header == null) {
            return OptionalLong.empty();
        }
        try {
            long bound = Long.parseLong(header.trim());
            if (bound >= 0) {
                return OptionalLong.of(bound);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException(400, Forwarder.STALE_WITHIN + " must be a number of records >= 0, got '"
                + abbreviate(header) + "'");
    }

    private ApiResponse answer(ApiRequest request, String pathAndQuery, String forwardedBy, OptionalLong staleWithin,
                               long deadlineNanos) {
        return switch (request.route()) {
            case RECOMMENDATIONS, HISTORY -> router.route(new KeyRouter.Query(request.route(),
                    RecommenderTopology.HISTORY_STORE, request.userId(), pathAndQuery, forwardedBy,
                    staleWithin.isPresent(), staleWithin.orElse(request.maxLagRecords()), deadlineNanos),
                    request.route() == Route.HISTORY ? (partition, copy) -> local.history(request.userId(), partition,
                            copy) : (partition, copy) -> local.recommendations(request, partition, copy));
            case INSTANCES -> instances();
            case MODELS -> json.response(200, ApiJson.ModelsView.of(models.settings().modelName(),
                    models.settings().pinnedVersion(), models.serving()));
            case MODEL_EVENTS -> json.response(200, ApiJson.EventsView.of(models.settings().modelName(),
                    models.events()));
            case LIVE -> {
                Health.LiveView live = Health.liveness(streams.state());
                yield json.response(live.live() ? 200 : 503, live);
            }
            case READY -> {
                Health.ReadyView ready = Health.readiness(streams.state(), models.serving(),
                        settings.readyRequiresModel());
                yield json.response(ready.ready() ? 200 : 503, ready);
            }
            case METRICS -> new ApiResponse(200, ApiResponse.PROMETHEUS_TEXT,
                    meters.scrape().getBytes(StandardCharsets.UTF_8), Map.of());
        };
    }

    /** {@code /instances}: every client's partitions from Kafka Streams' metadata, and this one's lags. */
    private ApiResponse instances() {
        Collection<StreamsMetadata> clients;
        try {
            clients = streams.metadataForAllStreamsClients();
        } catch (InvalidStateStoreException | IllegalStateException e) { // not started, or not running
            return json.error(503, "no metadata while the Kafka Streams client is " + streams.state()
                    + "; retry later").withHeader("Retry-After", "1");
        }
        return json.response(200, ApiJson.InstancesView.of(self, clients, lags.current()));
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name, int partition, boolean stale) {
        StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> parameters = StoreQueryParameters
                .fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()).withPartition(partition);
        return streams.store(stale ? parameters.enableStaleStores() : parameters);
    }

    /** At most 100 characters of client input in a message, so error bodies stay small. */
    static String abbreviate(String text) {
        return text == null ? "" : text.length() <= 100 ? text : text.substring(0, 100) + "...";
    }

    @Override
    public void close() {
        forwarder.close();
        lags.close();
    }
}
