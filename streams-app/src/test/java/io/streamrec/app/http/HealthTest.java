package io.streamrec.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.app.model.ModelInfo;
import io.streamrec.app.model.ModelRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

class HealthTest {

    static final ModelRegistry.Serving SERVING = new ModelRegistry.Serving(new ModelInfo("default", 7, "gmf",
            Instant.parse("2026-01-01T00:00:00Z"), 10, 5, 4, Map.of(), Map.of(), Map.of(), null, 100),
            Instant.parse("2026-01-02T00:00:00Z"), Duration.ofMillis(250));

    @Test
    void aliveUnlessTheClientFailedOrStoppedOnItsOwn() {
        for (State state : State.values()) {
            boolean expected = state == State.CREATED || state == State.REBALANCING || state == State.RUNNING;
            Health.LiveView view = Health.liveness(state);
            assertThat(view.live()).as(state.name()).isEqualTo(expected);
            assertThat(view.streamsState()).isEqualTo(state.name());
            assertThat(view.reason() == null).as("a reason exactly when not live").isEqualTo(expected);
        }
    }

    @Test
    void readyOnlyWhenRunning() {
        for (State state : State.values()) {
            Health.ReadyView view = Health.readiness(state, Optional.of(SERVING), false);
            assertThat(view.ready()).as(state.name()).isEqualTo(state == State.RUNNING);
            if (state != State.RUNNING) {
                assertThat(view.reason()).contains(state.name(), "not RUNNING");
            }
        }
    }

    @Test
    void theFallbackIsEnoughUnlessAModelIsRequired() {
        Health.ReadyView fallback = Health.readiness(State.RUNNING, Optional.empty(), false);
        assertThat(fallback).isEqualTo(new Health.ReadyView(true, "RUNNING", "fallback", null, null));

        Health.ReadyView waiting = Health.readiness(State.RUNNING, Optional.empty(), true);
        assertThat(waiting.ready()).isFalse();
        assertThat(waiting.reason()).contains("no model serves yet", "http.ready.requires.model");

        Health.ReadyView model = Health.readiness(State.RUNNING, Optional.of(SERVING), true);
        assertThat(model).isEqualTo(new Health.ReadyView(true, "RUNNING", "model", 7L, null));
    }
}
