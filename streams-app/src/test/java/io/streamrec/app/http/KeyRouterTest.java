package io.streamrec.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrec.app.topology.RecommenderTopology;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsNotStartedException;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/**
 * The router's decisions over a stand-in for Kafka Streams' metadata and for the forward: a forwarded request is
 * answered at once whatever keeps this instance from answering it, and the instance that forwarded retries such
 * an answer until the owner answers or its own deadline passes.
 */
class KeyRouterTest {

    private static final HostInfo SELF = new HostInfo("10.0.0.1", 8080);
    private static final HostInfo OTHER = new HostInfo("10.0.0.2", 8080);
    private static final int PARTITION = 3;
    private static final String PATH = "/users/u-1/history";
    private static final String FORGED = "6.6.6.6:1";
    private static final ApiResponse OWNERS_ANSWER = new ApiResponse(200, ApiResponse.JSON,
            "{\"userId\":\"u-1\"}".getBytes(StandardCharsets.UTF_8),
            Map.of(Forwarder.SERVED_BY, "10.0.0.2:8080"));

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ApiJson json = new ApiJson();
    private final AtomicInteger lookups = new AtomicInteger();
    private final List<HostInfo> forwardedTo = new ArrayList<>();

    private KeyRouter router(Supplier<KeyQueryMetadata> owner, List<ApiResponse> forwardAnswers) {
        KeyRouter.KeyOwners owners = new KeyRouter.KeyOwners() {
            @Override
            public KeyQueryMetadata ownerOf(String store, String key) {
                lookups.incrementAndGet();
                return owner.get();
            }

            @Override
            public KafkaStreams.State state() {
                return KafkaStreams.State.RUNNING;
            }
        };
        KeyRouter.Forward forward = (host, rawPathAndQuery, timeout) -> {
            synchronized (forwardedTo) {
                forwardedTo.add(host);
                return forwardAnswers.get(Math.min(forwardedTo.size(), forwardAnswers.size()) - 1);
            }
        };
        return new KeyRouter(owners, SELF, forward, new HttpMetrics(meters), json);
    }

    private static KeyQueryMetadata ownedBy(HostInfo host) {
        return new KeyQueryMetadata(host, Set.of(), PARTITION);
    }

    private static long in(Duration duration) {
        return System.nanoTime() + duration.toNanos();
    }

    private static KeyRouter.LocalAnswer localAnswer(String body) {
        return partition -> new ApiResponse(200, ApiResponse.JSON, body.getBytes(StandardCharsets.UTF_8),
                Map.of());
    }

