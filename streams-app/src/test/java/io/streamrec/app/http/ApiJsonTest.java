package io.streamrec.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrec.app.model.ModelEvent;
import io.streamrec.app.model.ModelInfo;
import io.streamrec.app.model.ModelRegistry;
import io.streamrec.app.topology.UserHistory;
import io.streamrec.avro.Recommendations;
import io.streamrec.avro.RecommendedItem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ApiJsonTest {

    private static final Instant T = Instant.parse("2026-11-29T12:00:00Z");

    private final ApiJson json = new ApiJson();
    private final ObjectMapper reader = new ObjectMapper();

    private JsonNode render(Object view) throws IOException {
        return reader.readTree(json.write(view));
    }

    @Test
    void errorsHaveTheirMessageAndStatusAndNothingElse() {
        ApiResponse response = json.error(400, "k must be in 1..1000, got \"0\"");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).isEqualTo("application/json; charset=utf-8");
        assertThat(response.bodyText()).isEqualTo("{\"error\":\"k must be in 1..1000, got \\\"0\\\"\",\"status\":400}");
    }

    @Test
    void aListKeepsTheAvroFieldsAndSaysHowMuchHistoryItCameFrom() throws IOException {
        Recommendations list = new Recommendations("u-1", List.of(new RecommendedItem("item-3", 2.5f),
                new RecommendedItem("item-1", -0.25f)), "default", 4L, false, T, T.plusMillis(5));
        JsonNode node = render(ApiJson.RecommendationsView.of(list, 3, Freshness.ACTIVE));
        assertThat(node.toString()).isEqualTo("{\"userId\":\"u-1\",\"items\":[{\"itemId\":\"item-3\",\"score\":2.5},"
                + "{\"itemId\":\"item-1\",\"score\":-0.25}],\"modelName\":\"default\",\"modelVersion\":4,"
                + "\"fallback\":false,\"historyItems\":3,\"eventTime\":\"2026-11-29T12:00:00Z\","
                + "\"generatedAt\":\"2026-11-29T12:00:00.005Z\",\"servedFrom\":\"active\",\"lagRecords\":0}");
        JsonNode stale = render(ApiJson.RecommendationsView.of(list, 3, new Freshness(ServedFrom.STANDBY, 42)));
        assertThat(stale.get("servedFrom").asText()).isEqualTo("standby");
        assertThat(stale.get("lagRecords").asLong()).isEqualTo(42);
    }

    @Test
    void aFallbackListHasANullVersion() throws IOException {
        Recommendations list = new Recommendations("stranger", List.of(), "popularity", null, true, T, T);
        JsonNode node = render(ApiJson.RecommendationsView.of(list, 0, Freshness.ACTIVE));
        assertThat(node.get("modelVersion").isNull()).isTrue();
        assertThat(node.get("fallback").asBoolean()).isTrue();
        assertThat(node.get("items").size()).isZero();
    }

    @Test
    void historyIsNewestFirstWithIsoTimes() throws IOException {
        UserHistory history = UserHistory.EMPTY.with("a", T.toEpochMilli(), 10).with("b", T.plusSeconds(1)
                .toEpochMilli(), 10);
        JsonNode node = render(ApiJson.HistoryView.of("u-1", history, new Freshness(ServedFrom.RESTORING, 7)));
        assertThat(node.toString()).isEqualTo("{\"userId\":\"u-1\",\"items\":[{\"itemId\":\"b\",\"seenAt\":"
                + "\"2026-11-29T12:00:01Z\"},{\"itemId\":\"a\",\"seenAt\":\"2026-11-29T12:00:00Z\"}],"
                + "\"lastRecommendedAt\":null,\"servedFrom\":\"restoring\",\"lagRecords\":7}");
        JsonNode answered = render(ApiJson.HistoryView.of("u-1", history.recommendedAt(T.toEpochMilli()),
                Freshness.ACTIVE));
        assertThat(answered.get("lastRecommendedAt").asText()).isEqualTo("2026-11-29T12:00:00Z");
    }

    @Test
    void withoutAModelTheServingFieldIsNull() throws IOException {
        JsonNode node = render(ApiJson.ModelsView.of("default", OptionalLong.empty(), Optional.empty()));
        assertThat(node.toString()).isEqualTo("{\"model\":\"default\",\"pinnedVersion\":null,\"serving\":null}");
    }

    @Test
    void theServingReleaseIsDescribedWithItsSigningKey() throws IOException {
        ModelInfo info = new ModelInfo("default", 3, "history-aneumf", T, 100, 20, 8, Map.of("ndcg@10", 0.25,
                "hr@10", 0.5), Map.of("dim", "16"), Map.of("source", "test"), "key-abc", 4096);
        JsonNode node = render(ApiJson.ModelsView.of("default", OptionalLong.of(3),
                Optional.of(new ModelRegistry.Serving(info, T.plusSeconds(60), Duration.ofMillis(1234)))));
        assertThat(node.get("pinnedVersion").asLong()).isEqualTo(3);
        JsonNode serving = node.get("serving");
        assertThat(serving.get("name").asText()).isEqualTo("default");
        assertThat(serving.get("version").asLong()).isEqualTo(3);
        assertThat(serving.get("variant").asText()).isEqualTo("history-aneumf");
        assertThat(serving.get("createdAt").asText()).isEqualTo("2026-11-29T12:00:00Z");
        assertThat(serving.get("itemCount").asInt()).isEqualTo(100);
        assertThat(serving.get("historyLength").asInt()).isEqualTo(8);
        assertThat(serving.get("metrics").toString()).as("sorted by name").isEqualTo(
                "{\"hr@10\":0.5,\"ndcg@10\":0.25}");
        assertThat(serving.get("hyperparameters").get("dim").asText()).isEqualTo("16");
        assertThat(serving.get("provenance").get("source").asText()).isEqualTo("test");
        assertThat(serving.get("signed").asBoolean()).isTrue();
        assertThat(serving.get("signingKeyId").asText()).isEqualTo("key-abc");
        assertThat(serving.get("loadedAt").asText()).isEqualTo("2026-11-29T12:01:00Z");
        assertThat(serving.get("loadTimeMs").asLong()).isEqualTo(1234);
    }

    @Test
    void anUnsignedReleaseSaysSo() throws IOException {
        ModelInfo info = new ModelInfo("default", 1, "gmf", null, 1, 1, 1, Map.of(), Map.of(), Map.of(), null, 1);
        JsonNode serving = render(ApiJson.ServingView.of(new ModelRegistry.Serving(info, T, Duration.ZERO)));
        assertThat(serving.get("signed").asBoolean()).isFalse();
        assertThat(serving.get("signingKeyId").isNull()).isTrue();
        assertThat(serving.get("createdAt").isNull()).isTrue();
    }

    @Test
    void eventsAreNewestFirstWithLowerCaseKinds() throws IOException {
        List<ModelEvent> oldestFirst = List.of(
                new ModelEvent(T, ModelEvent.Kind.LOADED, "default", 1, "swapped", "now serving v1",
                        Duration.ofMillis(40)),
                new ModelEvent(T.plusSeconds(1), ModelEvent.Kind.REJECTED, "default", 2, "signature", "bad sig",
                        Duration.ofMillis(3)),
                new ModelEvent(T.plusSeconds(2), ModelEvent.Kind.IGNORED, "default", 0, "not-newer", "older",
                        Duration.ZERO));
        JsonNode node = render(ApiJson.EventsView.of("default", oldestFirst));
        assertThat(node.get("model").asText()).isEqualTo("default");
        JsonNode events = node.get("events");
        assertThat(events.size()).isEqualTo(3);
        assertThat(events.get(0).get("kind").asText()).isEqualTo("ignored");
        assertThat(events.get(1).toString()).isEqualTo("{\"at\":\"2026-11-29T12:00:01Z\",\"kind\":\"rejected\","
                + "\"model\":\"default\",\"version\":2,\"reason\":\"signature\",\"message\":\"bad sig\","
                + "\"loadTimeMs\":3}");
        assertThat(events.get(2).get("kind").asText()).isEqualTo("loaded");
    }

    @Test
    void responsesCopyTheirBodyAndAddHeaders() {
        byte[] body = "x".getBytes(StandardCharsets.UTF_8);
        ApiResponse response = new ApiResponse(200, ApiResponse.JSON, body, Map.of());
        body[0] = 'y';
        assertThat(response.bodyText()).isEqualTo("x");
        ApiResponse more = response.withHeader("Allow", "GET");
        assertThat(more.headers()).containsEntry("Allow", "GET");
        assertThat(response.headers()).isEmpty();
        assertThat(more).isNotEqualTo(response).isEqualTo(response.withHeader("Allow", "GET"));
    }
}
