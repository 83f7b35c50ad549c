package io.streamrec.app.topology;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.streamrec.app.StreamsAppConfig;
import io.streamrec.app.errors.FailedRecords;
import io.streamrec.app.model.ModelRegistry;
import io.streamrec.avro.ModelRelease;
import io.streamrec.schemas.serde.SchemaRegistryClient;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the streams app's topology, a pure function of the configuration and the collaborators handed in
 * (see {@link Collaborators}). Wall-clock decisions use the processor context's clock, so
 * {@code TopologyTestDriver} controls them:
 *
 * <pre>
 * clicks ─▶ click-intake ─┬─▶ interactions ─▶ interactions (compacted)
 *  (raw bytes)            ├─▶ recommend ─────▶ recommendations
 *                         └─▶ dead-letters (invalid or unreadable, original bytes + reason headers)
 * models ─▶ models-processor (global store) ─┬▶ ModelRegistry (loads and swaps off the stream threads)
 *  (raw bytes)                                └▶ dead-letters (through GlobalDeadLetterSender)
 * </pre>
 */
public final class RecommenderTopology {

    public static final String CLICKS_SOURCE = "clicks-source";
    public static final String CLICK_INTAKE = "click-intake";
    public static final String INTERACTIONS = "interactions";
    public static final String RECOMMEND = "recommend";
    public static final String DEAD_LETTERS_SINK = "dead-letters-sink";
    public static final String INTERACTIONS_SINK = "interactions-sink";
    public static final String RECOMMENDATIONS_SINK = "recommendations-sink";
    public static final String MODELS_SOURCE = "models-source";
    public static final String MODELS_PROCESSOR = "models-processor";

    /** Per user: recent distinct items (bounded) and when the user was last answered. */
    public static final String HISTORY_STORE = "user-history";
    /** Per item: interaction count of this task's users, for the popularity fallback. */
    public static final String ITEM_COUNTS_STORE = "item-counts";
    /** Per (user, item): count, first and last seen; mirrors the interactions topic. */
    public static final String INTERACTION_STORE = "interaction-state";
    /** Per user with an unanswered click while coalescing: that click's event time. */
    public static final String PENDING_STORE = "pending-clicks";
    /** Per task: clicks accepted and not yet answered, in arrival order (the scoring batch being filled). */
    public static final String QUEUE_STORE = "scoring-queue";
    /** Global: the latest release of the served model name. */
    public static final String MODELS_STORE = "model-releases";

    private RecommenderTopology() {
    }

    /**
     * What the topology shares with the rest of the instance. Immutable; the objects themselves are thread-safe.
     *
     * @param schemaRegistry    the registry client behind every serde (one cache for the instance)
     * @param models            the model registry the recommend processor scores with and the models processor
     *                          offers releases to
     * @param failedRecords     clicks whose processing failed, so the intake dead-letters one that keeps failing
     * @param popularity        where each recommend task publishes its popularity list (the HTTP API answers its
     *                          fallback from it)
     * @param modelDeadLetters  where the models processor sends bad releases (a global processor has no sinks)
     * @param meters            the instance's meters
     */
    public record Collaborators(SchemaRegistryClient schemaRegistry, ModelRegistry models,
                                FailedRecords failedRecords, PopularityLists popularity,
                                GlobalDeadLetterSender modelDeadLetters, MeterRegistry meters) {
        public Collaborators {
            Objects.requireNonNull(schemaRegistry, "schemaRegistry");
            Objects.requireNonNull(models, "models");
            Objects.requireNonNull(failedRecords, "failedRecords");
            Objects.requireNonNull(popularity, "popularity");
            Objects.requireNonNull(modelDeadLetters, "modelDeadLetters");
            Objects.requireNonNull(meters, "meters");
        }
    }

    public static Topology build(StreamsAppConfig config, Collaborators parts) {
        TopicSerdes serdes = TopicSerdes.create(parts.schemaRegistry(), config.allOriginals());
        Topology topology = new Topology();
        addClickPath(topology, config, parts, serdes);
        addModelsStore(topology, config, parts, serdes);
        return topology;
    }

