package io.streamrec.app.http;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
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
 * Answers a per-user request on the instance that owns the user's key: asks Kafka Streams which instance hosts
 * the active store partition of the key; answers from the local stores when that is this instance, else
 * forwards the request there and relays the answer.
 *
 * <p>During rebalances and restarts the answer can be briefly unknowable (client not started, metadata not
 * available, store migrating or restoring, owner unreachable, or the instance asked is no longer the owner).
 * The instance a client asked retries each of those with exponential backoff (25 ms doubling to 1 s) until the
 * request's deadline, then answers 503 with the reason and {@code Retry-After}.
 *
 * <p>A forwarded request ({@value Forwarder#FORWARDED_BY}) is never retried where it arrives: an instance that
 * cannot answer it answers 503 at once, marked {@value Forwarder#UNAVAILABLE} with the reason, and the
 * forwarding instance, seeing the mark, retries with its own backoff and deadline. So the retries of a request
 * happen once, on the instance the client asked, and a client that forges the header costs an instance one
 * metadata lookup, not a request thread for the whole query timeout.
 *
 * <p>Thread-safe: no state besides its collaborators, which are.
 */
final class KeyRouter {

    private static final Logger log = LoggerFactory.getLogger(KeyRouter.class);

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(25);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);
    private static final Set<KafkaStreams.State> QUERYABLE = Set.of(KafkaStreams.State.CREATED,
            KafkaStreams.State.REBALANCING, KafkaStreams.State.RUNNING);

    /** Computes the answer from this instance's stores of one partition. */
    @FunctionalInterface
    interface LocalAnswer {
        /**
         * @throws InvalidStateStoreException when the partition's store is not queryable here (retried)
         * @throws ApiException               for a definite answer such as 404
         */
        ApiResponse answer(int partition) throws ApiException;
    }

    /** Who hosts the active partition of a key: Kafka Streams' metadata. */
    interface KeyOwners {
        /**
         * @throws StreamsNotStartedException before the client started
         * @throws IllegalStateException      when the client is not in a state that answers (e.g. failed)
         */
        KeyQueryMetadata ownerOf(String store, String key);

        KafkaStreams.State state();

        static KeyOwners of(KafkaStreams streams) {
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
            };
        }
    }

    /** Asks another instance the same request ({@link Forwarder}). */
    @FunctionalInterface
    interface Forward {
        /** @throws IOException when the owner cannot be reached or does not answer within {@code timeout} */
        ApiResponse forward(HostInfo owner, String rawPathAndQuery, Duration timeout)
                throws IOException, InterruptedException;
    }

    /**
     * Why an attempt found no answer.
     *
     * @param reason    short and from a fixed set: a meter tag and the 503's machine-readable mark
     * @param detail    for people: logs and the 503's message
     * @param retriable whether another attempt may succeed (the client's state may not come back)
     */
    private record Miss(String reason, String detail, boolean retriable) { }

    /** An attempt's outcome: the answer, or the miss (exactly one of the two is set). */
    private record Attempt(ApiResponse answer, Miss miss) {

        static Attempt answered(ApiResponse answer) {
            return new Attempt(answer, null);
        }

        static Attempt missed(String reason, String detail, boolean retriable) {
            return new Attempt(null, new Miss(reason, detail, retriable));
        }
    }

    private final KeyOwners owners;
    private final HostInfo self;
    private final String selfName;
    private final Forward forwarder;
    private final HttpMetrics metrics;
    private final ApiJson json;

    KeyRouter(KeyOwners owners, HostInfo self, Forward forwarder, HttpMetrics metrics, ApiJson json) {
        this.owners = owners;
        this.self = self;
        this.selfName = Forwarder.hostPort(self);
        this.forwarder = forwarder;
        this.metrics = metrics;
        this.json = json;
    }

    /**
     * The answer for {@code userId}, from here or from the owner.
     *
     * @param store           the store whose partitioning decides the owner
     * @param rawPathAndQuery the request as received, forwarded as is
     * @param forwardedBy     the instance that forwarded this request to us, or null for a client's request
     * @param deadlineNanos   when to stop retrying and answer 503, in {@link System#nanoTime()} terms
     */
    ApiResponse route(Route route, String store, String userId, String rawPathAndQuery, String forwardedBy,
                      long deadlineNanos, LocalAnswer local) throws ApiException {
        long start = System.nanoTime();
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            Attempt attempt = attempt(store, userId, rawPathAndQuery, forwardedBy, deadlineNanos, local);
            if (attempt.answer() != null) {
                return attempt.answer();
            }
            Miss miss = attempt.miss();
            if (forwardedBy != null) {
                return bounce(route, userId, forwardedBy, miss);
            }
            if (!miss.retriable() || System.nanoTime() + backoff.toNanos() > deadlineNanos) {
                return give(route, userId, miss, start);
            }
            metrics.retry(miss.reason());
            log.debug("event=routing_retry route={} user={} reason={} detail=\"{}\" backoff_ms={}", route.template(),
                    userId, miss.reason(), miss.detail(), backoff.toMillis());
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return give(route, userId, new Miss("interrupted", "interrupted while waiting to retry", false), start);
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private Attempt attempt(String store, String userId, String rawPathAndQuery, String forwardedBy,
                            long deadlineNanos, LocalAnswer local) throws ApiException {
        try {
            KeyQueryMetadata metadata = owners.ownerOf(store, userId);
            HostInfo owner = metadata == null ? null : metadata.activeHost();
            if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)
                    || HostInfo.unavailable().equals(owner)) {
                return Attempt.missed("metadata-unavailable", "no instance is known to own the user's partition yet",
                        true);
            }
            if (owner.equals(self)) {
                ApiResponse answer = local.answer(metadata.partition());
                metrics.routedLocally();
                return Attempt.answered(answer.withHeader(Forwarder.PARTITION, Integer.toString(metadata.partition())));
            }
            if (forwardedBy != null) {
                return Attempt.missed("not-owner", "forwarded by " + ApiHandler.abbreviate(forwardedBy)
                        + " but the owner is " + Forwarder.hostPort(owner), true);
            }
            return forward(owner, rawPathAndQuery, deadlineNanos);
        } catch (StreamsNotStartedException e) {
            return Attempt.missed("not-started", "the Kafka Streams client has not started", true);
        } catch (InvalidStateStoreException e) {
            return Attempt.missed("store-unavailable", "the store is not queryable here right now: " + e.getMessage(),
                    true);
        } catch (IllegalStateException e) {
            KafkaStreams.State state = owners.state();
            if (QUERYABLE.contains(state)) {
                throw e; // not the client's state: a bug, answered 500 by the handler
            }
            return Attempt.missed("streams-" + state.name().toLowerCase(Locale.ROOT),
                    "the Kafka Streams client is " + state, false);
        }
    }

    /** Asks the owner; an answer it marks as unavailable is a miss to retry, anything else is relayed as is. */
    private Attempt forward(HostInfo owner, String rawPathAndQuery, long deadlineNanos) {
        ApiResponse relayed;
        try {
            relayed = forwarder.forward(owner, rawPathAndQuery,
                    Duration.ofNanos(Math.max(deadlineNanos - System.nanoTime(), 1_000_000)));
        } catch (IOException e) {
            return Attempt.missed("owner-unreachable", "owner " + Forwarder.hostPort(owner) + " did not answer: " + e,
                    true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Attempt.missed("interrupted", "interrupted while forwarding", false);
        }
        String unavailable = relayed.headers().get(Forwarder.UNAVAILABLE);
        if (unavailable != null) {
            // Tags stay few whatever the other instance sends: its own not-owner, or anything else.
            return Attempt.missed(unavailable.equals("not-owner") ? "not-owner" : "owner-unavailable", "owner "
                    + Forwarder.hostPort(owner) + " cannot answer (" + ApiHandler.abbreviate(unavailable) + ")", true);
        }
        metrics.routedRemotely();
        return Attempt.answered(relayed);
    }

    /** The answer to a forwarded request this instance cannot answer: at once, for the forwarder to retry. */
    private ApiResponse bounce(Route route, String userId, String forwardedBy, Miss miss) {
        metrics.bounced(miss.reason());
        // DEBUG: a client can send the forwarding header itself, so these are as frequent as it likes.
        log.debug("event=routing_bounced route={} user={} forwarded_by={} reason={} detail=\"{}\"", route.template(),
                userId, ApiHandler.abbreviate(forwardedBy), miss.reason(), miss.detail());
        return json.error(503, "cannot answer for this user here (" + miss.reason() + ": " + miss.detail()
                        + "); the forwarding instance retries")
                .withHeader("Retry-After", "1")
                .withHeader(Forwarder.UNAVAILABLE, miss.reason());
    }

    private ApiResponse give(Route route, String userId, Miss miss, long start) {
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        metrics.failure(miss.reason());
        log.warn("event=routing_failed route={} user={} instance={} reason={} waited_ms={} detail=\"{}\"",
                route.template(), userId, selfName, miss.reason(), waitedMs, miss.detail());
        return json.error(503, "cannot answer for this user right now (" + miss.reason() + ": " + miss.detail()
                + "); retry later").withHeader("Retry-After", "1");
    }
}
