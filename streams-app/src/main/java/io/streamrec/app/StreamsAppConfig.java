package io.streamrec.app;

import io.streamrec.app.retrieval.RetrievalSettings;
import io.streamrec.schemas.topics.TopicCatalog;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The streams app's own configuration keys, typed and validated. They live in one map with Kafka Streams'
 * keys ({@code application.id}, {@code bootstrap.servers}, {@code processing.guarantee}, ...) and the serde's
 * ({@code schema.registry.url}, ...): each config class reads its own keys from the shared map and ignores
 * the rest. {@link StreamsAppSettings} turns the map into Kafka Streams properties with streamrec's defaults.
 * Immutable.
 */
public final class StreamsAppConfig extends AbstractConfig {

    // Topic keys end in ".topic": Kafka Streams applies every "topic."-prefixed key to its internal topics.

    public static final String TOPIC_CLICKS_CONFIG = "clicks.topic";
    public static final String TOPIC_RECOMMENDATIONS_CONFIG = "recommendations.topic";
    public static final String TOPIC_INTERACTIONS_CONFIG = "interactions.topic";
    public static final String TOPIC_MODELS_CONFIG = "models.topic";
    public static final String TOPIC_DEAD_LETTERS_CONFIG = "dead.letters.topic";

    public static final String DEAD_LETTERS_MAX_BYTES_CONFIG = "dead.letters.max.bytes";

    public static final String REGISTRY_OUTAGE_WAIT_MS_CONFIG = "registry.outage.wait.ms";

    public static final String RECOMMENDATIONS_COUNT_CONFIG = "recommendations.count";
    public static final String RECOMMENDATIONS_EXCLUDE_SEEN_CONFIG = "recommendations.exclude.seen";
    public static final String RECOMMENDATIONS_COALESCE_MS_CONFIG = "recommendations.coalesce.ms";

    public static final String SCORING_BATCH_MAX_RECORDS_CONFIG = "scoring.batch.max.records";
    public static final String SCORING_BATCH_MAX_WAIT_MS_CONFIG = "scoring.batch.max.wait.ms";

    public static final String HISTORY_MAX_ITEMS_CONFIG = "history.max.items";
    public static final String HISTORY_TTL_MS_CONFIG = "history.ttl.ms";
    public static final String HISTORY_EVICTION_INTERVAL_MS_CONFIG = "history.eviction.interval.ms";

    public static final String VALIDATION_MAX_ID_BYTES_CONFIG = "validation.max.id.bytes";
    public static final String VALIDATION_MAX_FUTURE_SKEW_MS_CONFIG = "validation.max.future.skew.ms";

    public static final String POPULARITY_REFRESH_MS_CONFIG = "popularity.refresh.ms";

    public static final String MODEL_NAME_CONFIG = "model.name";
    public static final String MODEL_PINNED_VERSION_CONFIG = "model.pinned.version";
    public static final String MODEL_TRUSTED_KEYS_FILE_CONFIG = "model.trusted.keys.file";
    public static final String MODEL_TRUSTED_KEYS_CONFIG = "model.trusted.keys";
    public static final String MODEL_ACCEPT_UNSIGNED_CONFIG = "model.accept.unsigned";
    public static final String MODEL_ARTIFACT_MAX_BYTES_CONFIG = "model.artifact.max.bytes";
    public static final String MODEL_WARMUP_RUNS_CONFIG = "model.warmup.runs";
    public static final String MODEL_EVENTS_RETAINED_CONFIG = "model.events.retained";

    public static final String RETRIEVAL_MIN_ITEMS_CONFIG = "retrieval.min.items";
    public static final String RETRIEVAL_CANDIDATES_CONFIG = "retrieval.candidates";
    public static final String RETRIEVAL_INDEX_CONFIG = "retrieval.index";
    public static final String RETRIEVAL_HNSW_MAX_CONNECTIONS_CONFIG = "retrieval.hnsw.max.connections";
    public static final String RETRIEVAL_HNSW_BEAM_WIDTH_CONFIG = "retrieval.hnsw.beam.width";
    public static final String RETRIEVAL_BUILD_THREADS_CONFIG = "retrieval.build.threads";

    public static final String ONNX_INTRA_OP_THREADS_CONFIG = "onnx.intra.op.threads";
    public static final String ONNX_ALLOW_SPINNING_CONFIG = "onnx.allow.spinning";