    private static void addClickPath(Topology topology, StreamsAppConfig config, Collaborators parts,
                                     TopicSerdes serdes) {
        ClickValidator validator = new ClickValidator(config.maxIdBytes(), config.maxFutureSkew());
        ClickIntakeProcessor.Settings intakeSettings = new ClickIntakeProcessor.Settings(config.deadLettersMaxBytes(),
                config.registryOutageWait());
        RecommendProcessor.Settings recommendSettings = new RecommendProcessor.Settings(
                config.recommendationCount(), config.historyMaxItems(), config.historyTtl(),
                config.historyEvictionInterval(), config.coalesceInterval(), config.popularityRefresh(),
                config.scoringBatchMaxRecords(), config.scoringBatchMaxWait());
        Recommender recommender = new Recommender(parts.models(), config.excludeSeen(), parts.meters());
        Timer clickToList = RecommendProcessor.clickToListTimer(parts.meters());

        topology.addSource(CLICKS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                config.clicksTopic());
        topology.addProcessor(CLICK_INTAKE, () -> new ClickIntakeProcessor(serdes.clicks().deserializer(), validator,
                List.of(INTERACTIONS, RECOMMEND), DEAD_LETTERS_SINK, intakeSettings, parts.failedRecords(),
                parts.meters()), CLICKS_SOURCE);
        topology.addProcessor(INTERACTIONS, () -> new InteractionsProcessor(INTERACTION_STORE), CLICK_INTAKE);
        topology.addProcessor(RECOMMEND, () -> new RecommendProcessor(recommendSettings, recommender,
                parts.popularity(), HISTORY_STORE, ITEM_COUNTS_STORE, PENDING_STORE, QUEUE_STORE, clickToList),
                CLICK_INTAKE);

        topology.addSink(DEAD_LETTERS_SINK, config.deadLettersTopic(), new ByteArraySerializer(),
                new ByteArraySerializer(), CLICK_INTAKE);
        topology.addSink(INTERACTIONS_SINK, config.interactionsTopic(), serdes.interactionKeys().serializer(),
                serdes.interactions().serializer(), INTERACTIONS);
        topology.addSink(RECOMMENDATIONS_SINK, config.recommendationsTopic(), new StringSerializer(),
                serdes.recommendations().serializer(), RECOMMEND);
        addClickStores(topology, config);
    }

    private static void addClickStores(Topology topology, StreamsAppConfig config) {
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HISTORY_STORE),
                Serdes.String(), UserHistory.serde()), RECOMMEND);
        // Cached: popular items are counted many times per commit interval, and the cache turns those updates
        // into one RocksDB write and one changelog record per item and commit.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ITEM_COUNTS_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled(), RECOMMEND);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(QUEUE_STORE),
                ClickQueue.keySerde(), ClickQueue.valueSerde()), RECOMMEND);
        if (!config.coalesceInterval().isZero()) {
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_STORE),
                    Serdes.String(), Serdes.Long()), RECOMMEND);
        }
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(INTERACTION_STORE),
                Serdes.String(), StoreSerdes.avro(io.streamrec.avro.Interaction.class)), INTERACTIONS);
    }

    /**
     * Raw bytes in, decoded by the processor, and a store serde without the registry: no registry outage or bad
     * record makes Kafka Streams skip a release.
     */
    private static void addModelsStore(Topology topology, StreamsAppConfig config, Collaborators parts,
                                       TopicSerdes serdes) {
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(MODELS_STORE), Serdes.String(),
                        StoreSerdes.avro(ModelRelease.class)).withLoggingDisabled(),
                MODELS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), config.modelsTopic(),
                MODELS_PROCESSOR, () -> new ModelReleaseProcessor(MODELS_STORE, parts.models(),
                        serdes.modelReleases().deserializer(), parts.modelDeadLetters(), config.deadLettersMaxBytes(),
                        parts.meters()));
    }
}
