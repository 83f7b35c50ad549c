package io.streamrec.app.http;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsNotStartedException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a per-user request from the active copy of the user's store partition: asks Kafka Streams which
 * instance hosts it; answers from the local stores when that is this instance, else forwards the request there
 * and relays the answer.
 *
 * <p>During rebalances and restarts the active copy can be briefly unable to answer (client not started,
 * metadata not available, store migrating or restoring, owner unreachable, or the instance asked is no longer the
 * owner). Then, if the request allows stale answers ({@link ApiRequest#maxLagRecords()}), a standby or restoring
 * copy within the lag bound answers instead ({@link ReplicaReads}), marked with {@link Freshness}. Failing that,
 * the instance a client asked retries with exponential backoff (25 ms doubling to 1 s), the active copy first
 * each time, until the request's deadline, then answers 503 with the reason and {@code Retry-After}.
 *
 * <p>A forwarded request ({@value Forwarder#FORWARDED_BY}) is never retried nor forwarded again where it
 * arrives: an instance that cannot answer it answers 503 at once, marked {@value Forwarder#UNAVAILABLE} with the
 * reason, and the forwarding instance, seeing the mark, tries the other copies and retries with its own backoff
 * and deadline. So the retries of a request happen once, on the instance the client asked, and a client that
 * forges the header costs an instance one metadata lookup, not a request thread for the whole query timeout. A
 * request forwarded for this instance's own copy ({@value Forwarder#STALE_WITHIN}) is answered from it, active
 * or stale within the bound, or bounced the same way.
 *
 * <p>Thread-safe: no state besides its collaborators, which are.
 */
final class KeyRouter {

    private static final Logger log = LoggerFactory.getLogger(KeyRouter.class);

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(25);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);
    private static final Set<KafkaStreams.State> QUERYABLE = Set.of(KafkaStreams.State.CREATED,
            KafkaStreams.State.REBALANCING, KafkaStreams.State.RUNNING);

    /** Computes the answer from one of this instance's copies of a partition. */
    @FunctionalInterface
    interface LocalAnswer {
        /**
         * @param copy which copy to read: the active one, or a stale one (and how stale, for the answer)
         * @throws InvalidStateStoreException when that copy is not queryable here (another copy may be)
         * @throws ApiException               for a definite answer such as 404
         */
        ApiResponse answer(int partition, Freshness copy) throws ApiException;
    }

    /** Who hosts the copies of a key's partition, and how far this instance's copies trail: Kafka Streams'. */
    interface KeyOwners {
        /**
         * @throws StreamsNotStartedException before the client started
         * @throws IllegalStateException      when the client is not in a state that answers (e.g. failed)
         */
        KeyQueryMetadata ownerOf(String store, String key);

        KafkaStreams.State state();

        /**
         * The changelog offset lag of this instance's copy of a store partition, as recently read ({@link
         * LocalLags}); empty when there is no copy here or its lag is not known.
         */
        OptionalLong localLag(String store, int partition);

        static KeyOwners of(KafkaStreams streams, LocalLags lags) {
            Serializer<String> keys = new StringSerializer();
            return new KeyOwners() {
                @Override
                public KeyQueryMetadata ownerOf(String store, String key) {
                    return streams.queryMetadataForKey(store, key, keys);
                }

                @Override
                public KafkaStreams.State state() {
                    return streams.state();
                }

                @Override
                public OptionalLong localLag(String store, int partition) {
                    return lags.offsetLag(store, partition);
                }
            };
        }
    }

    /** Asks another instance the same request ({@link Forwarder}). */
    @FunctionalInterface
    interface Forward {
        /**
         * @param staleWithin empty to ask the active copy; else ask {@code host} to answer from its own copy,
         *                    which may trail by at most this many records
         * @throws IOException when the host cannot be reached or does not answer within {@code timeout}
         */
        ApiResponse forward(HostInfo host, String rawPathAndQuery, Duration timeout, OptionalLong staleWithin)
                throws IOException, InterruptedException;
    }

    /**
     * A per-user request to route.
     *
     * @param store           the store whose partitioning decides the owner
     * @param rawPathAndQuery the request as received, forwarded as is
     * @param forwardedBy     the instance that forwarded this request to us, or null for a client's request
     * @param forOwnCopy      whether the forwarding instance asked for this instance's own copy
     *                        ({@value Forwarder#STALE_WITHIN})
     * @param maxLagRecords   how many records a stale copy may trail by; {@value HttpSettings#ACTIVE_ONLY}: none
     * @param deadlineNanos   when to stop retrying and answer 503, in {@link System#nanoTime()} terms
     */
    record Query(Route route, String store, String userId, String rawPathAndQuery, String forwardedBy,
                 boolean forOwnCopy, long maxLagRecords, long deadlineNanos) {

        boolean allowsStale() {
            return maxLagRecords >= 0;
        }
    }

    private final KeyOwners owners;
    private final HostInfo self;
    private final String selfName;
    private final HttpMetrics metrics;
    private final ApiJson json;
    private final CopyAccess copies;
    private final ReplicaReads replicas;

    KeyRouter(KeyOwners owners, HostInfo self, Forward forwarder, HttpMetrics metrics, ApiJson json) {
        this.owners = owners;
        this.self = self;
        this.selfName = Forwarder.hostPort(self);
        this.metrics = metrics;
        this.json = json;
        this.copies = new CopyAccess(forwarder, metrics, json);
        this.replicas = new ReplicaReads(owners, self, copies);
    }

    /** The answer for the query's user, from here or from another instance, or a 503. */
    ApiResponse route(Query query, LocalAnswer local) {
        long start = System.nanoTime();
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            Attempt attempt = attempt(query, local);
            if (attempt.isAnswered()) {
                return attempt.answer();
            }
            Attempt.Miss miss = attempt.miss();
            if (query.forwardedBy() != null) {
                return bounce(query, miss);
            }
            if (!miss.retriable() || System.nanoTime() + backoff.toNanos() > query.deadlineNanos()) {
                return give(query, miss, start);
            }
            metrics.retry(miss.reason());
            log.debug("event=routing_retry route={} user={} reason={} detail=\"{}\" backoff_ms={}",
                    query.route().template(), query.userId(), miss.reason(), miss.detail(), backoff.toMillis());
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return give(query, new Attempt.Miss("interrupted", "interrupted while waiting to retry", false),
                        start);
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private Attempt attempt(Query query, LocalAnswer local) {
        try {
            KeyQueryMetadata metadata = owners.ownerOf(query.store(), query.userId());
            if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata) || metadata.partition() < 0) {
                return Attempt.missed("metadata-unavailable", "the user's partition and its hosts are not known yet",
                        true);
            }
            if (query.forOwnCopy()) {
                return replicas.answerHere(query, metadata, local);
            }
            Attempt active = fromActive(query, metadata, local);
            if (active.isAnswered() || !active.miss().retriable() || query.forwardedBy() != null
                    || !query.allowsStale()) {
                return active;
            }
            return replicas.fromReplicas(query, metadata, local, active.miss());
        } catch (StreamsNotStartedException e) {
            return Attempt.missed("not-started", "the Kafka Streams client has not started", true);
        } catch (IllegalStateException e) {
            KafkaStreams.State state = owners.state();
            if (QUERYABLE.contains(state)) {
                throw e; // not the client's state: a bug, answered 500 by the handler
            }
            return Attempt.missed("streams-" + state.name().toLowerCase(Locale.ROOT),
                    "the Kafka Streams client is " + state, false);
        }
    }

    /** The active copy's answer: read here, or asked of its host. */
    private Attempt fromActive(Query query, KeyQueryMetadata metadata, LocalAnswer local) {
        HostInfo owner = metadata.activeHost();
        if (owner == null || HostInfo.unavailable().equals(owner)) {
            return Attempt.missed("metadata-unavailable", "no instance is known to own the user's partition yet",
                    true);
        }
        if (owner.equals(self)) {
            return copies.readHere(local, metadata.partition(), Freshness.ACTIVE);
        }
        if (query.forwardedBy() != null) {
            return Attempt.missed("not-owner", "forwarded by " + ApiHandler.abbreviate(query.forwardedBy())
                    + " but the owner is " + Forwarder.hostPort(owner), true);
        }
        return copies.ask(owner, query.rawPathAndQuery(), query.deadlineNanos(), OptionalLong.empty());
    }

    /** The answer to a forwarded request this instance cannot answer: at once, for the forwarder to retry. */
    private ApiResponse bounce(Query query, Attempt.Miss miss) {
        metrics.bounced(miss.reason());
        // DEBUG: a client can send the forwarding header itself, so these are as frequent as it likes.
        log.debug("event=routing_bounced route={} user={} forwarded_by={} reason={} detail=\"{}\"",
                query.route().template(), query.userId(), ApiHandler.abbreviate(query.forwardedBy()), miss.reason(),
                miss.detail());
        return json.error(503, "cannot answer for this user here (" + miss.reason() + ": " + miss.detail()
                        + "); the forwarding instance retries")
                .withHeader("Retry-After", "1")
                .withHeader(Forwarder.UNAVAILABLE, miss.reason());
    }

    private ApiResponse give(Query query, Attempt.Miss miss, long start) {
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        metrics.failure(miss.reason());
        log.warn("event=routing_failed route={} user={} instance={} reason={} waited_ms={} detail=\"{}\"",
                query.route().template(), query.userId(), selfName, miss.reason(), waitedMs, miss.detail());
        return json.error(503, "cannot answer for this user right now (" + miss.reason() + ": " + miss.detail()
                + "); retry later").withHeader("Retry-After", "1");
    }
}
