package io.streamrec.trainer.service;

import io.streamrec.schemas.topics.TopicCatalog;
import io.streamrec.trainer.model.AttentionQuery;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.model.Variant;
import io.streamrec.trainer.select.BaselineCandidate;
import io.streamrec.trainer.release.ReleaseSettings;
import io.streamrec.trainer.train.HistoryContext;
import io.streamrec.trainer.train.TrainConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The trainer service's keys, typed and validated. They share one map with Kafka's client keys
 * ({@code bootstrap.servers}, security settings) and the serde's ({@code schema.registry.url}); the keys the
 * streams app also reads ({@code interactions.topic}, {@code models.topic}, {@code model.name}) have the same
 * names and meaning in both, so one environment configures both. Immutable.
 */
public final class TrainerServiceConfig extends AbstractConfig {

    static final String INTERACTIONS_TOPIC_CONFIG = "interactions.topic";
    static final String MODELS_TOPIC_CONFIG = "models.topic";
    static final String MODEL_NAME_CONFIG = "model.name";

    public static final String MODEL_VARIANT_CONFIG = "model.variant";
    static final String MODEL_CANDIDATES_CONFIG = "model.candidates";
    static final String MODEL_BASELINES_CONFIG = "model.baselines";
    static final String MODEL_BASELINES_RETUNE_CONFIG = "model.baselines.retune.refits";
    /** The value of {@link #MODEL_VARIANT_CONFIG} that selects among {@link #MODEL_CANDIDATES_CONFIG}. */
    static final String AUTO = "auto";
    public static final String MODEL_FACTORS_CONFIG = "model.factors";
    public static final String MODEL_LAYERS_CONFIG = "model.layers";
    public static final String MODEL_HISTORY_LENGTH_CONFIG = "model.history.length";
    static final String MODEL_USER_EMBEDDING_CONFIG = "model.user.embedding";
    static final String MODEL_ATTENTION_QUERY_CONFIG = "model.attention.query";

    public static final String TRAIN_MAX_EPOCHS_CONFIG = "train.max.epochs";
    public static final String TRAIN_PATIENCE_CONFIG = "train.patience";
    public static final String TRAIN_BATCH_SIZE_CONFIG = "train.batch.size";
    public static final String TRAIN_LEARNING_RATE_CONFIG = "train.learning.rate";
    static final String TRAIN_NEGATIVES_CONFIG = "train.negatives";
    static final String TRAIN_L2_CONFIG = "train.l2";
    static final String TRAIN_AVERAGE_EPOCHS_CONFIG = "train.average.epochs";
    static final String TRAIN_UNKNOWN_USER_RATE_CONFIG = "train.unknown.user.rate";
    static final String TRAIN_HISTORY_CONTEXT_CONFIG = "train.history.context";
    public static final String TRAIN_THREADS_CONFIG = "train.threads";
    public static final String TRAIN_SEED_CONFIG = "train.seed";
    static final String TRAIN_WARM_START_CONFIG = "train.warm.start";
    static final String TRAIN_WARM_PATIENCE_CONFIG = "train.warm.patience";
    public static final String TRAIN_WARM_START_DIR_CONFIG = "train.warm.start.dir";

    static final String EVAL_NEGATIVES_CONFIG = "eval.negatives";
    static final String GATE_METRIC_CONFIG = "gate.metric";
    public static final String GATE_TOLERANCE_CONFIG = "gate.tolerance";

    public static final String RELEASE_SIGNING_KEY_FILE_CONFIG = "release.signing.key.file";
    static final String RELEASE_SIGNING_KEY_CONFIG = "release.signing.key";
    static final String RELEASE_TRUSTED_KEYS_FILE_CONFIG = "release.trusted.keys.file";
    static final String RELEASE_INLINE_MAX_BYTES_CONFIG = "release.inline.max.bytes";
    public static final String RELEASE_ARTIFACT_DIR_CONFIG = "release.artifact.dir";
    static final String RELEASE_RETRIEVAL_INDEX_MIN_ITEMS_CONFIG = "release.retrieval.index.min.items";
    static final String RELEASE_ARTIFACT_KEEP_CONFIG = "release.artifact.keep.releases";

