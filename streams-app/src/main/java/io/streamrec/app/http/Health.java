package io.streamrec.app.http;

import io.streamrec.app.model.ModelRegistry;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The probes' decisions, as pure functions of the Kafka Streams state and the serving model.
 *
 * <p>Liveness: the HTTP server is stopped before the app closes Kafka Streams, so while it answers, a client in
 * {@code PENDING_SHUTDOWN} or {@code NOT_RUNNING} has stopped on its own (a fatal error), as has one in
 * {@code PENDING_ERROR} or {@code ERROR}: restarting the process is the cure. {@code CREATED},
 * {@code REBALANCING} and {@code RUNNING} are alive.
 *
 * <p>Readiness: the client must be {@code RUNNING} (it answers interactive queries and owns its partitions),
 * and someone must be able to answer: a serving model, or the popularity fallback, which always can unless
 * {@code http.ready.requires.model} is set.
 */
public final class Health {

    private Health() {
    }

    /** The body of {@code /health/live}. */
    public record LiveView(boolean live, String streamsState, String reason) { }

    /** The body of {@code /health/ready}. */
    public record ReadyView(boolean ready, String streamsState, String servingFrom, Long modelVersion,
                            String reason) { }

    public static LiveView liveness(KafkaStreams.State state) {
        return switch (state) {
            case CREATED, REBALANCING, RUNNING -> new LiveView(true, state.name(), null);
            case PENDING_ERROR, ERROR -> new LiveView(false, state.name(), "the Kafka Streams client failed");
            case PENDING_SHUTDOWN, NOT_RUNNING -> new LiveView(false, state.name(),
                    "the Kafka Streams client stopped while the app still runs");
        };
    }

    /**
     * @param serving            the serving model, if any
     * @param readyRequiresModel whether the popularity fallback is not enough
     */
    public static ReadyView readiness(KafkaStreams.State state, Optional<ModelRegistry.Serving> serving,
                                      boolean readyRequiresModel) {
        String servingFrom = serving.isPresent() ? "model" : "fallback";
        Long version = serving.map(current -> current.info().version()).orElse(null);
        if (state != KafkaStreams.State.RUNNING) {
            return new ReadyView(false, state.name(), servingFrom, version,
                    "the Kafka Streams client is " + state + ", not RUNNING");
        }
        if (serving.isEmpty() && readyRequiresModel) {
            return new ReadyView(false, state.name(), servingFrom, null,
                    "no model serves yet and http.ready.requires.model=true");
        }
        return new ReadyView(true, state.name(), servingFrom, version, null);
    }
}