    private double count(String meter, String reason) {
        Counter counter = meters.find(meter).tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private double retries() {
        return meters.find("streamrec.http.routing.retries").counters().stream().mapToDouble(Counter::count).sum();
    }

    /** What the owner of a user answers a forwarded request it cannot answer (see the first test). */
    private ApiResponse bounceFromTheOwner() throws ApiException {
        return router(() -> ownedBy(SELF), List.of()).route(Route.HISTORY, RecommenderTopology.HISTORY_STORE, "u-1",
                PATH, SELF.host() + ":" + SELF.port(), in(Duration.ofSeconds(10)), partition -> {
                    throw new InvalidStateStoreException("restoring");
                });
    }

    @Test
    void aForwardedRequestForAUserOwnedElsewhereIsAnsweredAtOnceAndNotRetriedHere() throws Exception {
        KeyRouter router = router(() -> ownedBy(OTHER), List.of());
        long start = System.nanoTime();
        ApiResponse answer = router.route(Route.HISTORY, RecommenderTopology.HISTORY_STORE, "u-1", PATH, FORGED,
                in(Duration.ofSeconds(10)), localAnswer("{}"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.headers()).containsEntry(Forwarder.UNAVAILABLE, "not-owner")
                .containsEntry("Retry-After", "1");
        assertThat(answer.bodyText()).contains("not-owner", "forwarded by " + FORGED, "the owner is 10.0.0.2:8080");
        assertThat(lookups.get()).as("one metadata lookup, no retry").isEqualTo(1);
        assertThat(forwardedTo).as("never forwarded again").isEmpty();
        assertThat(retries()).isZero();
        assertThat(count("streamrec.http.routing.bounced", "not-owner")).isEqualTo(1);
        assertThat(count("streamrec.http.routing.failures", "not-owner")).isZero();
    }

    @Test
    void aForwardedRequestIsAnsweredAtOnceWhateverKeepsThisInstanceFromAnswering() throws Exception {
        Map<String, Supplier<KeyQueryMetadata>> owners = Map.of(
                "not-started", () -> {
                    throw new StreamsNotStartedException("not started");
                },
                "metadata-unavailable", () -> KeyQueryMetadata.NOT_AVAILABLE);
        for (Map.Entry<String, Supplier<KeyQueryMetadata>> owner : owners.entrySet()) {
            lookups.set(0);
            ApiResponse answer = router(owner.getValue(), List.of()).route(Route.RECOMMENDATIONS,
                    RecommenderTopology.HISTORY_STORE, "u-1", PATH, FORGED, in(Duration.ofSeconds(10)),
                    localAnswer("{}"));
            assertThat(answer.status()).as(owner.getKey()).isEqualTo(503);
            assertThat(answer.headers()).as(owner.getKey()).containsEntry(Forwarder.UNAVAILABLE, owner.getKey());
            assertThat(lookups.get()).as(owner.getKey()).isEqualTo(1);
        }
        lookups.set(0);
        ApiResponse restoring = bounceFromTheOwner();
        assertThat(restoring.status()).isEqualTo(503);
        assertThat(restoring.headers()).containsEntry(Forwarder.UNAVAILABLE, "store-unavailable");
        assertThat(lookups.get()).isEqualTo(1);
        assertThat(retries()).isZero();
    }

    @Test
    void theForwardingInstanceRetriesAnAnswerMarkedUnavailableUntilTheOwnerAnswers() throws Exception {
        ApiResponse bounce = bounceFromTheOwner();
        lookups.set(0);
        KeyRouter router = router(() -> ownedBy(OTHER), List.of(bounce, bounce, OWNERS_ANSWER));
        ApiResponse answer = router.route(Route.HISTORY, RecommenderTopology.HISTORY_STORE, "u-1", PATH, null,
                in(Duration.ofSeconds(10)), localAnswer("{}"));
        assertThat(answer).isEqualTo(OWNERS_ANSWER);
        assertThat(forwardedTo).containsExactly(OTHER, OTHER, OTHER);
        assertThat(lookups.get()).as("the owner is looked up again before each attempt").isEqualTo(3);
        assertThat(count("streamrec.http.routing.retries", "owner-unavailable")).isEqualTo(2);
        assertThat(meters.get("streamrec.http.routed").tag("to", "remote").counter().count()).isEqualTo(1);
    }

    @Test
    void aNotOwnerAnswerIsRetriedUntilTheForwardingInstancesDeadlineThenAnsweredWithItsOwn503() throws Exception {
        ApiResponse notOwner = router(() -> ownedBy(OTHER), List.of()).route(Route.HISTORY,
                RecommenderTopology.HISTORY_STORE, "u-1", PATH, "10.0.0.9:8080", in(Duration.ofSeconds(10)),
                localAnswer("{}"));
        meters.clear();
        KeyRouter router = router(() -> ownedBy(OTHER), List.of(notOwner));
        long start = System.nanoTime();
        ApiResponse answer = router.route(Route.HISTORY, RecommenderTopology.HISTORY_STORE, "u-1", PATH, null,
                in(Duration.ofMillis(400)), localAnswer("{}"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isBetween(Duration.ofMillis(150), Duration.ofSeconds(2));
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.headers()).as("the client's answer is not a bounce").doesNotContainKey(Forwarder.UNAVAILABLE)
                .containsEntry("Retry-After", "1");
        assertThat(answer.bodyText()).contains("not-owner", "retry later");
        assertThat(forwardedTo.size()).as("25, 50, 100 ms backoff within 400 ms").isGreaterThanOrEqualTo(3);
        assertThat(count("streamrec.http.routing.retries", "not-owner")).isEqualTo(forwardedTo.size() - 1);
        assertThat(count("streamrec.http.routing.failures", "not-owner")).isEqualTo(1);
    }

    @Test
    void anUnmarked503FromTheOwnerIsRelayedAsIs() throws Exception {
        ApiResponse overloaded = json.error(503, "overloaded: every request thread is busy and the queue is full")
                .withHeader("Retry-After", "1");
        ApiResponse answer = router(() -> ownedBy(OTHER), List.of(overloaded)).route(Route.HISTORY,
                RecommenderTopology.HISTORY_STORE, "u-1", PATH, null, in(Duration.ofSeconds(10)), localAnswer("{}"));
        assertThat(answer).isEqualTo(overloaded);
        assertThat(forwardedTo).hasSize(1);
    }

    @Test
    void aRequestForAUserOwnedHereIsAnsweredLocallyWithThePartitionForwardedOrNot() throws Exception {
        for (String forwardedBy : new String[] {null, FORGED}) {
            ApiResponse answer = router(() -> ownedBy(SELF), List.of()).route(Route.HISTORY,
                    RecommenderTopology.HISTORY_STORE, "u-1", PATH, forwardedBy, in(Duration.ofSeconds(10)),
                    localAnswer("{\"local\":true}"));
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.bodyText()).isEqualTo("{\"local\":true}");
            assertThat(answer.headers()).containsEntry(Forwarder.PARTITION, Integer.toString(PARTITION));
        }
        assertThat(forwardedTo).isEmpty();
    }
}
