package io.streamrec.app.topology;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamrec.app.StreamsAppConfig;
import io.streamrec.app.model.ModelRegistry;
import io.streamrec.schemas.serde.SchemaRegistryClient;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the streams app's topology, a pure function of the configuration and the collaborators handed in
 * (the model registry, the registry client behind the serdes, the popularity lists its tasks publish to, and
 * the meters). Wall-clock decisions use the processor context's clock, so {@code TopologyTestDriver} controls
 * them:
 *
 * <pre>
 * clicks ─▶ click-intake ─┬─▶ interactions ─▶ interactions (compacted)
 *  (raw bytes)            ├─▶ recommend ─────▶ recommendations
 *                         └─▶ dead-letters (invalid or unreadable, original bytes + reason headers)
 * models ─▶ models-processor (global store) ─▶ ModelRegistry (loads and swaps off the stream threads)
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
    /** Global: the latest release per model name. */
    public static final String MODELS_STORE = "model-releases";

    private RecommenderTopology() {
    }

    /**
     * @param popularity where each task of the recommend processor publishes its popularity list (shared with
     *                   the HTTP API, which answers the fallback from it)
     */
    public static Topology build(StreamsAppConfig config, SchemaRegistryClient schemaRegistry, ModelRegistry models,
                                 PopularityLists popularity, MeterRegistry meters) {
        TopicSerdes serdes = TopicSerdes.create(schemaRegistry, config.allOriginals());
        ClickValidator validator = new ClickValidator(config.maxIdBytes(), config.maxFutureSkew());
        RecommendProcessor.Settings recommendSettings = new RecommendProcessor.Settings(
                config.recommendationCount(), config.historyMaxItems(), config.historyTtl(),
                config.historyEvictionInterval(), config.coalesceInterval(), config.popularityRefresh());

        Topology topology = new Topology();
        topology.addSource(CLICKS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                config.clicksTopic());
        topology.addProcessor(CLICK_INTAKE, () -> new ClickIntakeProcessor(serdes.clicks().deserializer(), validator,
                List.of(INTERACTIONS, RECOMMEND), DEAD_LETTERS_SINK, config.deadLettersMaxBytes(), meters),
                CLICKS_SOURCE);
        topology.addProcessor(INTERACTIONS, () -> new InteractionsProcessor(INTERACTION_STORE), CLICK_INTAKE);
        Recommender recommender = new Recommender(models, config.excludeSeen(), meters);
        topology.addProcessor(RECOMMEND, () -> new RecommendProcessor(recommendSettings, recommender, popularity,
                HISTORY_STORE, ITEM_COUNTS_STORE, PENDING_STORE), CLICK_INTAKE);

        topology.addSink(DEAD_LETTERS_SINK, config.deadLettersTopic(), new ByteArraySerializer(),
                new ByteArraySerializer(), CLICK_INTAKE);
        topology.addSink(INTERACTIONS_SINK, config.interactionsTopic(), serdes.interactionKeys().serializer(),
                serdes.interactions().serializer(), INTERACTIONS);
        topology.addSink(RECOMMENDATIONS_SINK, config.recommendationsTopic(), new StringSerializer(),
                serdes.recommendations().serializer(), RECOMMEND);

        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HISTORY_STORE),
                Serdes.String(), UserHistory.serde()), RECOMMEND);
        // Cached: popular items are counted many times per commit interval, and the cache turns those updates
        // into one RocksDB write and one changelog record per item and commit.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ITEM_COUNTS_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled(), RECOMMEND);
        if (!config.coalesceInterval().isZero()) {
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_STORE),
                    Serdes.String(), Serdes.Long()), RECOMMEND);
        }
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(INTERACTION_STORE),
                Serdes.String(), StoreSerdes.avro(io.streamrec.avro.Interaction.class)), INTERACTIONS);

        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(MODELS_STORE), Serdes.String(),
                        serdes.modelReleases()).withLoggingDisabled(),
                MODELS_SOURCE, new StringDeserializer(), serdes.modelReleases().deserializer(), config.modelsTopic(),
                MODELS_PROCESSOR, () -> new ModelReleaseProcessor(MODELS_STORE, models));
        return topology;
    }
}
