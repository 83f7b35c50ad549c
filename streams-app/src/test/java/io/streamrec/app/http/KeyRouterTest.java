package io.streamrec.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrec.app.topology.RecommenderTopology;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
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
 * an answer until the owner answers or its own deadline passes. When the active copy cannot answer, a standby
 * or restoring copy within the request's lag bound does, and says so.
 */
class KeyRouterTest {

    private static final HostInfo SELF = new HostInfo("10.0.0.1", 8080);
    private static final HostInfo OTHER = new HostInfo("10.0.0.2", 8080);
    private static final HostInfo THIRD = new HostInfo("10.0.0.3", 8080);
    private static final long MAX_LAG = 10_000;
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
    /** The bound each forward asked for its receiver's own copy, -2 for a forward to the owner. */
    private final List<Long> forwardedWithin = new ArrayList<>();
    /** This instance's copies' lags by partition, as the lag cache would give them. */
    private final Map<Integer, Long> localLags = new HashMap<>();

    private KeyRouter router(Supplier<KeyQueryMetadata> owner, List<ApiResponse> forwardAnswers) {
        return router(owner, (host, staleWithin) -> forwardAnswers.get(Math.min(forwardedTo.size(),
                forwardAnswers.size()) - 1));
    }

    /** A forward's answer by receiver and bound; may throw, as an unreachable host does. */
    @FunctionalInterface
    private interface FakeHost {
        ApiResponse answer(HostInfo host, OptionalLong staleWithin) throws IOException;
    }