    static final String SNAPSHOT_TIMEOUT_MS_CONFIG = "snapshot.timeout.ms";
    public static final String SERVICE_INTERVAL_MS_CONFIG = "service.interval.ms";
    public static final String SERVICE_MIN_NEW_INTERACTIONS_CONFIG = "service.min.new.interactions";
    public static final String SERVICE_POLL_INTERVAL_MS_CONFIG = "service.poll.interval.ms";
    public static final String SERVICE_REFIT_ON_START_CONFIG = "service.refit.on.start";
    public static final String REPORT_DIR_CONFIG = "report.dir";
    public static final String HTTP_HOST_CONFIG = "http.host";
    public static final String HTTP_PORT_CONFIG = "http.port";

    /** Values of {@link #GATE_METRIC_CONFIG}. */
    static final List<String> GATE_METRICS = List.of("ndcg@10", "hr@10");

    private static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(INTERACTIONS_TOPIC_CONFIG, Type.STRING, TopicCatalog.INTERACTIONS.name(),
                    new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "Compacted topic of per-(user, item) state to train on (written by the streams app).")
            .define(MODELS_TOPIC_CONFIG, Type.STRING, TopicCatalog.MODELS.name(), new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM, "Compacted topic the releases are published to; also where the serving"
                            + " release and the next version number are read from.")
            .define(MODEL_NAME_CONFIG, Type.STRING, "default", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Name of the model this trainer publishes (the record key on the models topic).")
            .define(MODEL_VARIANT_CONFIG, Type.STRING, AUTO,
                    ConfigDef.ValidString.in(AUTO, "gmf", "mlp", "neumf", "aneumf", "history-aneumf"), Importance.HIGH,
                    "Which member of the model family to train; 'auto' trains every variant of model.candidates on"
                            + " the same validation split and publishes the best by gate.metric (subject to the gate).")
            .define(MODEL_CANDIDATES_CONFIG, Type.LIST, "history-aneumf,aneumf", ConfigDef.LambdaValidator.with(
                    (name, value) -> candidateVariants(name, value), () -> "variants of the model family"),
                    Importance.MEDIUM, "With model.variant=auto: the variants selected from, each built from the"
                            + " model.* keys (the ANeuMF family by default: history-attentive and table-user).")
            .define(MODEL_BASELINES_CONFIG, Type.LIST, "popularity,item-knn,ease,ials", ConfigDef.LambdaValidator.with(
                    (name, value) -> baselineNames(name, value), () -> String.join(", ", BaselineCandidate.NAMES)),
                    Importance.MEDIUM, "Baselines fitted on the same validation split at every refit (tuned every"
                            + " model.baselines.retune.refits), never published; when one beats the selected model"
                            + " the refit report says so and streamrec_trainer_baseline_ahead is 1. Empty for none.")
            .define(MODEL_BASELINES_RETUNE_CONFIG, Type.INT, 10, Range.atLeast(1), Importance.LOW,
                    "Tune the baselines over their grids every this many refits; in between each is fitted once"
                            + " with the settings chosen last (1 = tune at every refit).")
            .define(MODEL_FACTORS_CONFIG, Type.INT, 32, Range.atLeast(0), Importance.MEDIUM,
                    "Width of the GMF branch (predictive factors); 0 for MLP alone.")
            .define(MODEL_LAYERS_CONFIG, Type.LIST, "64,32,16,8", Importance.MEDIUM,
                    "MLP layer widths in the NCF convention: the first is the width of [user ; item], the rest the"
                            + " ReLU layers. Empty for GMF alone.")
            .define(MODEL_HISTORY_LENGTH_CONFIG, Type.INT, 50, Range.between(1, 1000), Importance.MEDIUM,
                    "H: recent items the history-attentive variant attends over.")
            .define(MODEL_USER_EMBEDDING_CONFIG, Type.BOOLEAN, true, Importance.LOW,
                    "History-attentive variant: add a learned embedding for users seen in training.")
            .define(MODEL_ATTENTION_QUERY_CONFIG, Type.STRING, AttentionQuery.RECENT.label(),
                    ConfigDef.ValidString.in("candidate", "recent"), Importance.MEDIUM,
                    "History-attentive variant: the attention's query. 'recent': the user's newest item through a"
                            + " learned map (one user vector per request, so a full-catalogue request costs about what"
                            + " ANeuMF's does). 'candidate': each scored item (target attention, as accurate on"
                            + " MovieLens-1M but 4.5 times the scoring cost: the head runs once per item with its own"
                            + " user vector).")
            .define(TRAIN_MAX_EPOCHS_CONFIG, Type.INT, 20, Range.atLeast(0), Importance.MEDIUM,
                    "Upper bound on epochs (0 publishes nothing trained: the gate keeps the serving model).")
            .define(TRAIN_PATIENCE_CONFIG, Type.INT, 3, Range.atLeast(0), Importance.LOW,
                    "Epochs without improvement on the validation items before training stops (0 = never early).")
            .define(TRAIN_BATCH_SIZE_CONFIG, Type.INT, 4096, Range.atLeast(2), Importance.LOW,
                    "Samples per mini-batch (positives plus their negatives).")
            .define(TRAIN_LEARNING_RATE_CONFIG, Type.DOUBLE, 0.002, Range.atLeast(0), Importance.LOW,
                    "Adam step size.")
            .define(TRAIN_NEGATIVES_CONFIG, Type.INT, 4, Range.atLeast(1), Importance.LOW,
                    "Sampled negatives per positive, resampled every epoch.")
            .define(TRAIN_L2_CONFIG, Type.DOUBLE, 0.0, Range.atLeast(0), Importance.LOW,
                    "L2 penalty on the embedding rows a batch touches.")
            .define(TRAIN_AVERAGE_EPOCHS_CONFIG, Type.DOUBLE, 2.0, Range.atLeast(0), Importance.LOW,
                    "Horizon in epochs of the exponential moving average of the weights that is validated and"
                            + " published instead of the last step's weights (0 = no averaging).")
            .define(TRAIN_UNKNOWN_USER_RATE_CONFIG, Type.DOUBLE, -1.0, Range.between(-1, 0.99), Importance.LOW,
                    "Share of training groups trained as the unknown user 0, so the model learns to serve new users"
                            + " from their history; -1 means 0.1 for history-aneumf and 0 for the other variants.")
            .define(TRAIN_HISTORY_CONTEXT_CONFIG, Type.STRING, HistoryContext.AUTO.label(),
                    ConfigDef.ValidString.in("auto", "preceding", "others"), Importance.LOW,
                    "History-attentive variant: what a training positive sees as its history. 'preceding': the items"
                            + " before it in time order, as served; 'others': a random sample of the user's other"
                            + " items, anew each epoch, for data whose order carries no signal; 'auto': 'preceding'"
                            + " when adjacent items in the users' rows repeat across users clearly more often than"
                            + " in shuffled rows, else 'others'.")
            .define(TRAIN_THREADS_CONFIG, Type.INT, 0, Range.atLeast(0), Importance.LOW,
                    "Training threads; 0 = one per available core. Results are reproducible for a seed and a thread"
                            + " count.")
            .define(TRAIN_SEED_CONFIG, Type.LONG, 1L, Importance.LOW, "Seed of initialisation, shuffling and sampling.")
            .define(TRAIN_WARM_START_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Start a refit from the parameters of the model this service published last, when that model"
                            + " still serves and the model settings are unchanged (shared users and items keep their"
                            + " rows, newcomers start fresh); else train from scratch.")
            .define(TRAIN_WARM_PATIENCE_CONFIG, Type.INT, 1, Range.atLeast(0), Importance.LOW,
                    "Early-stopping patience of a warm-started candidate (train.patience applies from scratch; 0: no"
                            + " early stopping): a"
                            + " warm start begins near its optimum, so waiting several epochs to confirm it mostly"
                            + " costs time (on MovieLens-1M the history model's warm refit peaked at its second epoch).")
            .define(TRAIN_WARM_START_DIR_CONFIG, Type.STRING, "", Importance.LOW,
                    "Directory for the warm-start checkpoint (the last published model's parameters, a few bytes per"
                            + " parameter), so a restarted service or a 'trainer once' run per schedule still starts"
                            + " warm. Empty: kept in memory only, and the first refit after a restart is from scratch.")
            .define(EVAL_NEGATIVES_CONFIG, Type.INT, 99, Range.atLeast(1), Importance.LOW,
                    "Sampled negatives each held-out item is ranked against (the NCF protocol uses 99).")
            .define(GATE_METRIC_CONFIG, Type.STRING, "ndcg@10", ConfigDef.ValidString.in("ndcg@10", "hr@10"),
                    Importance.MEDIUM, "The metric the publish gate compares, new model against serving model.")
            .define(GATE_TOLERANCE_CONFIG, Type.DOUBLE, 0.005, Range.atLeast(0), Importance.MEDIUM,
                    "Publish when new >= serving - tolerance on the gate metric, both evaluated on the same holdout.")
            .define(RELEASE_SIGNING_KEY_FILE_CONFIG, Type.STRING, "", Importance.HIGH,
                    "PEM file with the Ed25519 signing key (PRIVATE KEY and PUBLIC KEY blocks; trainer keygen"
                            + " makes one).")
            .define(RELEASE_SIGNING_KEY_CONFIG, Type.PASSWORD, "", Importance.HIGH,
                    "The signing key as PEM text (e.g. from a Kubernetes Secret), instead of the file.")
            .define(RELEASE_TRUSTED_KEYS_FILE_CONFIG, Type.STRING, "", Importance.MEDIUM,
                    "PEM file with this trainer's earlier public signing keys (after a key rotation). Only releases"
                            + " signed by the signing key or one of these count on the models topic: for the next"
                            + " version number, the gate's serving baseline and republish; others are ignored.")
            .define(RELEASE_INLINE_MAX_BYTES_CONFIG, Type.INT, 16 * 1024 * 1024,
                    Range.between(1024, TopicCatalog.MODELS_MAX_MESSAGE_BYTES - 1024 * 1024), Importance.LOW,
                    "ONNX graphs up to this size travel inside the release; larger ones are written to"
                            + " release.artifact.dir and referenced by URI.")
            .define(RELEASE_ARTIFACT_DIR_CONFIG, Type.STRING, "", Importance.LOW,
                    "Directory (shared with the streams apps, e.g. a volume) for graphs above the inline limit"
                            + " and for retrieval indexes.")
            .define(RELEASE_ARTIFACT_KEEP_CONFIG, Type.INT, 5, Range.atLeast(0), Importance.LOW,
                    "After each publish, the files in release.artifact.dir of this model's releases but the most"
                            + " recently written this many (and those the published release names) are deleted;"
                            + " 0 keeps every file. A rollback by republishing reaches only releases whose files"
                            + " are kept; keep at least 2, so an instance still loading the previous release finds"
                            + " its files.")
            .define(RELEASE_RETRIEVAL_INDEX_MIN_ITEMS_CONFIG, Type.INT,
                    ReleaseSettings.DEFAULT_RETRIEVAL_INDEX_MIN_ITEMS, Range.atLeast(1), Importance.LOW,
                    "A model with a retrieval stage over at least this many items ships its retrieval index"
                            + " (Lucene's HNSW graph, built here) in release.artifact.dir, so the streams apps load"
                            + " it instead of building it; keep it equal to the apps' retrieval.min.items. Without"
                            + " release.artifact.dir no index ships and the apps build their own.")
            .define(SNAPSHOT_TIMEOUT_MS_CONFIG, Type.LONG, Duration.ofMinutes(10).toMillis(), Range.atLeast(1000),
                    Importance.LOW, "Longest a read of the interactions topic may take.")
            .define(SERVICE_INTERVAL_MS_CONFIG, Type.LONG, Duration.ofHours(1).toMillis(), Range.atLeast(1000),
                    Importance.MEDIUM, "Service mode: refit at least this often.")
            .define(SERVICE_MIN_NEW_INTERACTIONS_CONFIG, Type.LONG, 0L, Range.atLeast(0), Importance.MEDIUM,
                    "Service mode: also refit as soon as this many records arrived on the interactions topic since"
                            + " the last snapshot (0 = interval only).")
            .define(SERVICE_POLL_INTERVAL_MS_CONFIG, Type.LONG, 10_000L, Range.atLeast(100), Importance.LOW,
                    "Service mode: how often the interactions topic's end offsets are checked.")
            .define(SERVICE_REFIT_ON_START_CONFIG, Type.BOOLEAN, true, Importance.LOW,
                    "Service mode: refit as soon as the service starts (else wait for the interval or a trigger).")
            .define(REPORT_DIR_CONFIG, Type.STRING, "trainer-reports", Importance.LOW,
                    "Where each run's HTML report (loss and HR/NDCG per epoch, the gate decision) is written.")
            .define(HTTP_HOST_CONFIG, Type.STRING, "0.0.0.0", Importance.LOW,
                    "Interface of the service's health and metrics endpoints.")
            .define(HTTP_PORT_CONFIG, Type.INT, 8090, Range.between(0, 65_535), Importance.LOW,
                    "Port of /health/live, /health/ready and /metrics in service mode; 0 picks a free one.");

    public TrainerServiceConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, originals, false);
        candidateConfigs(); // validates the combination of variant, factors, layers and history now
    }

    /** The definition of every key, for documentation generators. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
    }

    String interactionsTopic() {
        return getString(INTERACTIONS_TOPIC_CONFIG);
    }

    String modelsTopic() {
        return getString(MODELS_TOPIC_CONFIG);
    }

    String modelName() {
        return getString(MODEL_NAME_CONFIG);
    }

    /** The model hyperparameters: the configured variant's, or with {@code auto} the first candidate's. */
    public ModelConfig modelConfig() {
        return candidateConfigs().get(0);
    }

    /** The variants a refit trains: the configured one, or with {@code auto} every candidate, in list order. */
    public List<ModelConfig> candidateConfigs() {
        String variant = getString(MODEL_VARIANT_CONFIG);
        List<String> variants = variant.equals(AUTO) ? candidateVariants(MODEL_CANDIDATES_CONFIG,
                getList(MODEL_CANDIDATES_CONFIG)) : List.of(variant);
        return variants.stream().map(Variant::parse).map(this::modelConfig).toList();
    }

    /**
     * {@code model.history.length}, whichever variant is configured: what a history-based baseline reads, as its
     * served graph would.
     */
    int historyLength() {
        return getInt(MODEL_HISTORY_LENGTH_CONFIG);
    }

    /** Every how many refits the baselines are tuned again. */
    int baselineRetuneEvery() {
        return getInt(MODEL_BASELINES_RETUNE_CONFIG);
    }

    /** The baselines measured beside the candidates. */
    List<String> baselines() {
        return baselineNames(MODEL_BASELINES_CONFIG, getList(MODEL_BASELINES_CONFIG));
    }

    private static List<String> candidateVariants(String name, Object value) {
        List<String> variants = trimmed(value);
        if (variants.isEmpty()) {
            throw new ConfigException(name, value, "at least one candidate is needed");
        }
        for (String variant : variants) {
            try {
                Variant.parse(variant);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, "'" + variant + "' is not a variant of the model family");
            }
        }
        return variants;
    }

    private static List<String> baselineNames(String name, Object value) {
        List<String> names = trimmed(value);
        for (String baseline : names) {
            if (!BaselineCandidate.NAMES.contains(baseline)) {
                throw new ConfigException(name, value, "unknown baseline '" + baseline + "'");
            }
        }
        return names;
    }

    private static List<String> trimmed(Object value) {
        return ((List<?>) value).stream().map(v -> v.toString().trim()).filter(v -> !v.isEmpty()).toList();
    }

    private ModelConfig modelConfig(Variant variant) {
        List<Integer> layers = getList(MODEL_LAYERS_CONFIG).stream().map(String::trim).filter(s -> !s.isEmpty())
                .map(Integer::valueOf).toList();
        int factors = getInt(MODEL_FACTORS_CONFIG);
        boolean history = variant == Variant.HISTORY_ANEUMF;
        try {
            ModelConfig config = new ModelConfig(variant,
                    variant == Variant.MLP ? 0 : factors,
                    variant == Variant.GMF ? List.of() : layers,
                    history ? getInt(MODEL_HISTORY_LENGTH_CONFIG) : 0,
                    !history || getBoolean(MODEL_USER_EMBEDDING_CONFIG),
                    0.01, getLong(TRAIN_SEED_CONFIG),
                    history ? AttentionQuery.parse(getString(MODEL_ATTENTION_QUERY_CONFIG)) : AttentionQuery.CANDIDATE);
            return config;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(MODEL_VARIANT_CONFIG, getString(MODEL_VARIANT_CONFIG),
                    "invalid model: " + e.getMessage());
        }
    }

    /** The training hyperparameters of {@link #modelConfig()}. */
    public TrainConfig trainConfig() {
        return trainConfig(modelConfig());
    }

    /** The training hyperparameters of one candidate (the unknown-user rate's default depends on the variant). */
    public TrainConfig trainConfig(ModelConfig model) {
        double unknownUserRate = getDouble(TRAIN_UNKNOWN_USER_RATE_CONFIG);
        if (unknownUserRate < 0) {
            unknownUserRate = model.usesHistory() ? 0.1 : 0.0;
        }
        return new TrainConfig(Math.max(1, getInt(TRAIN_MAX_EPOCHS_CONFIG)), getInt(TRAIN_BATCH_SIZE_CONFIG),
                getDouble(TRAIN_LEARNING_RATE_CONFIG), getInt(TRAIN_NEGATIVES_CONFIG), getDouble(TRAIN_L2_CONFIG),
                unknownUserRate, getInt(TRAIN_PATIENCE_CONFIG), trainThreads(),
                getLong(TRAIN_SEED_CONFIG), true, getDouble(TRAIN_AVERAGE_EPOCHS_CONFIG),
                HistoryContext.parse(getString(TRAIN_HISTORY_CONTEXT_CONFIG)));
    }

    /** True when the configured epoch budget is zero: the run evaluates an untrained model (a gate test). */
    /** {@code train.threads}, with 0 resolved to the available cores. */
    int trainThreads() {
        int configured = getInt(TRAIN_THREADS_CONFIG);
        return configured == 0 ? Runtime.getRuntime().availableProcessors() : configured;
    }

    boolean warmStart() {
        return getBoolean(TRAIN_WARM_START_CONFIG);
    }

    /** The early-stopping patience of a warm-started candidate. */
    int warmPatience() {
        return getInt(TRAIN_WARM_PATIENCE_CONFIG);
    }

    Optional<Path> warmStartDirectory() {
        String dir = getString(TRAIN_WARM_START_DIR_CONFIG);
        return dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir));
    }

    boolean untrained() {
        return getInt(TRAIN_MAX_EPOCHS_CONFIG) == 0;
    }

    int evalNegatives() {
        return getInt(EVAL_NEGATIVES_CONFIG);
    }

    String gateMetric() {
        return getString(GATE_METRIC_CONFIG);
    }

    double gateTolerance() {
        return getDouble(GATE_TOLERANCE_CONFIG);
    }

    Optional<Path> signingKeyFile() {
        String file = getString(RELEASE_SIGNING_KEY_FILE_CONFIG);
        return file.isBlank() ? Optional.empty() : Optional.of(Path.of(file));
    }

    String signingKeyPem() {
        return getPassword(RELEASE_SIGNING_KEY_CONFIG).value();
    }

    Optional<Path> trustedKeysFile() {
        String file = getString(RELEASE_TRUSTED_KEYS_FILE_CONFIG);
        return file.isBlank() ? Optional.empty() : Optional.of(Path.of(file));
    }

    int inlineMaxBytes() {
        return getInt(RELEASE_INLINE_MAX_BYTES_CONFIG);
    }

    Optional<Path> artifactDirectory() {
        String dir = getString(RELEASE_ARTIFACT_DIR_CONFIG);
        return dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir));
    }

    /** How many releases' files {@code release.artifact.dir} keeps per model; 0 keeps all. */
    int artifactKeepReleases() {
        return getInt(RELEASE_ARTIFACT_KEEP_CONFIG);
    }

    /** How releases carry their graph and retrieval index. */
    ReleaseSettings releaseSettings() {
        return new ReleaseSettings(inlineMaxBytes(), artifactDirectory())
                .withRetrievalIndexMinItems(getInt(RELEASE_RETRIEVAL_INDEX_MIN_ITEMS_CONFIG));
    }

    Duration snapshotTimeout() {
        return Duration.ofMillis(getLong(SNAPSHOT_TIMEOUT_MS_CONFIG));
    }

    Duration serviceInterval() {
        return Duration.ofMillis(getLong(SERVICE_INTERVAL_MS_CONFIG));
    }

    long minNewInteractions() {
        return getLong(SERVICE_MIN_NEW_INTERACTIONS_CONFIG);
    }

    Duration pollInterval() {
        return Duration.ofMillis(getLong(SERVICE_POLL_INTERVAL_MS_CONFIG));
    }

    boolean refitOnStart() {
        return getBoolean(SERVICE_REFIT_ON_START_CONFIG);
    }

    Path reportDirectory() {
        return Path.of(getString(REPORT_DIR_CONFIG));
    }

    String httpHost() {
        return getString(HTTP_HOST_CONFIG);
    }

    public int httpPort() {
        return getInt(HTTP_PORT_CONFIG);
    }
}
