package io.streamrec.app.http;

import java.io.IOException;
import java.time.Duration;
import java.util.OptionalLong;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The two ways a router gets an answer from a copy of a user's store partition: read the copy this instance
 * holds, or ask the instance that holds one ({@link Forwarder}). Both the active copy's route ({@link KeyRouter})
 * and the stale copies' ({@link ReplicaReads}) go through here, so every answer is marked and counted alike.
 *
 * <p>Thread-safe: no state besides its collaborators, which are.
 */
final class CopyAccess {

    private final KeyRouter.Forward forwarder;
    private final HttpMetrics metrics;
    private final ApiJson json;

    CopyAccess(KeyRouter.Forward forwarder, HttpMetrics metrics, ApiJson json) {
        this.forwarder = forwarder;
        this.metrics = metrics;
        this.json = json;
    }

    /**
     * The answer from this instance's copy of {@code partition}, with the partition and {@link Freshness} headers;
     * a definite error (404) is an answer too, marked alike so a client sees which copy had no such user.
     */
    Attempt readHere(KeyRouter.LocalAnswer local, int partition, Freshness copy) {
        ApiResponse answer;
        try {
            answer = local.answer(partition, copy);
        } catch (ApiException e) {
            answer = json.error(e.status(), e.getMessage());
        } catch (InvalidStateStoreException e) {
            return Attempt.missed("store-unavailable", "the " + copy.servedFrom().tag() + " copy of partition "
                    + partition + " is not queryable here right now: " + e.getMessage(), true);
        }
        metrics.routedLocally();
        metrics.served(copy.servedFrom());
        return Attempt.answered(copy.addTo(answer).withHeader(Forwarder.PARTITION, Integer.toString(partition)));
    }

    /**
     * Asks {@code host} the same request; an answer it marks as unavailable is a miss to retry, anything else is
     * relayed as is.
     *
     * @param staleWithin empty to ask the active copy; else ask {@code host} to answer from its own copy, which
     *                    may trail by at most this many records
     */
    Attempt ask(HostInfo host, String rawPathAndQuery, long deadlineNanos, OptionalLong staleWithin) {
        String role = staleWithin.isPresent() ? "replica " : "owner ";
        ApiResponse relayed;
        try {
            relayed = forwarder.forward(host, rawPathAndQuery,
                    Duration.ofNanos(Math.max(deadlineNanos - System.nanoTime(), 1_000_000)), staleWithin);
        } catch (IOException e) {
            return Attempt.missed("owner-unreachable", role + Forwarder.hostPort(host) + " did not answer: " + e,
                    true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Attempt.missed("interrupted", "interrupted while forwarding", false);
        }
        String unavailable = relayed.headers().get(Forwarder.UNAVAILABLE);
        if (unavailable != null) {
            // Tags stay few whatever the other instance sends: its own not-owner, or anything else.
            return Attempt.missed(unavailable.equals("not-owner") ? "not-owner" : "owner-unavailable", role
                    + Forwarder.hostPort(host) + " cannot answer (" + ApiHandler.abbreviate(unavailable) + ")", true);
        }
        metrics.routedRemotely();
        return Attempt.answered(relayed);
    }
}