    private KeyRouter router(Supplier<KeyQueryMetadata> owner, FakeHost hosts) {
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

            @Override
            public OptionalLong localLag(String store, int partition) {
                Long lag = localLags.get(partition);
                return lag == null ? OptionalLong.empty() : OptionalLong.of(lag);
            }
        };
        KeyRouter.Forward forward = (host, rawPathAndQuery, timeout, staleWithin) -> {
            synchronized (forwardedTo) {
                forwardedTo.add(host);
                forwardedWithin.add(staleWithin.orElse(-2));
                return hosts.answer(host, staleWithin);
            }
        };
        return new KeyRouter(owners, SELF, forward, new HttpMetrics(meters), json);
    }

    private static KeyQueryMetadata ownedBy(HostInfo host) {
        return new KeyQueryMetadata(host, Set.of(), PARTITION);
    }

    private static KeyQueryMetadata ownedBy(HostInfo host, HostInfo... standbys) {
        return new KeyQueryMetadata(host, Set.of(standbys), PARTITION);
    }

    /** A client's request for u-1's history, allowed to be {@code maxLag} records stale. */
    private static KeyRouter.Query asked(long maxLag, Duration deadline) {
        return new KeyRouter.Query(Route.HISTORY, RecommenderTopology.HISTORY_STORE, "u-1", PATH, null, false,
                maxLag, in(deadline));
    }

    /** The same request forwarded by {@code by}, for the owner, or for this instance's own copy. */
    private static KeyRouter.Query forwarded(String by, boolean forOwnCopy, long maxLag) {
        return new KeyRouter.Query(Route.HISTORY, RecommenderTopology.HISTORY_STORE, "u-1", PATH, by, forOwnCopy,
                maxLag, in(Duration.ofSeconds(10)));
    }

    /** Answers from the copies asked for; the active one here is restoring when {@code activeRestoring}. */
    private static KeyRouter.LocalAnswer copies(boolean activeRestoring, List<Freshness> read) {
        return (partition, copy) -> {
            read.add(copy);
            if (activeRestoring && !copy.stale()) {
                throw new InvalidStateStoreException("restoring");
            }
            return new ApiResponse(200, ApiResponse.JSON, ("{\"from\":\"" + copy.servedFrom().tag() + "\"}")
                    .getBytes(StandardCharsets.UTF_8), Map.of());
        };
    }

    private static ApiResponse replicaAnswer(HostInfo host, long lag) {
        return new ApiResponse(200, ApiResponse.JSON, "{\"from\":\"standby\"}".getBytes(StandardCharsets.UTF_8),
                Map.of(Forwarder.SERVED_BY, Forwarder.hostPort(host), Freshness.SERVED_FROM, "standby",
                        Freshness.LAG_RECORDS, Long.toString(lag)));
    }

    private double served(String from) {
        return meters.get("streamrec.http.served").tag("from", from).counter().count();
    }

    private static long in(Duration duration) {
        return System.nanoTime() + duration.toNanos();
    }

    private static KeyRouter.LocalAnswer localAnswer(String body) {
        return (partition, copy) -> new ApiResponse(200, ApiResponse.JSON, body.getBytes(StandardCharsets.UTF_8),
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
        return router(() -> ownedBy(SELF), List.of()).route(forwarded(SELF.host() + ":" + SELF.port(), false,
                MAX_LAG), (partition, copy) -> {
                    throw new InvalidStateStoreException("restoring");
                });
    }

    @Test
    void aForwardedRequestForAUserOwnedElsewhereIsAnsweredAtOnceAndNotRetriedHere() throws Exception {
        KeyRouter router = router(() -> ownedBy(OTHER), List.of());
        long start = System.nanoTime();
        ApiResponse answer = router.route(forwarded(FORGED, false, MAX_LAG), localAnswer("{}"));
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
            ApiResponse answer = router(owner.getValue(), List.of()).route(forwarded(FORGED, false, MAX_LAG),
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
        ApiResponse answer = router.route(asked(HttpSettings.ACTIVE_ONLY, Duration.ofSeconds(10)), localAnswer("{}"));
        assertThat(answer).isEqualTo(OWNERS_ANSWER);
        assertThat(forwardedTo).containsExactly(OTHER, OTHER, OTHER);
        assertThat(lookups.get()).as("the owner is looked up again before each attempt").isEqualTo(3);
        assertThat(count("streamrec.http.routing.retries", "owner-unavailable")).isEqualTo(2);
        assertThat(meters.get("streamrec.http.routed").tag("to", "remote").counter().count()).isEqualTo(1);
    }

    @Test
    void aNotOwnerAnswerIsRetriedUntilTheForwardingInstancesDeadlineThenAnsweredWithItsOwn503() throws Exception {
        ApiResponse notOwner = router(() -> ownedBy(OTHER), List.of()).route(forwarded("10.0.0.9:8080", false,
                MAX_LAG), localAnswer("{}"));
        meters.clear();
        KeyRouter router = router(() -> ownedBy(OTHER), List.of(notOwner));
        long start = System.nanoTime();
        ApiResponse answer = router.route(asked(MAX_LAG, Duration.ofMillis(400)), localAnswer("{}"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isBetween(Duration.ofMillis(150), Duration.ofSeconds(2));
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.headers()).as("the client's answer is not a bounce").doesNotContainKey(Forwarder.UNAVAILABLE)
                .containsEntry("Retry-After", "1");
        assertThat(answer.bodyText()).contains("not-owner", "retry later", "no standby copy is known either");
        assertThat(forwardedTo.size()).as("25, 50, 100 ms backoff within 400 ms").isGreaterThanOrEqualTo(3);
        assertThat(count("streamrec.http.routing.retries", "not-owner")).isEqualTo(forwardedTo.size() - 1);
        assertThat(count("streamrec.http.routing.failures", "not-owner")).isEqualTo(1);
    }

    @Test
    void anUnmarked503FromTheOwnerIsRelayedAsIs() throws Exception {
        ApiResponse overloaded = json.error(503, "overloaded: every request thread is busy and the queue is full")
                .withHeader("Retry-After", "1");
        ApiResponse answer = router(() -> ownedBy(OTHER, THIRD), List.of(overloaded)).route(asked(MAX_LAG,
                Duration.ofSeconds(10)), localAnswer("{}"));
        assertThat(answer).isEqualTo(overloaded);
        assertThat(forwardedTo).as("an answer, if not a good one: no standby is asked").hasSize(1);
    }

    @Test
    void aRequestForAUserOwnedHereIsAnsweredLocallyWithThePartitionForwardedOrNot() throws Exception {
        for (String forwardedBy : new String[] {null, FORGED}) {
            KeyRouter.Query query = forwardedBy == null ? asked(MAX_LAG, Duration.ofSeconds(10))
                    : forwarded(forwardedBy, false, MAX_LAG);
            ApiResponse answer = router(() -> ownedBy(SELF, OTHER), List.of()).route(query,
                    localAnswer("{\"local\":true}"));
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.bodyText()).isEqualTo("{\"local\":true}");
            assertThat(answer.headers()).containsEntry(Forwarder.PARTITION, Integer.toString(PARTITION))
                    .containsEntry(Freshness.SERVED_FROM, "active").containsEntry(Freshness.LAG_RECORDS, "0");
        }
        assertThat(forwardedTo).isEmpty();
        assertThat(served("active")).isEqualTo(2);
    }

    @Test
    void theActiveCopyStaysFirstChoiceWhenItAnswers() throws Exception {
        List<Freshness> read = new ArrayList<>();
        localLags.put(PARTITION, 3L);
        ApiResponse here = router(() -> ownedBy(SELF, OTHER), List.of()).route(asked(MAX_LAG,
                Duration.ofSeconds(10)), copies(false, read));
        assertThat(here.headers()).containsEntry(Freshness.SERVED_FROM, "active")
                .containsEntry(Freshness.LAG_RECORDS, "0");
        assertThat(read).containsExactly(Freshness.ACTIVE);

        ApiResponse there = router(() -> ownedBy(OTHER, SELF), List.of(OWNERS_ANSWER)).route(asked(MAX_LAG,
                Duration.ofSeconds(10)), copies(false, read));
        assertThat(there).isEqualTo(OWNERS_ANSWER);
        assertThat(forwardedTo).containsExactly(OTHER);
        assertThat(forwardedWithin).as("asked for the active copy").containsExactly(-2L);
        assertThat(read).as("the standby copy here is not read").hasSize(1);
        assertThat(served("standby")).isZero();
    }

    @Test
    void whenTheActiveStoreIsUnavailableAStandbyWithinTheBoundAnswersAndSaysSo() throws Exception {
        List<Freshness> read = new ArrayList<>();
        ApiResponse answer = router(() -> ownedBy(SELF, OTHER), (host, within) -> replicaAnswer(host, 40))
                .route(asked(MAX_LAG, Duration.ofSeconds(10)), copies(true, read));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers()).containsEntry(Freshness.SERVED_FROM, "standby")
                .containsEntry(Freshness.LAG_RECORDS, "40").containsEntry(Forwarder.SERVED_BY, "10.0.0.2:8080");
        assertThat(forwardedTo).containsExactly(OTHER);
        assertThat(forwardedWithin).as("asked for its own copy, within the request's bound").containsExactly(MAX_LAG);
        assertThat(read).as("the active copy here, restoring; no copy here with a known lag").containsExactly(
                Freshness.ACTIVE);
        assertThat(retries()).isZero();
    }

    @Test
    void whenTheOwnerIsUnreachableTheStandbyCopyHereAnswersWithItsLag() throws Exception {
        List<Freshness> read = new ArrayList<>();
        localLags.put(PARTITION, 17L);
        ApiResponse answer = router(() -> ownedBy(OTHER, SELF), (host, within) -> {
            throw new ConnectException("refused");
        }).route(asked(MAX_LAG, Duration.ofSeconds(10)), copies(false, read));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.bodyText()).isEqualTo("{\"from\":\"standby\"}");
        assertThat(answer.headers()).containsEntry(Freshness.SERVED_FROM, "standby")
                .containsEntry(Freshness.LAG_RECORDS, "17").containsEntry(Forwarder.PARTITION, "3");
        assertThat(read).containsExactly(new Freshness(ServedFrom.STANDBY, 17));
        assertThat(forwardedTo).containsExactly(OTHER);
        assertThat(served("standby")).isEqualTo(1);
        assertThat(served("active")).isZero();
    }

    @Test
    void theActiveHostsOwnCopyAnswersAsRestoringWhileItRestores() throws Exception {
        List<Freshness> read = new ArrayList<>();
        localLags.put(PARTITION, 250L);
        ApiResponse answer = router(() -> ownedBy(SELF), List.of()).route(asked(MAX_LAG, Duration.ofSeconds(10)),
                copies(true, read));
        assertThat(answer.headers()).containsEntry(Freshness.SERVED_FROM, "restoring")
                .containsEntry(Freshness.LAG_RECORDS, "250");
        assertThat(read).containsExactly(Freshness.ACTIVE, new Freshness(ServedFrom.RESTORING, 250));
        assertThat(served("restoring")).isEqualTo(1);
    }

    @Test
    void aStandbyBeyondTheBoundDoesNotAnswerAndTheRequestGets503AsBefore() throws Exception {
        List<Freshness> read = new ArrayList<>();
        localLags.put(PARTITION, MAX_LAG + 1);
        ApiResponse lagged = json.error(503, "lagging").withHeader(Forwarder.UNAVAILABLE, "lag-exceeded");
        ApiResponse answer = router(() -> ownedBy(OTHER, SELF, THIRD), (host, within) -> {
            if (host.equals(OTHER)) {
                throw new ConnectException("refused");
            }
            return lagged;
        }).route(asked(MAX_LAG, Duration.ofMillis(300)), copies(false, read));
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.headers()).containsEntry("Retry-After", "1").doesNotContainKey(Freshness.SERVED_FROM);
        assertThat(answer.bodyText()).contains("owner-unreachable", "retry later",
                "trails by 10001 records, more than 10000", "10.0.0.3:8080 cannot answer (lag-exceeded)");
        assertThat(read).as("a copy beyond the bound is not read").isEmpty();
        assertThat(forwardedTo).as("each attempt: the owner, then the other standby").startsWith(OTHER, THIRD, OTHER,
                THIRD);
        assertThat(count("streamrec.http.routing.failures", "owner-unreachable")).isEqualTo(1);
        assertThat(served("standby")).isZero();
    }

    @Test
    void withStaleAnswersDisallowedNoOtherCopyIsTriedAndTheRequestGets503AsBefore() throws Exception {
        List<Freshness> read = new ArrayList<>();
        localLags.put(PARTITION, 0L);
        ApiResponse answer = router(() -> ownedBy(OTHER, SELF, THIRD), (host, within) -> {
            throw new ConnectException("refused");
        }).route(asked(HttpSettings.ACTIVE_ONLY, Duration.ofMillis(300)), copies(false, read));
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.bodyText()).contains("owner-unreachable").doesNotContain("copy");
        assertThat(read).isEmpty();
        assertThat(forwardedTo).containsOnly(OTHER);
        assertThat(forwardedWithin).containsOnly(-2L);
    }

    @Test
    void aRequestForwardedForTheCopyHereIsAnsweredFromItWithoutAskingAnyoneElse() throws Exception {
        List<Freshness> read = new ArrayList<>();
        localLags.put(PARTITION, 5L);
        KeyRouter router = router(() -> ownedBy(OTHER, SELF), (host, within) -> OWNERS_ANSWER);
        ApiResponse answer = router.route(forwarded("10.0.0.3:8080", true, 100), copies(false, read));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers()).containsEntry(Freshness.SERVED_FROM, "standby")
                .containsEntry(Freshness.LAG_RECORDS, "5");
        assertThat(forwardedTo).as("never re-routed to the owner").isEmpty();
        assertThat(lookups.get()).isEqualTo(1);

        ApiResponse tooStale = router.route(forwarded("10.0.0.3:8080", true, 4), copies(false, read));
        assertThat(tooStale.status()).isEqualTo(503);
        assertThat(tooStale.headers()).containsEntry(Forwarder.UNAVAILABLE, "lag-exceeded");
        localLags.clear();
        ApiResponse noCopy = router.route(forwarded("10.0.0.3:8080", true, 100), copies(false, read));
        assertThat(noCopy.headers()).containsEntry(Forwarder.UNAVAILABLE, "no-local-copy");
        assertThat(forwardedTo).isEmpty();
        assertThat(retries()).isZero();
        assertThat(read).containsExactly(new Freshness(ServedFrom.STANDBY, 5));
    }

    @Test
    void aRequestForwardedForTheCopyHereGetsTheActiveCopyWhenItIsHereAndAnswers() throws Exception {
        List<Freshness> read = new ArrayList<>();
        localLags.put(PARTITION, 0L);
        ApiResponse answer = router(() -> ownedBy(SELF, OTHER), List.of()).route(forwarded("10.0.0.3:8080", true,
                100), copies(false, read));
        assertThat(answer.headers()).containsEntry(Freshness.SERVED_FROM, "active");
        assertThat(read).containsExactly(Freshness.ACTIVE);
    }

    @Test
    void candidatesAreTheCopyHereThenTheOtherStandbysThenTheActiveHostIfItAnswered() {
        KeyQueryMetadata standbyHere = new KeyQueryMetadata(OTHER, Set.of(THIRD, SELF), PARTITION);
        assertThat(ReplicaReads.candidates(standbyHere, SELF, true)).containsExactly(
                new ReplicaReads.Candidate(SELF, ServedFrom.STANDBY, true),
                new ReplicaReads.Candidate(THIRD, ServedFrom.STANDBY, false),
                new ReplicaReads.Candidate(OTHER, ServedFrom.RESTORING, false));
        assertThat(ReplicaReads.candidates(standbyHere, SELF, false)).hasSize(2);
        KeyQueryMetadata activeHere = new KeyQueryMetadata(SELF, Set.of(THIRD, OTHER), PARTITION);
        assertThat(ReplicaReads.candidates(activeHere, SELF, true)).containsExactly(
                new ReplicaReads.Candidate(SELF, ServedFrom.RESTORING, true),
                new ReplicaReads.Candidate(OTHER, ServedFrom.STANDBY, false),
                new ReplicaReads.Candidate(THIRD, ServedFrom.STANDBY, false));
        KeyQueryMetadata activeUnknown = new KeyQueryMetadata(HostInfo.unavailable(), Set.of(OTHER), PARTITION);
        assertThat(ReplicaReads.candidates(activeUnknown, SELF, true)).containsExactly(
                new ReplicaReads.Candidate(OTHER, ServedFrom.STANDBY, false));
    }
}
