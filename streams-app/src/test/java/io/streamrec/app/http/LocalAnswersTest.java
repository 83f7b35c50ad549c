package io.streamrec.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrec.app.StreamsAppConfig;
import io.streamrec.app.errors.FailedRecords;
import io.streamrec.app.model.ArtifactFetcher;
import io.streamrec.app.model.ModelLoader;
import io.streamrec.app.model.ModelRegistry;
import io.streamrec.app.model.OnnxRuntime;
import io.streamrec.app.model.TestModels;
import io.streamrec.app.topology.PopularityLists;
import io.streamrec.app.topology.Recommender;
import io.streamrec.app.topology.CollectingDeadLetters;
import io.streamrec.app.topology.RecommenderTopology;
import io.streamrec.avro.ClickEvent;
import io.streamrec.schemas.model.ReleaseVerifier;
import io.streamrec.schemas.serde.AvroSerde;
import io.streamrec.schemas.serde.InMemorySchemaRegistryClient;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP path's per-user answers over the real topology in a {@code TopologyTestDriver}: the fallback list is
 * the one the partition's task last published, store access is one lookup by key, and no store is scanned.
 */
class LocalAnswersTest {

    private static final Instant START = Instant.parse("2026-11-29T12:00:00Z");
    private static final Duration REFRESH = Duration.ofSeconds(5);

    private final PopularityLists popularity = new PopularityLists();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** Every store access of the HTTP path, as "store.method". */
    private final List<String> storeCalls = Collections.synchronizedList(new ArrayList<>());
    private OnnxRuntime onnx;
    private ModelRegistry models;
    private TopologyTestDriver driver;
    private TestInputTopic<String, ClickEvent> clicks;
    private LocalAnswers local;

