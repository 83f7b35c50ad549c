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
 * available, store migrating or restoring, owner unreachable, or a forwarded request reaching an instance that
 * no longer owns the key). Each of those is retried with exponential backoff (25 ms doubling to 1 s) until
 * {@code http.query.timeout.ms} has passed, then answered 503 with the reason and {@code Retry-After}.
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

    private final KafkaStreams streams;
    private final HostInfo self;
    private final String selfName;
    private final Forwarder forwarder;
    private final HttpMetrics metrics;
    private final ApiJson json;
    private final Duration timeout;
    private final Serializer<String> keySerializer = new StringSerializer();

    KeyRouter(KafkaStreams streams, HostInfo self, Forwarder forwarder, HttpMetrics metrics, ApiJson json,
              Duration timeout) {
        this.streams = streams;
        this.self = self;
        this.selfName = Forwarder.hostPort(self);
        this.forwarder = forwarder;
        this.metrics = metrics;
        this.json = json;
        this.timeout = timeout;
    }

    /**
     * The answer for {@code userId}, from here or from the owner.
     *
     * @param store           the store whose partitioning decides the owner
     * @param rawPathAndQuery the request as received, forwarded as is
     * @param forwardedBy     the instance that forwarded this request to us, or null for a client's request
     */
    ApiResponse route(Route route, String store, String userId, String rawPathAndQuery, String forwardedBy,
                      LocalAnswer local) throws ApiException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            String reason;
            String detail;
            try {
                KeyQueryMetadata metadata = streams.queryMetadataForKey(store, userId, keySerializer);
                HostInfo owner = metadata == null ? null : metadata.activeHost();
                if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)
                        || HostInfo.unavailable().equals(owner)) {
                    reason = "metadata-unavailable";
                    detail = "no instance is known to own the user's partition yet";
                } else if (owner.equals(self)) {
                    ApiResponse answer = local.answer(metadata.partition());
                    metrics.routedLocally();
                    return answer.withHeader(Forwarder.PARTITION, Integer.toString(metadata.partition()));
                } else if (forwardedBy != null) {
                    reason = "not-owner";
                    detail = "forwarded by " + forwardedBy + " but the owner is " + Forwarder.hostPort(owner);
                } else {
                    try {
                        ApiResponse relayed = forwarder.forward(owner, rawPathAndQuery,
                                Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000)));
                        metrics.routedRemotely();
                        return relayed;
                    } catch (IOException e) {
                        reason = "owner-unreachable";
                        detail = "owner " + Forwarder.hostPort(owner) + " did not answer: " + e;
                    }
                }
            } catch (StreamsNotStartedException e) {
                reason = "not-started";
                detail = "the Kafka Streams client has not started";
            } catch (InvalidStateStoreException e) {
                reason = "store-unavailable";
                detail = "the store is not queryable here right now: " + e.getMessage();
            } catch (IllegalStateException e) {
                KafkaStreams.State state = streams.state();
                if (QUERYABLE.contains(state)) {
                    throw e; // not the client's state: a bug, answered 500 by the handler
                }
                return give(route, userId, "streams-" + state.name().toLowerCase(Locale.ROOT),
                        "the Kafka Streams client is " + state, start);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return give(route, userId, "interrupted", "interrupted while forwarding", start);
            }
            if (System.nanoTime() + backoff.toNanos() > deadline) {
                return give(route, userId, reason, detail, start);
            }
            metrics.retry(reason);
            log.debug("event=routing_retry route={} user={} reason={} detail=\"{}\" backoff_ms={}", route.template(),
                    userId, reason, detail, backoff.toMillis());
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return give(route, userId, "interrupted", "interrupted while waiting to retry", start);
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private ApiResponse give(Route route, String userId, String reason, String detail, long start) {
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        metrics.failure(reason);
        log.warn("event=routing_failed route={} user={} instance={} reason={} waited_ms={} detail=\"{}\"",
                route.template(), userId, selfName, reason, waitedMs, detail);
        return json.error(503, "cannot answer for this user right now (" + reason + ": " + detail + "); retry later")
                .withHeader("Retry-After", "1");
    }
}
