package io.streamrec.app.http;

import static io.streamrec.app.http.ApiItSupport.TIMEOUT;
import static io.streamrec.app.http.ApiItSupport.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamrec.app.StreamsApp;
import io.streamrec.app.StreamsAppConfig;
import io.streamrec.app.model.TestModels;
import io.streamrec.app.model.TestModels.DotModel;
import io.streamrec.avro.ClickEvent;
import io.streamrec.avro.ModelRelease;
import io.streamrec.devstack.LocalStack;
import io.streamrec.devstack.LocalStackExtension;
import io.streamrec.schemas.model.ReleaseKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One instance that requires a model to be ready, on the real local stack: the model endpoints, readiness and
 * the model meters before any release, after a signed release (whose scores the on-demand list must follow),
 * and after a tampered release that is rejected while the first keeps serving.
 */
@ExtendWith(LocalStackExtension.class)
class ModelEndpointsIT {

    private static final int MODEL_USERS = 8;
    private static final int ITEMS = 30;
    private static final int HISTORY = 5;

    @Test
    void theModelEndpointsReadinessAndMetersFollowReleases(LocalStack stack, @TempDir Path stateDir) {
        ApiItSupport support = ApiItSupport.create(stack, "models", 2);
        Map<String, Object> settings = support.appSettings(stateDir);
        settings.put(StreamsAppConfig.HTTP_READY_REQUIRES_MODEL_CONFIG, true);
        try (StreamsApp app = StreamsApp.start(settings)) {
            await().atMost(TIMEOUT).until(() -> app.streams().state() == KafkaStreams.State.RUNNING);

            // No model yet: alive, running, but not ready as configured; nothing serves, no events.
            assertThat(get(app, "/health/live").status()).isEqualTo(200);
            ApiItSupport.Answer notReady = get(app, "/health/ready");
            assertThat(notReady.status()).isEqualTo(503);
            assertThat(notReady.json().get("streamsState").asText()).isEqualTo("RUNNING");
            assertThat(notReady.json().get("servingFrom").asText()).isEqualTo("fallback");
            assertThat(notReady.json().get("reason").asText()).contains("no model serves yet");
            assertThat(get(app, "/models").json().toString())
                    .isEqualTo("{\"model\":\"default\",\"pinnedVersion\":null,\"serving\":null}");
            assertThat(get(app, "/models/events").json().get("events").size()).isZero();

            Instant t = Instant.now().minusSeconds(10);
            try (KafkaProducer<String, ClickEvent> producer = support.clickProducer()) {
                for (int i = 0; i < 2; i++) {
                    producer.send(new ProducerRecord<>(support.topics().get("clicks"), "user-2",
                            ClickEvent.newBuilder().setUserId("user-2").setItemId("item-" + (10 + i))
                                    .setEventType("view").setEventTime(t.plusMillis(i)).build()));
                }
            }
            await().atMost(TIMEOUT).until(() -> get(app, "/users/user-2/history").status() == 200
                    && get(app, "/users/user-2/history").json().get("items").size() == 2);
            assertThat(get(app, "/users/user-2/recommendations").json().get("fallback").asBoolean()).isTrue();

            // A signed release: it serves, readiness follows, and the on-demand list is the model's.
            DotModel model = DotModel.random(MODEL_USERS, ITEMS, 6, HISTORY, 1);
            support.publish(TestModels.signedRelease("default", 1, model));
            await().atMost(TIMEOUT).until(() -> !get(app, "/models").json().get("serving").isNull());
            JsonNode serving = get(app, "/models").json().get("serving");
            assertThat(serving.get("name").asText()).isEqualTo("default");
            assertThat(serving.get("version").asLong()).isEqualTo(1);
            assertThat(serving.get("variant").asText()).isEqualTo("test-dot");
            assertThat(serving.get("itemCount").asInt()).isEqualTo(ITEMS);
            assertThat(serving.get("historyLength").asInt()).isEqualTo(HISTORY);
            assertThat(serving.get("metrics").toString()).isEqualTo("{\"hr@10\":0.5}");
            assertThat(serving.get("hyperparameters").get("dim").asText()).isEqualTo("6");
            assertThat(serving.get("provenance").get("source").asText()).isEqualTo("TestModels");
            assertThat(serving.get("signed").asBoolean()).isTrue();
            assertThat(serving.get("signingKeyId").asText())
                    .isEqualTo(ReleaseKeys.keyId(TestModels.TRAINER_KEY.getPublic()));
            assertThat(Instant.parse(serving.get("loadedAt").asText())).isAfter(t);
            assertThat(serving.get("loadTimeMs").asLong()).isNotNegative();

            ApiItSupport.Answer ready = get(app, "/health/ready");
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.json().get("servingFrom").asText()).isEqualTo("model");
            assertThat(ready.json().get("modelVersion").asLong()).isEqualTo(1);

            JsonNode list = get(app, "/users/user-2/recommendations?k=4").json();
            assertThat(list.get("fallback").asBoolean()).isFalse();
            assertThat(list.get("modelName").asText()).isEqualTo("default");
            assertThat(list.get("modelVersion").asLong()).isEqualTo(1);
            assertThat(list.get("historyItems").asInt()).isEqualTo(2);
            long[] history = {0, 0, 0, 10, 11};
            List<String> expected = IntStream.rangeClosed(1, ITEMS).filter(item -> item != 10 && item != 11).boxed()
                    .sorted((x, y) -> Float.compare(model.expectedScore(2, history, y),
                            model.expectedScore(2, history, x)))
                    .limit(4).map(item -> "item-" + item).toList();
            assertThat(list.get("items").findValuesAsText("itemId")).containsExactlyElementsOf(expected);
            assertThat(list.get("items").get(0).get("score").asDouble()).isCloseTo(
                    model.expectedScore(2, history, Integer.parseInt(expected.get(0).substring(5))),
                    Offset.offset(1e-4));

            // A signed release whose graph is not ONNX: rejected with its reason, v1 keeps serving. (A forged one
            // never gets this far: the models processor dead-letters it.)
            ModelRelease notOnnx = TestModels.sign(TestModels.release("default", 2, DotModel.random(MODEL_USERS, ITEMS,
                    6, HISTORY, 2), "not an ONNX graph".getBytes(StandardCharsets.UTF_8)).build());
            support.publish(notOnnx);
            await().atMost(TIMEOUT).until(() -> get(app, "/models/events").json().get("events").size() == 2);
            JsonNode events = get(app, "/models/events").json().get("events");
            assertThat(events.get(0).get("kind").asText()).isEqualTo("rejected");
            assertThat(events.get(0).get("version").asLong()).isEqualTo(2);
            assertThat(events.get(0).get("reason").asText()).isEqualTo("graph");
            assertThat(events.get(0).get("message").asText()).contains("cannot load the graph");
            assertThat(events.get(1).get("kind").asText()).isEqualTo("loaded");
            assertThat(events.get(1).get("version").asLong()).isEqualTo(1);
            assertThat(events.get(1).get("reason").asText()).isEqualTo("swapped");
            assertThat(Instant.parse(events.get(0).get("at").asText()))
                    .isAfterOrEqualTo(Instant.parse(events.get(1).get("at").asText()));
            assertThat(get(app, "/models").json().get("serving").get("version").asLong()).isEqualTo(1);

            ApiItSupport.Answer scrape = get(app, "/metrics");
            assertThat(scrape.header("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
            PrometheusText.Exposition metrics = PrometheusText.parse(scrape.body());
            assertThat(metrics.types()).containsEntry("streamrec_model_events_total", "counter");
            assertThat(metrics.value("streamrec_model_events_total", Map.of("kind", "loaded", "reason", "swapped")))
                    .isEqualTo(1.0);
            assertThat(metrics.value("streamrec_model_events_total", Map.of("kind", "rejected",
                    "reason", "graph"))).isEqualTo(1.0);
            assertThat(metrics.value("streamrec_model_serving_version", Map.of())).isEqualTo(1.0);
            assertThat(metrics.value("streamrec_recommendations_total", Map.of("source", "model"))).isPositive();
            assertThat(metrics.value("streamrec_scoring_latency_seconds_count", Map.of())).isPositive();
            assertThat(metrics.find("streamrec_scoring_latency_seconds_bucket", Map.of())).hasSizeGreaterThan(10);
        }
    }
}