    @BeforeEach
    void start() {
        Map<String, Object> settings = new HashMap<>(Map.of(
                StreamsConfig.APPLICATION_ID_CONFIG, "local-answers-test",
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092",
                "schema.registry.url", "http://unused:8081",
                StreamsAppConfig.RECOMMENDATIONS_COUNT_CONFIG, 3,
                StreamsAppConfig.HISTORY_MAX_ITEMS_CONFIG, 5,
                StreamsAppConfig.POPULARITY_REFRESH_MS_CONFIG, REFRESH.toMillis()));
        StreamsAppConfig config = new StreamsAppConfig(settings);
        onnx = new OnnxRuntime(new OnnxRuntime.Settings(1, false));
        models = new ModelRegistry(new ModelRegistry.Settings("default", OptionalLong.empty(), 10),
                new ModelLoader(onnx, ReleaseVerifier.trusting(List.of(TestModels.TRAINER_KEY.getPublic())),
                        new ArtifactFetcher(1_000, Duration.ofSeconds(1)), 1),
                Clock.systemUTC(), event -> { });
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        Properties properties = new Properties();
        properties.putAll(settings);
        driver = new TopologyTestDriver(RecommenderTopology.build(config, new RecommenderTopology.Collaborators(
                registry, models, new FailedRecords(2, 10), popularity, new CollectingDeadLetters(), meters)),
                properties, START);
        clicks = driver.createInputTopic(config.clicksTopic(), new StringSerializer(),
                AvroSerde.specific(ClickEvent.class, registry, config.allOriginals(), false).serializer());
        local = new LocalAnswers(this::recordingStore, popularity, new Recommender(models, true, meters),
                new ApiJson(), Clock.fixed(START, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
        models.close();
        onnx.close();
    }

    /**
     * The driver's store (it hosts one partition, 0), wrapped so that every call on it is recorded; a stale read
     * is recorded as such.
     */
    @SuppressWarnings("unchecked") // a proxy of the interface, over the store of that name
    private <V> ReadOnlyKeyValueStore<String, V> recordingStore(String name, int partition, boolean stale) {
        if (stale) {
            storeCalls.add(name + ".stale");
        }
        KeyValueStore<String, V> store = driver.getKeyValueStore(name);
        return (ReadOnlyKeyValueStore<String, V>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ReadOnlyKeyValueStore.class}, (proxy, method, arguments) -> {
                    storeCalls.add(name + "." + method.getName());
                    return method.invoke(store, arguments);
                });
    }

    private void click(String user, String item) {
        clicks.pipeInput(user, ClickEvent.newBuilder().setUserId(user).setItemId(item).setEventType("click")
                .setEventTime(START).build(), START);
    }

    private JsonNode recommendations(String user, int k) throws Exception {
        ApiResponse answer = local.recommendations(new ApiRequest(Route.RECOMMENDATIONS, user, k, 0), 0,
                Freshness.ACTIVE);
        assertThat(answer.status()).isEqualTo(200);
        return new ObjectMapper().readTree(answer.body());
    }

    private static List<String> items(JsonNode list) {
        return list.get("items").findValuesAsText("itemId");
    }

    private static List<Long> scores(JsonNode list) {
        List<Long> scores = new ArrayList<>();
        list.get("items").forEach(item -> scores.add(item.get("score").asLong()));
        return scores;
    }

    /** The counts store ranked as the tracker ranks it: most counted first, ties by item id. */
    private List<KeyValue<String, Long>> countsRanked() {
        List<KeyValue<String, Long>> all = new ArrayList<>();
        KeyValueStore<String, Long> counts = driver.getKeyValueStore(RecommenderTopology.ITEM_COUNTS_STORE);
        try (KeyValueIterator<String, Long> entries = counts.all()) {
            entries.forEachRemaining(all::add);
        }
        all.sort((x, y) -> x.value.equals(y.value) ? x.key.compareTo(y.key) : Long.compare(y.value, x.value));
        return all;
    }

    @Test
    void theFallbackIsTheListTheTaskLastPublishedAndNoStoreIsScanned() throws Exception {
        assertThat(popularity.ranked(0)).as("published when the task starts").contains(List.of());
        // New items rebuild the (not yet full) list at once; more clicks on known items wait for the refresh.
        click("u-1", "a");
        click("u-2", "b");
        click("u-3", "a");
        click("u-4", "c");
        click("u-5", "a");
        click("u-6", "b");
        JsonNode beforeRefresh = recommendations("stranger", 3);
        assertThat(items(beforeRefresh)).containsExactly("a", "b", "c");
        assertThat(scores(beforeRefresh)).as("the published list, not the counts now (3, 2, 1)")
                .containsExactly(2L, 1L, 1L);

        driver.advanceWallClockTime(REFRESH);
        JsonNode afterRefresh = recommendations("stranger", 3);
        List<KeyValue<String, Long>> counts = countsRanked();
        assertThat(items(afterRefresh)).containsExactlyElementsOf(counts.stream().map(entry -> entry.key).toList());
        assertThat(scores(afterRefresh)).containsExactlyElementsOf(counts.stream().map(entry -> entry.value).toList())
                .containsExactly(3L, 2L, 1L);
        assertThat(popularity.ranked(0).orElseThrow()).extracting(item -> item.itemId() + "=" + item.count())
                .containsExactly("a=3", "b=2", "c=1");

        // A known user's seen items are left out of the same list.
        assertThat(items(recommendations("u-1", 3))).containsExactly("b", "c");
        assertThat(storeCalls).as("one lookup by key per request, never a scan").containsOnly(
                RecommenderTopology.HISTORY_STORE + ".get").hasSize(3);
    }

    @Test
    void historyIsOneLookupByKey() throws Exception {
        click("u-1", "a");
        click("u-1", "b");
        ApiResponse history = local.history("u-1", 0, Freshness.ACTIVE);
        assertThat(new ObjectMapper().readTree(history.body()).get("items").findValuesAsText("itemId"))
                .containsExactly("b", "a");
        assertThatThrownBy(() -> local.history("stranger", 0, Freshness.ACTIVE)).isInstanceOf(ApiException.class)
                .hasMessageContaining("no history");
        assertThat(storeCalls).containsExactly(RecommenderTopology.HISTORY_STORE + ".get",
                RecommenderTopology.HISTORY_STORE + ".get");
    }

    @Test
    void aStaleCopyIsReadWithStaleStoresAndSaysSo() throws Exception {
        click("u-1", "a");
        JsonNode history = new ObjectMapper().readTree(local.history("u-1", 0, new Freshness(ServedFrom.STANDBY,
                12)).body());
        assertThat(history.get("servedFrom").asText()).isEqualTo("standby");
        assertThat(history.get("lagRecords").asLong()).isEqualTo(12);
        assertThat(storeCalls).containsExactly(RecommenderTopology.HISTORY_STORE + ".stale",
                RecommenderTopology.HISTORY_STORE + ".get");
    }

    @Test
    void aStaleCopyWhosePartitionPublishesNoListHereFallsBackToAnotherPartitionsList() throws Exception {
        click("u-1", "a");
        click("u-2", "b");
        click("u-3", "a");
        ApiRequest stranger = new ApiRequest(Route.RECOMMENDATIONS, "stranger", 3, 0);
        JsonNode list = new ObjectMapper().readTree(local.recommendations(stranger, 1,
                new Freshness(ServedFrom.STANDBY, 0)).body());
        assertThat(items(list)).as("partition 0's list, the only one here").containsExactly("a", "b");
        assertThat(list.get("fallback").asBoolean()).isTrue();
        assertThat(list.get("servedFrom").asText()).isEqualTo("standby");
    }

    @Test
    void aPartitionWithoutAPublishedListIsNotQueryableHereAndItsListGoesWithItsTask() {
        assertThatThrownBy(() -> local.recommendations(new ApiRequest(Route.RECOMMENDATIONS, "stranger", 3, 0), 1,
                Freshness.ACTIVE)).isInstanceOf(InvalidStateStoreException.class).hasMessageContaining("partition 1");
        driver.close();
        driver = null;
        assertThat(popularity.ranked(0)).as("withdrawn when the task closes").isEmpty();
    }
}
