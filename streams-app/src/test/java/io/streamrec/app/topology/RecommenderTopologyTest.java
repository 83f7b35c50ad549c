package io.streamrec.app.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrec.app.StreamsAppConfig;
import io.streamrec.app.StreamsAppSettings;
import io.streamrec.app.errors.DeadLetterConvention;
import io.streamrec.app.errors.DeadLetterHeaders;
import io.streamrec.app.errors.FailedRecords;
import io.streamrec.app.errors.RecordRefusedException;
import io.streamrec.app.model.ArtifactFetcher;
import io.streamrec.app.model.ModelEvent;
import io.streamrec.app.model.ModelLoader;
import io.streamrec.app.model.ModelRegistry;
import io.streamrec.app.model.OnnxRuntime;
import io.streamrec.app.rocksdb.SharedRocksDbMemory;
import io.streamrec.app.model.TestModels;
import io.streamrec.app.model.TestModels.DotModel;
import io.streamrec.avro.ClickEvent;
import io.streamrec.avro.Interaction;
import io.streamrec.avro.InteractionKey;
import io.streamrec.avro.ModelRelease;
import io.streamrec.avro.Recommendations;
import io.streamrec.avro.RecommendedItem;
import io.streamrec.schemas.model.ReleaseVerifier;
import io.streamrec.schemas.serde.AvroSerdeException;
import io.streamrec.schemas.serde.InMemorySchemaRegistryClient;
import io.streamrec.schemas.serde.SchemaRegistryClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RecommenderTopologyTest {

    private static final Instant START = Instant.parse("2026-11-29T12:00:00Z");
    private static final Duration LOAD_WAIT = Duration.ofSeconds(30);
    private static final int ITEMS = 60;
    private static final int USERS = 8;
    private static final int HISTORY = 5;
    private static OnnxRuntime runtime;

    private final InMemorySchemaRegistryClient schemaRegistry = new InMemorySchemaRegistryClient();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private ModelRegistry models;
    private TopologyTestDriver driver;
    private TestInputTopic<String, ClickEvent> clicks;
    private TestInputTopic<byte[], byte[]> rawClicks;
    private TestInputTopic<String, ModelRelease> releases;
    private TestOutputTopic<String, Recommendations> recommendations;
    private TestOutputTopic<InteractionKey, Interaction> interactions;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private TopicSerdes serdes;
    private final FailedRecords failedRecords = new FailedRecords(2, 100);
    private SharedRocksDbMemory rocksDbMemory;
    /** The registry the topology's serdes use; tests may take it down. */
    private SchemaRegistryClient topologyRegistry;
    /** Where the models processor's dead letters go. */
    private final CollectingDeadLetters modelDeadLetters = new CollectingDeadLetters();

    @BeforeAll
    static void startRuntime() {
        runtime = new OnnxRuntime(new OnnxRuntime.Settings(1, false));
    }

    @AfterAll
    static void closeRuntime() {
        runtime.close();
    }

    private void start(Map<String, Object> overrides) {
        Map<String, Object> settings = StreamsAppSettings.defaults();
        settings.putAll(Map.of(
                StreamsConfig.APPLICATION_ID_CONFIG, "topology-test",
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092",
                "schema.registry.url", "http://unused:8081",
                StreamsAppConfig.RECOMMENDATIONS_COUNT_CONFIG, 5,
                StreamsAppConfig.HISTORY_MAX_ITEMS_CONFIG, 20,
                // Every click answered as it is processed; the batch tests below set their own limits.
                StreamsAppConfig.SCORING_BATCH_MAX_RECORDS_CONFIG, 1));
        settings.putAll(overrides);
        StreamsAppConfig config = new StreamsAppConfig(settings);
        if (topologyRegistry == null) {
            topologyRegistry = schemaRegistry;
        }
        ModelLoader loader = new ModelLoader(runtime,
                ReleaseVerifier.trusting(List.of(TestModels.TRAINER_KEY.getPublic())),
                new ArtifactFetcher(1_000_000, Duration.ofSeconds(1)), 1);
        models = new ModelRegistry(new ModelRegistry.Settings(config.modelName(), config.pinnedVersion(), 20), loader,
                Clock.systemUTC(), event -> { });
        rocksDbMemory = new SharedRocksDbMemory(16L << 20, 8L << 20);
        Properties properties = StreamsAppSettings.streamsProperties(config, Map.of(FailedRecords.CONFIG_KEY,
                failedRecords, SharedRocksDbMemory.CONFIG_KEY, rocksDbMemory));
        driver = new TopologyTestDriver(RecommenderTopology.build(config, new RecommenderTopology.Collaborators(
                topologyRegistry, models, failedRecords, new PopularityLists(), modelDeadLetters, meters)),
                properties, START);
        serdes = TopicSerdes.create(schemaRegistry, config.allOriginals());
        clicks = driver.createInputTopic("clicks", new StringSerializer(), serdes.clicks().serializer());
        rawClicks = driver.createInputTopic("clicks", new ByteArraySerializer(), new ByteArraySerializer());
        releases = driver.createInputTopic("models", new StringSerializer(), serdes.modelReleases().serializer());
        recommendations = driver.createOutputTopic("recommendations", new StringDeserializer(),
                serdes.recommendations().deserializer());
        interactions = driver.createOutputTopic("interactions", serdes.interactionKeys().deserializer(),
                serdes.interactions().deserializer());
        deadLetters = driver.createOutputTopic("dead-letters", new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    private void start() {
        start(Map.of());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
            driver = null;
        }
        if (models != null) {
            models.close();
            models = null;
        }
        if (rocksDbMemory != null) {
            rocksDbMemory.close();
            rocksDbMemory = null;
        }
    }

    private static ClickEvent click(String user, String item, String type, Instant at) {
        return ClickEvent.newBuilder().setUserId(user).setItemId(item).setEventType(type).setEventTime(at).build();
    }

    private void send(String user, String item) {
        clicks.pipeInput(user, click(user, item, "click", START), START);
    }

    private DotModel publish(long version) throws InterruptedException {
        DotModel model = DotModel.random(USERS, ITEMS, 6, HISTORY, version);
        releases.pipeInput("default", TestModels.signedRelease("default", version, model));
        models.awaitIdle(LOAD_WAIT);
        return model;
    }

    @Test
    void withoutAModelEveryClickIsAnsweredFromPopularity() {
        start();
        send("user-1", "item-3");
        send("user-2", "item-3");
        send("user-2", "item-4");
        send("user-3", "item-9");

        List<Recommendations> lists = recommendations.readValuesToList();
        assertThat(lists).hasSize(4).allSatisfy(list -> {
            assertThat(list.getFallback()).isTrue();
            assertThat(list.getModelName()).isEqualTo("popularity");
            assertThat(list.getModelVersion()).isNull();
            assertThat(list.getEventTime()).isEqualTo(START);
        });
        // user-3 has seen item-9 only: the most popular other items, most clicked first.
        assertThat(lists.get(3).getItems()).extracting(RecommendedItem::getItemId).containsExactly("item-3", "item-4");
        assertThat(lists.get(3).getItems().get(0).getScore()).isEqualTo(2f);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void everyListIsTimedFromItsClicksRecordTimestampToItsHandOff() {
        start();
        // The driver's wall clock stands at START: a click produced 250 ms earlier waited 250 ms for its list.
        clicks.pipeInput("user-1", click("user-1", "item-3", "click", START), START.minusMillis(250));
        clicks.pipeInput("user-2", click("user-2", "item-4", "click", START), START);

        assertThat(recommendations.readValuesToList()).hasSize(2);
        var clickToList = meters.get("streamrec.click.to.list.latency").timer();
        assertThat(clickToList.count()).isEqualTo(2);
        assertThat(clickToList.max(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(250);
        assertThat(clickToList.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(250);
    }

    @Test
    void withAModelTheListIsTheTopKOfTheModelsScoresMinusWhatTheUserSaw() throws Exception {
        start();
        DotModel model = publish(1);
        send("user-2", "item-10");
        send("user-2", "not-in-catalogue");
        send("user-2", "item-11");

        List<Recommendations> lists = recommendations.readValuesToList();
        Recommendations last = lists.get(2);
        assertThat(last.getFallback()).isFalse();
        assertThat(last.getModelName()).isEqualTo("default");
        assertThat(last.getModelVersion()).isEqualTo(1L);

        long[] history = {0, 0, 0, 10, 11};
        List<String> expected = java.util.stream.IntStream.rangeClosed(1, ITEMS)
                .filter(item -> item != 10 && item != 11)
                .boxed()
                .sorted((a, b) -> Float.compare(model.expectedScore(2, history, b), model.expectedScore(2, history, a)))
                .limit(5)
                .map(item -> "item-" + item)
                .toList();
        assertThat(last.getItems()).extracting(RecommendedItem::getItemId).containsExactlyElementsOf(expected);
        assertThat(last.getItems()).extracting(RecommendedItem::getItemId)
                .doesNotContain("item-10", "item-11", "not-in-catalogue");
    }

    private Map<String, Object> batches(int maxRecords, long maxWaitMs) {
        return Map.of(StreamsAppConfig.SCORING_BATCH_MAX_RECORDS_CONFIG, maxRecords,
                StreamsAppConfig.SCORING_BATCH_MAX_WAIT_MS_CONFIG, maxWaitMs,
                StreamsAppConfig.RECOMMENDATIONS_COUNT_CONFIG, ITEMS);
    }

    private List<String> sendMixedClicks() {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String user = "user-" + (1 + i % 3);
            send(user, "item-" + (3 + 5 * i));
            users.add(user);
        }
        return users;
    }

    @Test
    void aFullBatchIsAnsweredAtOnceInClickOrder() throws Exception {
        start(batches(4, 10_000));
        publish(1);
        send("user-1", "item-1");
        send("user-2", "item-2");
        send("user-1", "item-3");
        assertThat(recommendations.isEmpty()).isTrue();
        KeyValueStore<Long, ClickQueue.QueuedClick> queue = driver.getKeyValueStore(RecommenderTopology.QUEUE_STORE);
        assertThat(queue.approximateNumEntries()).isEqualTo(3);

        send("user-3", "item-4");
        assertThat(recommendations.readKeyValuesToList()).extracting(kv -> kv.key)
                .containsExactly("user-1", "user-2", "user-1", "user-3");
        assertThat(queue.approximateNumEntries()).isZero();
        assertThat(meters.get("streamrec.scoring.batch.size").summary().max()).isEqualTo(4);
    }

    /** The queue's changelog: what a batch costs beyond its scoring. */
    private TestOutputTopic<byte[], byte[]> queueChangelog() {
        return driver.createOutputTopic("topology-test-" + RecommenderTopology.QUEUE_STORE + "-changelog",
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Test
    void aBatchOfOneIsAnsweredWithoutTheQueue() throws Exception {
        start(batches(1, 10_000));
        publish(1);
        send("user-1", "item-1");
        send("user-2", "item-2");
        assertThat(recommendations.readValuesToList()).hasSize(2);
        assertThat(queueChangelog().isEmpty()).isTrue();
    }

    @Test
    void queuedClicksAreChangelogged() throws Exception {
        start(batches(2, 10_000));
        publish(1);
        send("user-1", "item-1");
        send("user-2", "item-2");
        assertThat(recommendations.readValuesToList()).hasSize(2);
        assertThat(queueChangelog().readRecordsToList()).as("two entries, then their two deletes").hasSize(4);
    }

    @Test
    void aBatchThatDoesNotFillGoesOutAfterTheMaxWait() throws Exception {
        start(batches(32, 5));
        publish(1);
        send("user-1", "item-1");
        send("user-2", "item-2");
        assertThat(recommendations.isEmpty()).isTrue();
        driver.advanceWallClockTime(Duration.ofMillis(5));
        assertThat(recommendations.readValuesToList()).extracting(Recommendations::getUserId)
                .containsExactly("user-1", "user-2");
    }

    @Test
    void aUsersSecondClickInABatchSeesTheFirstAndTheFirstDoesNotSeeTheSecond() throws Exception {
        start(batches(2, 10_000));
        publish(1);
        send("user-1", "item-1");
        send("user-1", "item-2");
        List<Recommendations> lists = recommendations.readValuesToList();
        assertThat(lists.get(0).getItems()).extracting(RecommendedItem::getItemId)
                .doesNotContain("item-1").contains("item-2");
        assertThat(lists.get(1).getItems()).extracting(RecommendedItem::getItemId)
                .doesNotContain("item-1", "item-2");
    }

    @Test
    void batchedListsAreTheListsOfClicksScoredOneByOne() throws Exception {
        start(batches(1, 10_000));
        publish(1);
        sendMixedClicks();
        List<Recommendations> alone = recommendations.readValuesToList();
        close();

        start(batches(4, 10_000));
        publish(1);
        List<String> users = sendMixedClicks();
        driver.advanceWallClockTime(Duration.ofMinutes(1));
        List<Recommendations> batched = recommendations.readValuesToList();

        assertThat(batched).extracting(Recommendations::getUserId).containsExactlyElementsOf(users);
        assertThat(batched).hasSameSizeAs(alone);
        for (int i = 0; i < alone.size(); i++) {
            assertThat(batched.get(i).getFallback()).isFalse();
            assertThat(batched.get(i).getItems()).extracting(RecommendedItem::getItemId)
                    .containsExactlyElementsOf(alone.get(i).getItems().stream().map(RecommendedItem::getItemId)
                            .toList());
            for (int j = 0; j < alone.get(i).getItems().size(); j++) {
                assertThat(batched.get(i).getItems().get(j).getScore())
                        .isCloseTo(alone.get(i).getItems().get(j).getScore(), offset(1e-5f));
            }
        }
    }

    @Test
    void aForgetRequestAnswersTheQueuedClicksFirst() throws Exception {
        start(batches(32, 10_000));
        publish(1);
        send("user-1", "item-1");
        send("user-1", "item-2");
        clicks.pipeInput("user-1", null, START);
        Recommendations last = recommendations.readValuesToList().get(1);
        assertThat(last.getItems()).extracting(RecommendedItem::getItemId).doesNotContain("item-1", "item-2");
        assertThat(driver.<String, UserHistory>getKeyValueStore(RecommenderTopology.HISTORY_STORE).get("user-1"))
                .isNull();
    }

    @Test
    void seenItemsStayWhenExclusionIsOff() throws Exception {
        start(Map.of(StreamsAppConfig.RECOMMENDATIONS_EXCLUDE_SEEN_CONFIG, false,
                StreamsAppConfig.RECOMMENDATIONS_COUNT_CONFIG, ITEMS));
        publish(1);
        send("user-1", "item-7");
        assertThat(recommendations.readValue().getItems()).extracting(RecommendedItem::getItemId).contains("item-7");
    }

    @Test
    void aUserTheModelCannotPlaceGetsPopularity() throws Exception {
        start();
        publish(1);
        send("stranger", "not-in-catalogue");
        Recommendations list = recommendations.readValue();
        assertThat(list.getFallback()).isTrue();
        send("stranger", "item-5"); // now the history holds a known item: the model answers
        assertThat(recommendations.readValue().getFallback()).isFalse();
    }

    @Test
    void aNewReleaseTakesOverMidStreamAndARejectedOneChangesNothing() throws Exception {
        start();
        publish(1);
        send("user-1", "item-1");
        publish(2);
        send("user-1", "item-2");
        // Signed, so it reaches the registry (forged ones are dead-lettered first: ModelReleaseProcessorTest).
        ModelRelease notOnnx = TestModels.sign(TestModels.release("default", 3, DotModel.random(USERS, ITEMS, 6,
                HISTORY, 3), "not an ONNX graph".getBytes(StandardCharsets.UTF_8)).build());
        releases.pipeInput("default", notOnnx);
        models.awaitIdle(LOAD_WAIT);
        send("user-1", "item-3");

        assertThat(recommendations.readValuesToList()).extracting(Recommendations::getModelVersion)
                .containsExactly(1L, 2L, 2L);
        assertThat(models.events()).last().satisfies(event -> {
            assertThat(event.kind()).isEqualTo(ModelEvent.Kind.REJECTED);
            assertThat(event.reason()).isEqualTo("graph");
        });
    }

    @Test
    void interactionsCountEveryValidClickPerPair() {
        start();
        clicks.pipeInput("user-1", click("user-1", "item-1", "view", START.minusSeconds(60)));
        clicks.pipeInput("user-1", click("user-1", "item-1", "purchase", START));
        clicks.pipeInput("user-1", click("user-1", "item-2", "click", START));

        List<TestRecord<InteractionKey, Interaction>> records = interactions.readRecordsToList();
        assertThat(records).hasSize(3);
        Interaction pair = records.get(1).value();
        assertThat(records.get(1).key()).isEqualTo(new InteractionKey("user-1", "item-1"));
        assertThat(pair.getCount()).isEqualTo(2);
        assertThat(pair.getFirstSeen()).isEqualTo(START.minusSeconds(60));
        assertThat(pair.getLastSeen()).isEqualTo(START);
        assertThat(pair.getLastEventType()).isEqualTo("purchase");
    }

    @Test
    void everyKindOfBadRecordIsDeadLetteredWithItsReasonAndNothingElseHappens() {
        start(Map.of(StreamsAppConfig.VALIDATION_MAX_ID_BYTES_CONFIG, 16));
        byte[] user = "user-1".getBytes(StandardCharsets.UTF_8);
        byte[] garbage = "{\"json\": \"not avro\"}".getBytes(StandardCharsets.UTF_8);
        rawClicks.pipeInput(user, garbage);
        rawClicks.pipeInput(user, new byte[] {0, 0, 0, 0});
        rawClicks.pipeInput((byte[]) null, (byte[]) null);
        clicks.pipeInput("user-1", click("user-1", "item-1", "teleport", START));
        clicks.pipeInput(" ", click(" ", "item-1", "view", START));
        clicks.pipeInput("user-1", click("user-1", "item-with-a-very-long-id", "view", START));
        clicks.pipeInput("user-1", click("user-1", "item-1", "view", START.plus(Duration.ofHours(1))));
        clicks.pipeInput("user-9", click("user-1", "item-1", "view", START));
        clicks.pipeInput(null, click("user-1", "item-1", "view", START));
        rawClicks.pipeInput(new byte[] {'u', (byte) 0xC3, 0x28}, (byte[]) null);

        List<TestRecord<byte[], byte[]>> letters = deadLetters.readRecordsToList();
        assertThat(letters).extracting(letter -> DeadLetters.header(letter.headers(), DeadLetterHeaders.REASON))
                .containsExactly("undeserializable", "undeserializable", "null-key", "unknown-event-type",
                        "blank-id", "oversize-id", "future-event-time", "key-mismatch", "key-mismatch",
                        "invalid-key-encoding");
        Headers first = letters.get(0).headers();
        assertThat(DeadLetters.header(first, DeadLetterHeaders.MESSAGE)).contains("unknown magic byte 0x7b");
        assertThat(DeadLetters.header(first, DeadLetterHeaders.TOPIC)).isEqualTo("clicks");
        assertThat(DeadLetters.header(first, DeadLetterHeaders.PARTITION)).isEqualTo("0");
        assertThat(DeadLetters.header(first, DeadLetterHeaders.OFFSET)).isEqualTo("0");
        assertThat(DeadLetters.header(letters.get(1).headers(), DeadLetterHeaders.MESSAGE)).contains("too short");
        assertThat(letters.get(0).value()).isEqualTo(garbage); // the original bytes, untouched
        assertThat(DeadLetters.header(letters.get(8).headers(), DeadLetterHeaders.OFFSET)).isEqualTo("8");

        assertThat(recommendations.isEmpty()).isTrue();
        assertThat(interactions.isEmpty()).isTrue();
        assertThat(meters.get("streamrec.dead.letters").tag("reason", "key-mismatch").counter().count()).isEqualTo(2);
        assertThat(driver.<String, UserHistory>getKeyValueStore(RecommenderTopology.HISTORY_STORE).approximateNumEntries())
                .as("a tombstone whose key is not UTF-8 forgets nobody").isZero();

        send("user-1", "item-1"); // the app carries on
        assertThat(recommendations.readValue().getUserId()).isEqualTo("user-1");
    }

    @Test
    void aClickArrivingDuringARegistryOutageIsRetriedNeverDeadLettered() {
        OutageRegistry outage = new OutageRegistry(schemaRegistry);
        topologyRegistry = outage;
        start(Map.of(StreamsAppConfig.REGISTRY_OUTAGE_WAIT_MS_CONFIG, 0));
        outage.available(false);

        assertThatThrownBy(() -> send("user-1", "item-1"))
                .as("the thread fails (under exactly-once its transaction aborts) instead of skipping the click")
                .matches(OutageRegistry::causedByOutage, "caused by the registry outage");
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(recommendations.isEmpty()).isTrue();
        assertThat(interactions.isEmpty()).isTrue();

        outage.available(true);
        send("user-1", "item-1"); // what resuming from the last commit does: the same click again
        assertThat(recommendations.readValue().getUserId()).isEqualTo("user-1");
        assertThat(deadLetters.isEmpty()).as("a retriable failure never quarantines the click").isTrue();
    }

    @Test
    void aClickWaitsForARegistryThatComesBackWithinTheWait() throws Exception {
        OutageRegistry outage = new OutageRegistry(schemaRegistry);
        topologyRegistry = outage;
        start(Map.of(StreamsAppConfig.REGISTRY_OUTAGE_WAIT_MS_CONFIG, 10_000));
        outage.available(false);
        Thread recovery = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            outage.available(true);
        });
        recovery.start();

        send("user-1", "item-1");

        recovery.join();
        assertThat(recommendations.readValue().getUserId()).isEqualTo("user-1");
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(meters.get("streamrec.registry.retries").counter().count()).isPositive();
    }

    /**
     * One convention whatever the cause: a click that cannot be decoded (an exception), an invalid click (a check,
     * nothing thrown), a click that kept failing (quarantined; also the fate, under exactly-once, of a click
     * whose list Kafka Streams could not write, since that failure aborts the transaction with the production
     * handler's own dead letter: ProductionFailureHandlerTest) and a bad record on the models topic (the global
     * processor's own producer) all carry Kafka Streams' headers and streamrec's reason.
     */
    @Test
    void deadLettersOfEveryCauseCarryKafkaStreamsHeadersAndTheReason() {
        start();
        FailedRecords.Source third = new FailedRecords.Source("clicks", 0, 2);
        failedRecords.failed(third, new IllegalStateException("boom"));
        failedRecords.failed(third, new IllegalStateException("boom again"));

        rawClicks.pipeInput("user-1".getBytes(StandardCharsets.UTF_8), "{\"json\": 1}".getBytes(StandardCharsets.UTF_8));
        clicks.pipeInput("user-1", click("user-1", "item-1", "teleport", START));
        send("user-1", "item-2");
        driver.createInputTopic("models", new ByteArraySerializer(), new ByteArraySerializer())
                .pipeInput("default".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8));

        List<TestRecord<byte[], byte[]>> letters = deadLetters.readRecordsToList();
        assertThat(letters).hasSize(3);
        DeadLetterConvention.assertConvention(letters.get(0).headers(), "undeserializable", "clicks", 0);
        DeadLetterConvention.assertConvention(letters.get(1).headers(), "unknown-event-type", "clicks", 1);
        DeadLetterConvention.assertConvention(letters.get(2).headers(), "processing-failed", "clicks", 2);
        assertThat(modelDeadLetters.letters()).singleElement().satisfies(letter ->
                DeadLetterConvention.assertConvention(letter.headers(), "undeserializable", "models", 0));
        assertThat(letters).extracting(letter -> DeadLetters.header(letter.headers(), DeadLetterHeaders.EXCEPTION))
                .containsExactly(AvroSerdeException.class.getName(), RecordRefusedException.class.getName(),
                        IllegalStateException.class.getName());
        assertThat(DeadLetters.header(letters.get(2).headers(), DeadLetterHeaders.MESSAGE))
                .contains("failed 2 times", "IllegalStateException: boom again");
    }

    @Test
    void aClickThatKeptFailingIsDeadLetteredBeforeItChangesAnything() {
        start();
        FailedRecords.Source first = new FailedRecords.Source("clicks", 0, 0);
        failedRecords.failed(first, new IllegalStateException("boom"));
        failedRecords.failed(first, new IllegalStateException("boom again"));

        send("user-1", "item-1");
        send("user-1", "item-2");

        List<TestRecord<byte[], byte[]>> letters = deadLetters.readRecordsToList();
        assertThat(letters).hasSize(1);
        assertThat(DeadLetters.header(letters.get(0).headers(), DeadLetterHeaders.REASON)).isEqualTo("processing-failed");
        assertThat(DeadLetters.header(letters.get(0).headers(), DeadLetterHeaders.MESSAGE))
                .contains("failed 2 times", "IllegalStateException: boom again");
        assertThat(interactions.readValuesToList()).extracting(Interaction::getItemId)
                .as("the quarantined click counted nothing").containsExactly("item-2");
        assertThat(recommendations.readValuesToList()).hasSize(1);
        assertThat(driver.<String, UserHistory>getKeyValueStore(RecommenderTopology.HISTORY_STORE).get("user-1")
                .itemIds()).containsExactly("item-2");
    }

    @Test
    void aTombstoneOnClicksForgetsTheUserEverywhere() {
        start();
        send("user-1", "item-1");
        send("user-1", "item-2");
        send("user-2", "item-1");
        interactions.readRecordsToList();
        recommendations.readValuesToList();

        rawClicks.pipeInput("user-1".getBytes(StandardCharsets.UTF_8), (byte[]) null);

        List<TestRecord<InteractionKey, Interaction>> tombstones = interactions.readRecordsToList();
        assertThat(tombstones).extracting(TestRecord::key).containsExactlyInAnyOrder(
                new InteractionKey("user-1", "item-1"), new InteractionKey("user-1", "item-2"));
        assertThat(tombstones).extracting(TestRecord::value).containsOnlyNulls();
        KeyValueStore<String, UserHistory> histories = driver.getKeyValueStore(RecommenderTopology.HISTORY_STORE);
        assertThat(histories.get("user-1")).isNull();
        assertThat(histories.get("user-2").itemIds()).containsExactly("item-1");
        assertThat(recommendations.isEmpty()).isTrue();
        assertThat(deadLetters.isEmpty()).isTrue();

        send("user-1", "item-3"); // a new start: only the new click counts
        assertThat(histories.get("user-1").itemIds()).containsExactly("item-3");
        assertThat(interactions.readValue().getCount()).isEqualTo(1);
    }

    @Test
    void coalescingAnswersTheLatestClickOncePerInterval() {
        start(Map.of(StreamsAppConfig.RECOMMENDATIONS_COALESCE_MS_CONFIG, 1_000L));
        Instant t = START;
        clicks.pipeInput("user-1", click("user-1", "item-1", "view", t));
        clicks.pipeInput("user-1", click("user-1", "item-2", "view", t.plusMillis(10)));
        clicks.pipeInput("user-1", click("user-1", "item-3", "view", t.plusMillis(20)));
        assertThat(recommendations.readValuesToList()).extracting(Recommendations::getEventTime).containsExactly(t);

        driver.advanceWallClockTime(Duration.ofMillis(1_100));
        List<Recommendations> later = recommendations.readValuesToList();
        assertThat(later).extracting(Recommendations::getEventTime).containsExactly(t.plusMillis(20));
        assertThat(later.get(0).getItems()).extracting(RecommendedItem::getItemId)
                .doesNotContain("item-1", "item-2", "item-3");

        driver.advanceWallClockTime(Duration.ofSeconds(5));
        assertThat(recommendations.isEmpty()).isTrue();
    }

    @Test
    void historyIsBoundedAndExpiresAfterItsTtl() {
        start(Map.of(StreamsAppConfig.HISTORY_MAX_ITEMS_CONFIG, 3,
                StreamsAppConfig.HISTORY_TTL_MS_CONFIG, Duration.ofHours(1).toMillis(),
                StreamsAppConfig.HISTORY_EVICTION_INTERVAL_MS_CONFIG, Duration.ofMinutes(1).toMillis()));
        for (int i = 1; i <= 5; i++) {
            clicks.pipeInput("user-1", click("user-1", "item-" + i, "view", START.minusSeconds(50 - i)));
        }
        clicks.pipeInput("user-2", click("user-2", "item-1", "view", START.minus(Duration.ofMinutes(50))));
        KeyValueStore<String, UserHistory> histories = driver.getKeyValueStore(RecommenderTopology.HISTORY_STORE);
        assertThat(histories.get("user-1").itemIds()).containsExactly("item-3", "item-4", "item-5");

        driver.advanceWallClockTime(Duration.ofMinutes(15));
        assertThat(histories.get("user-2")).isNull(); // its only item is now over an hour old
        assertThat(histories.get("user-1").itemIds()).containsExactly("item-3", "item-4", "item-5");
    }

    @Test
    void aPinnedVersionServesEvenWhenANewerOneArrives() throws Exception {
        start(Map.of(StreamsAppConfig.MODEL_PINNED_VERSION_CONFIG, 1L));
        publish(1);
        publish(2);
        send("user-1", "item-1");
        assertThat(recommendations.readValue().getModelVersion()).isEqualTo(1L);
        assertThat(models.serving().orElseThrow().info().version()).isEqualTo(1);
        assertThat(OptionalLong.of(1)).isEqualTo(models.settings().pinnedVersion());
    }
}