    public static final String ROCKSDB_BLOCK_CACHE_BYTES_CONFIG = "rocksdb.block.cache.bytes";
    public static final String ROCKSDB_WRITE_BUFFER_BYTES_CONFIG = "rocksdb.write.buffer.bytes";

    public static final String HTTP_HOST_CONFIG = "http.host";
    public static final String HTTP_PORT_CONFIG = "http.port";
    public static final String HTTP_MANAGEMENT_PORT_CONFIG = "http.management.port";
    public static final String HTTP_ADVERTISED_HOST_CONFIG = "http.advertised.host";
    public static final String HTTP_THREADS_CONFIG = "http.threads";
    public static final String HTTP_QUEUE_SIZE_CONFIG = "http.queue.size";
    public static final String HTTP_QUERY_TIMEOUT_MS_CONFIG = "http.query.timeout.ms";
    public static final String HTTP_READY_REQUIRES_MODEL_CONFIG = "http.ready.requires.model";
    public static final String HTTP_QUERY_MAX_LAG_RECORDS_CONFIG = "http.query.max.lag.records";

    private static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(TOPIC_CLICKS_CONFIG, Type.STRING, TopicCatalog.CLICKS.name(), new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM, "Topic of incoming ClickEvents (key = user id).")
            .define(TOPIC_RECOMMENDATIONS_CONFIG, Type.STRING, TopicCatalog.RECOMMENDATIONS.name(),
                    new ConfigDef.NonEmptyString(), Importance.MEDIUM, "Topic the top-K lists are written to.")
            .define(TOPIC_INTERACTIONS_CONFIG, Type.STRING, TopicCatalog.INTERACTIONS.name(),
                    new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "Compacted topic of per-(user, item) interaction state that the trainer reads.")
            .define(TOPIC_MODELS_CONFIG, Type.STRING, TopicCatalog.MODELS.name(), new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM, "Compacted topic of model releases, read by every instance (global store).")
            .define(TOPIC_DEAD_LETTERS_CONFIG, Type.STRING, TopicCatalog.DEAD_LETTERS.name(),
                    new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "Topic for records that cannot be read or are invalid, with the reason in headers.")
            .define(DEAD_LETTERS_MAX_BYTES_CONFIG, Type.INT, 256 * 1024, Range.between(1024, 4 * 1024 * 1024),
                    Importance.LOW, "Most bytes of a refused record's key, and of its value, that its dead letter"
                            + " carries; longer ones are cut to this length, with the full length and SHA-256 in"
                            + " headers. Keep twice this plus 80 KiB under the dead-letter topic's"
                            + " max.message.bytes.")
            .define(REGISTRY_OUTAGE_WAIT_MS_CONFIG, Type.LONG, 5_000L, Range.between(0, 60_000), Importance.LOW,
                    "How long a stream thread retries a click whose writer schema it cannot fetch because the schema"
                            + " registry is unreachable or failing. Then the thread aborts its transaction and the task"
                            + " resumes from its last commit, so the click is retried, never dead-lettered. Keep it"
                            + " well under the producer's transaction.timeout.ms (10 s under exactly-once).")
            .define(RECOMMENDATIONS_COUNT_CONFIG, Type.INT, 10, Range.between(1, 1000), Importance.HIGH,
                    "K: items per recommendation list.")
            .define(RECOMMENDATIONS_EXCLUDE_SEEN_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Leave out items in the user's history (the most recent history.max.items distinct items).")
            .define(RECOMMENDATIONS_COALESCE_MS_CONFIG, Type.LONG, 0L, Range.atLeast(0), Importance.LOW,
                    "When > 0, at most one list per user per this many milliseconds: clicks inside the interval"
                            + " update the history and the latest one is answered when it ends. 0 answers every click.")
            .define(SCORING_BATCH_MAX_RECORDS_CONFIG, Type.INT, 1, Range.between(1, 1024), Importance.MEDIUM,
                    "Most clicks scored together in one model call. Above 1, a task queues its clicks in a"
                            + " changelogged store and answers them as one batch once this many are queued or"
                            + " scoring.batch.max.wait.ms has passed. A batch reads the item tables once, but the"
                            + " NeuMF-style heads still run their tower per (user, item) pair, so up to about 8 a"
                            + " click costs 70-90 % of its cost alone and beyond that more; at the batch sizes one"
                            + " task fills under load (2-4) the queue's store writes cost more than the batch saves."
                            + " 1 (the default) answers every click as it is processed, without the queue.")
            .define(SCORING_BATCH_MAX_WAIT_MS_CONFIG, Type.LONG, 5L, Range.between(1, 10_000), Importance.MEDIUM,
                    "Longest a click waits for its batch to fill (wall clock; the batch goes out at the next"
                            + " punctuation after this). Queued clicks are kept in a changelogged store, so a crash"
                            + " loses none.")
            .define(HISTORY_MAX_ITEMS_CONFIG, Type.INT, 50, Range.between(1, 10_000), Importance.MEDIUM,
                    "How many distinct recent items the history store keeps per user (the model reads the last H).")
            .define(HISTORY_TTL_MS_CONFIG, Type.LONG, Duration.ofDays(30).toMillis(), Range.atLeast(1),
                    Importance.MEDIUM, "History entries older than this (event time) are evicted.")
            .define(HISTORY_EVICTION_INTERVAL_MS_CONFIG, Type.LONG, Duration.ofMinutes(10).toMillis(),
                    Range.atLeast(1000), Importance.LOW, "How often (wall clock) the TTL eviction scans the store.")
            .define(VALIDATION_MAX_ID_BYTES_CONFIG, Type.INT, 256, Range.between(1, 65_536), Importance.LOW,
                    "Longest accepted user or item id, in UTF-8 bytes.")
            .define(VALIDATION_MAX_FUTURE_SKEW_MS_CONFIG, Type.LONG, Duration.ofMinutes(5).toMillis(),
                    Range.atLeast(0), Importance.LOW,
                    "Clicks whose event time is further ahead of the app's clock than this are dead-lettered.")
            .define(POPULARITY_REFRESH_MS_CONFIG, Type.LONG, 5_000L, Range.atLeast(100), Importance.LOW,
                    "How often (wall clock) each task rebuilds its popularity fallback list from its counts.")
            .define(MODEL_NAME_CONFIG, Type.STRING, "default", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Name of the model to serve; releases of other names on the models topic are ignored.")
            .define(MODEL_PINNED_VERSION_CONFIG, Type.LONG, -1L, Range.atLeast(-1), Importance.MEDIUM,
                    "Serve only this release version (rollback by pinning); -1 serves the newest valid release.")
            .define(MODEL_TRUSTED_KEYS_FILE_CONFIG, Type.STRING, "", Importance.HIGH,
                    "PEM file with the Ed25519 public key(s) whose release signatures are trusted.")
            .define(MODEL_TRUSTED_KEYS_CONFIG, Type.PASSWORD, "", Importance.HIGH,
                    "The trusted public key(s) as PEM text (e.g. from an environment variable), besides the file.")
            .define(MODEL_ACCEPT_UNSIGNED_CONFIG, Type.BOOLEAN, false, Importance.HIGH,
                    "Accept releases without a signature. Local demos only: logged loudly at every load."
                            + " Releases that carry a signature are always verified.")
            .define(MODEL_ARTIFACT_MAX_BYTES_CONFIG, Type.LONG, 512L * 1024 * 1024, Range.atLeast(1),
                    Importance.LOW, "Largest ONNX graph fetched from a release's artifact URI.")
            .define(MODEL_WARMUP_RUNS_CONFIG, Type.INT, 3, Range.between(1, 1000), Importance.LOW,
                    "Scoring runs on a new model before it serves (the whole catalogue, or a two-stage model's"
                            + " candidates).")
            .define(MODEL_EVENTS_RETAINED_CONFIG, Type.INT, 100, Range.between(1, 100_000), Importance.LOW,
                    "How many model swaps, rejections and ignored releases are kept for GET /models/events.")
            .define(RETRIEVAL_MIN_ITEMS_CONFIG, Type.INT, RetrievalSettings.defaults().minItems(), Range.atLeast(1),
                    Importance.MEDIUM, "Catalogues of at least this many items are served in two stages when the"
                            + " release offers a retrieval stage: the index finds retrieval.candidates items and the"
                            + " model ranks only those. Smaller catalogues are scored whole.")
            .define(RETRIEVAL_CANDIDATES_CONFIG, Type.INT, RetrievalSettings.defaults().candidates(),
                    Range.between(1, 100_000), Importance.MEDIUM,
                    "Items the retrieval stage finds, and the model ranks, per list.")
            .define(RETRIEVAL_INDEX_CONFIG, Type.STRING, RetrievalSettings.defaults().kind().label(),
                    ConfigDef.ValidString.in("hnsw", "hnsw-mip", "exact"), Importance.LOW,
                    "The retrieval index: hnsw (Lucene's HNSW graph over the items reduced to the unit sphere,"
                            + " approximate, sublinear; the release's own index when the trainer shipped one, else"
                            + " built here), hnsw-mip (the same graph on Lucene's maximum inner product, built here)"
                            + " or exact (a scan of every item, linear in the catalogue).")
            .define(RETRIEVAL_HNSW_MAX_CONNECTIONS_CONFIG, Type.INT, RetrievalSettings.defaults().maxConnections(),
                    Range.between(2, 512), Importance.LOW, "HNSW built here: neighbours per node (Lucene's M).")
            .define(RETRIEVAL_HNSW_BEAM_WIDTH_CONFIG, Type.INT, RetrievalSettings.defaults().beamWidth(),
                    Range.between(1, 3200), Importance.LOW,
                    "HNSW built here: candidates considered while inserting a node (Lucene's beamWidth).")
            .define(RETRIEVAL_BUILD_THREADS_CONFIG, Type.INT, RetrievalSettings.defaults().buildThreads(),
                    Range.between(1, 256), Importance.LOW, "Threads that build a new model's index when its"
                            + " release ships none, off the stream threads, while the old model serves. More build"
                            + " faster but take cores from the stream threads during the swap.")
            .define(ONNX_INTRA_OP_THREADS_CONFIG, Type.INT, 1, Range.between(1, 256), Importance.MEDIUM,
                    "ONNX Runtime intra-op threads per scoring call. 1 suits one stream thread per core.")
            .define(ONNX_ALLOW_SPINNING_CONFIG, Type.BOOLEAN, false, Importance.LOW,
                    "Let idle ONNX Runtime threads spin: lower latency, but a busy core even when idle.")
            .define(ROCKSDB_BLOCK_CACHE_BYTES_CONFIG, Type.LONG, 64L * 1024 * 1024, Range.atLeast(1024 * 1024),
                    Importance.MEDIUM, "Block cache shared by every RocksDB store of the instance.")
            .define(ROCKSDB_WRITE_BUFFER_BYTES_CONFIG, Type.LONG, 32L * 1024 * 1024, Range.atLeast(1024 * 1024),
                    Importance.MEDIUM, "Memtable memory shared by every RocksDB store (charged to the block cache).")
            .define(HTTP_HOST_CONFIG, Type.STRING, "0.0.0.0", Importance.LOW, "Interface the HTTP API binds to.")
            .define(HTTP_PORT_CONFIG, Type.INT, 8080, Range.between(0, 65_535), Importance.MEDIUM,
                    "Port of the HTTP API (recommendations, history, models; health and metrics too, on the API's"
                            + " threads); 0 picks a free one.")
            // 8079: next to the API's 8080 and clear of the stack's other ports (schema registry 8081, the
            // second compose instance's 8082, trainer 8090, Prometheus 9090, Kafka 9092/9093).
            .define(HTTP_MANAGEMENT_PORT_CONFIG, Type.INT, 8079, Range.between(0, 65_535), Importance.MEDIUM,
                    "Port of the management listener: GET /health/live, /health/ready and /metrics on threads of"
                            + " their own, so probes and scrapes are answered however busy the API is. Point"
                            + " Kubernetes probes and Prometheus here and keep it off public Services. Binds"
                            + " http.host; 0 picks a free one; must differ from http.port.")
            .define(HTTP_ADVERTISED_HOST_CONFIG, Type.STRING, "", Importance.MEDIUM,
                    "Host name or address other instances use to reach this one's HTTP API; with the bound port it"
                            + " becomes Kafka Streams' application.server, so a request for a user another instance"
                            + " owns is forwarded there. Empty: http.host, or this machine's host name when http.host"
                            + " is a wildcard address. Set it in multi-instance deployments (Kubernetes: the pod's"
                            + " IP or DNS name). The app sets application.server itself: do not set that key.")
            .define(HTTP_THREADS_CONFIG, Type.INT, 4, Range.between(1, 256), Importance.LOW,
                    "Threads answering requests on http.port (a forwarded request holds one until the owner"
                            + " answers); the management listener has its own.")
            .define(HTTP_QUEUE_SIZE_CONFIG, Type.INT, 64, Range.between(0, 100_000), Importance.LOW,
                    "Requests on http.port that may wait for a thread. When every thread is busy and the queue is"
                            + " full, a request is answered 503 with Retry-After at once, as is one that waited"
                            + " longer than http.query.timeout.ms. 0: none waits.")
            .define(HTTP_QUERY_TIMEOUT_MS_CONFIG, Type.LONG, 10_000L, Range.between(100, 600_000), Importance.LOW,
                    "Deadline of a request on http.port, counted from when it was queued: a user request keeps"
                            + " retrying while the owner of the user's partition is unknown or unreachable"
                            + " (rebalances, restarts) until then, and is then answered 503. At least 5 s below the"
                            + " JDK server's response limit, sun.net.httpserver.maxRspTime (the app's command sets"
                            + " 30 s unless -D gives it).")
            .define(HTTP_READY_REQUIRES_MODEL_CONFIG, Type.BOOLEAN, false, Importance.LOW,
                    "When true, GET /health/ready answers 503 until a model serves; when false (the default), the"
                            + " popularity fallback is good enough to take traffic.")
            // 10,000: a standby under exactly-once trails its active by about one commit interval's records,
            // far below this, while a copy restoring a whole changelog is far above it until nearly done; and at
            // most this many history updates (so users) can be missing from an answer that says it is stale.
            .define(HTTP_QUERY_MAX_LAG_RECORDS_CONFIG, Type.LONG, 10_000L, Range.atLeast(-1), Importance.MEDIUM,
                    "When the active copy of a user's partition cannot answer (restoring, migrating, owner"
                            + " unreachable or unknown), a user request may be answered from a standby or restoring"
                            + " copy whose changelog offset lag is at most this many records; the answer says so in"
                            + " X-Streamrec-Served-From and X-Streamrec-Lag-Records. A request's max_lag parameter"
                            + " overrides it. -1: only the active copy answers (503 until it can). Needs"
                            + " num.standby.replicas > 0 for standby copies.");

    public StreamsAppConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, originals, false);
        if (httpPort() != 0 && httpPort() == httpManagementPort()) {
            throw new ConfigException(HTTP_MANAGEMENT_PORT_CONFIG, httpManagementPort(),
                    "the management listener needs a port of its own, not " + HTTP_PORT_CONFIG + "'s");
        }
        if (getLong(ROCKSDB_WRITE_BUFFER_BYTES_CONFIG) > getLong(ROCKSDB_BLOCK_CACHE_BYTES_CONFIG)) {
            throw new ConfigException(ROCKSDB_WRITE_BUFFER_BYTES_CONFIG, getLong(ROCKSDB_WRITE_BUFFER_BYTES_CONFIG),
                    "the write buffers are charged to the block cache, so they must not exceed "
                            + ROCKSDB_BLOCK_CACHE_BYTES_CONFIG);
        }
    }

    /** The definition of every key, for documentation generators. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
    }

    public String clicksTopic() {
        return getString(TOPIC_CLICKS_CONFIG);
    }

    public String recommendationsTopic() {
        return getString(TOPIC_RECOMMENDATIONS_CONFIG);
    }

    public String interactionsTopic() {
        return getString(TOPIC_INTERACTIONS_CONFIG);
    }

    public String modelsTopic() {
        return getString(TOPIC_MODELS_CONFIG);
    }

    public String deadLettersTopic() {
        return getString(TOPIC_DEAD_LETTERS_CONFIG);
    }

    public int deadLettersMaxBytes() {
        return getInt(DEAD_LETTERS_MAX_BYTES_CONFIG);
    }

    public Duration registryOutageWait() {
        return Duration.ofMillis(getLong(REGISTRY_OUTAGE_WAIT_MS_CONFIG));
    }

    public int recommendationCount() {
        return getInt(RECOMMENDATIONS_COUNT_CONFIG);
    }

    public boolean excludeSeen() {
        return getBoolean(RECOMMENDATIONS_EXCLUDE_SEEN_CONFIG);
    }

    public Duration coalesceInterval() {
        return Duration.ofMillis(getLong(RECOMMENDATIONS_COALESCE_MS_CONFIG));
    }

    public int scoringBatchMaxRecords() {
        return getInt(SCORING_BATCH_MAX_RECORDS_CONFIG);
    }

    public Duration scoringBatchMaxWait() {
        return Duration.ofMillis(getLong(SCORING_BATCH_MAX_WAIT_MS_CONFIG));
    }

    public int historyMaxItems() {
        return getInt(HISTORY_MAX_ITEMS_CONFIG);
    }

    public Duration historyTtl() {
        return Duration.ofMillis(getLong(HISTORY_TTL_MS_CONFIG));
    }

    public Duration historyEvictionInterval() {
        return Duration.ofMillis(getLong(HISTORY_EVICTION_INTERVAL_MS_CONFIG));
    }

    public int maxIdBytes() {
        return getInt(VALIDATION_MAX_ID_BYTES_CONFIG);
    }

    public Duration maxFutureSkew() {
        return Duration.ofMillis(getLong(VALIDATION_MAX_FUTURE_SKEW_MS_CONFIG));
    }

    public Duration popularityRefresh() {
        return Duration.ofMillis(getLong(POPULARITY_REFRESH_MS_CONFIG));
    }

    public String modelName() {
        return getString(MODEL_NAME_CONFIG);
    }

    public OptionalLong pinnedVersion() {
        long pinned = getLong(MODEL_PINNED_VERSION_CONFIG);
        return pinned < 0 ? OptionalLong.empty() : OptionalLong.of(pinned);
    }

    public String trustedKeysFile() {
        return getString(MODEL_TRUSTED_KEYS_FILE_CONFIG);
    }

    public String trustedKeysPem() {
        return getPassword(MODEL_TRUSTED_KEYS_CONFIG).value();
    }

    public boolean acceptUnsigned() {
        return getBoolean(MODEL_ACCEPT_UNSIGNED_CONFIG);
    }

    public long artifactMaxBytes() {
        return getLong(MODEL_ARTIFACT_MAX_BYTES_CONFIG);
    }

    public RetrievalSettings retrievalSettings() {
        return new RetrievalSettings(getInt(RETRIEVAL_MIN_ITEMS_CONFIG), getInt(RETRIEVAL_CANDIDATES_CONFIG),
                RetrievalSettings.Kind.parse(getString(RETRIEVAL_INDEX_CONFIG)),
                getInt(RETRIEVAL_HNSW_MAX_CONNECTIONS_CONFIG), getInt(RETRIEVAL_HNSW_BEAM_WIDTH_CONFIG),
                getInt(RETRIEVAL_BUILD_THREADS_CONFIG));
    }

    public int warmupRuns() {
        return getInt(MODEL_WARMUP_RUNS_CONFIG);
    }

    public int eventsRetained() {
        return getInt(MODEL_EVENTS_RETAINED_CONFIG);
    }

    public int onnxIntraOpThreads() {
        return getInt(ONNX_INTRA_OP_THREADS_CONFIG);
    }

    public boolean onnxAllowSpinning() {
        return getBoolean(ONNX_ALLOW_SPINNING_CONFIG);
    }

    public long rocksDbBlockCacheBytes() {
        return getLong(ROCKSDB_BLOCK_CACHE_BYTES_CONFIG);
    }

    public long rocksDbWriteBufferBytes() {
        return getLong(ROCKSDB_WRITE_BUFFER_BYTES_CONFIG);
    }

    public String httpHost() {
        return getString(HTTP_HOST_CONFIG);
    }

    public int httpPort() {
        return getInt(HTTP_PORT_CONFIG);
    }

    public int httpManagementPort() {
        return getInt(HTTP_MANAGEMENT_PORT_CONFIG);
    }

    /** The configured advertised host; empty means "derive it from http.host". */
    public String httpAdvertisedHost() {
        return getString(HTTP_ADVERTISED_HOST_CONFIG);
    }

    public int httpThreads() {
        return getInt(HTTP_THREADS_CONFIG);
    }

    public int httpQueueSize() {
        return getInt(HTTP_QUEUE_SIZE_CONFIG);
    }

    public Duration httpQueryTimeout() {
        return Duration.ofMillis(getLong(HTTP_QUERY_TIMEOUT_MS_CONFIG));
    }

    public boolean httpReadyRequiresModel() {
        return getBoolean(HTTP_READY_REQUIRES_MODEL_CONFIG);
    }

    /** The default bound of stale answers, in changelog records; -1 for none. */
    public long httpQueryMaxLagRecords() {
        return getLong(HTTP_QUERY_MAX_LAG_RECORDS_CONFIG);
    }

    /** Every original key and value, for handing the same map to Kafka Streams and the serdes. */
    public Map<String, Object> allOriginals() {
        return new HashMap<>(originals());
    }
}
