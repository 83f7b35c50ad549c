package io.streamrec.app;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamrec.app.errors.FailedRecords;
import io.streamrec.app.http.ApiHandler;
import io.streamrec.app.http.ApiServer;
import io.streamrec.app.http.HttpSettings;
import io.streamrec.app.model.ArtifactFetcher;
import io.streamrec.app.model.ModelEvent;
import io.streamrec.app.model.ModelLoader;
import io.streamrec.app.model.ModelRegistry;
import io.streamrec.app.model.OnnxRuntime;
import io.streamrec.app.rocksdb.SharedRocksDbMemory;
import io.streamrec.app.topology.GlobalDeadLetterSender;
import io.streamrec.app.topology.KafkaDeadLetterSender;
import io.streamrec.app.topology.PopularityLists;
import io.streamrec.app.topology.Recommender;
import io.streamrec.app.topology.RecommenderTopology;
import io.streamrec.app.topology.RegistryWarmUp;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.model.ReleaseVerifier;
import io.streamrec.schemas.serde.AvroSerdeConfig;
import io.streamrec.schemas.serde.SchemaRegistryClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running streams-app instance: ONNX Runtime, the model registry, Kafka Streams over the recommender
 * topology, the meters, and the HTTP API ({@link ApiServer}). Built by {@link #start(Map)} from one
 * configuration map.
 *
 * <p>Kafka Streams starts on a thread of its own once the schema registry has filled the serdes' caches
 * ({@link RegistryWarmUp}), so an instance that starts during a registry outage stays out of the consumer group
 * (live, not ready) instead of taking partitions it could not serve.
 *
 * <p>Lifetime: {@link #close()} stops the HTTP API first (no more interactive queries), then the models topic's
 * dead-letter sender (ending any wait for the schema registry), then Kafka Streams (no
 * more scoring), then the model registry (its sessions close once their leases are released), then the shared
 * RocksDB memory and ONNX Runtime. Thread-safe.
 */
public final class StreamsApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamsApp.class);

    private final StreamsAppConfig config;
    private final OnnxRuntime onnx;
    private final ModelRegistry models;
    private final SharedRocksDbMemory rocksDbMemory;
    private final PrometheusMeterRegistry meters;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final GlobalDeadLetterSender modelDeadLetters;
    private final ApiServer http;
    private final Thread starter;
    private final AtomicBoolean closed = new AtomicBoolean();

    private StreamsApp(StreamsAppConfig config, OnnxRuntime onnx, ModelRegistry models,
                       SharedRocksDbMemory rocksDbMemory, PrometheusMeterRegistry meters, KafkaStreams streams,
                       KafkaStreamsMetrics streamsMetrics, GlobalDeadLetterSender modelDeadLetters, ApiServer http,
                       RegistryWarmUp warmUp) {
        this.config = config;
        this.onnx = onnx;
        this.models = models;
        this.rocksDbMemory = rocksDbMemory;
        this.meters = meters;
        this.streams = streams;
        this.streamsMetrics = streamsMetrics;
        this.modelDeadLetters = modelDeadLetters;
        this.http = http;
        this.starter = new Thread(() -> startWhenRegistryAnswers(warmUp), "streamrec-starter");
    }

    private void startWhenRegistryAnswers(RegistryWarmUp warmUp) {
        try {
            if (!warmUp.await(closed::get)) {
                return;
            }
        } catch (InterruptedException e) {
            return; // closing before the start
        }
        synchronized (starter) {
            if (!closed.get()) {
                streams.start();
            }
        }
    }

    /**
     * Builds and starts an instance. {@code settings} holds the app's keys ({@link StreamsAppConfig}), Kafka
     * Streams' and the serde's; streamrec's Streams defaults ({@link StreamsAppSettings#defaults()}) apply to
     * keys it leaves out. The app sets {@code application.server} itself, from {@code http.advertised.host} and
     * the bound HTTP port.
     */
    public static StreamsApp start(Map<String, ?> settings) {
        Map<String, Object> merged = StreamsAppSettings.defaults();
        merged.putAll(settings);
        if (merged.containsKey(StreamsConfig.APPLICATION_SERVER_CONFIG)) {
            throw new ConfigException(StreamsConfig.APPLICATION_SERVER_CONFIG, merged.get(
                    StreamsConfig.APPLICATION_SERVER_CONFIG), "set by the app from the HTTP API's address: configure "
                    + StreamsAppConfig.HTTP_ADVERTISED_HOST_CONFIG + " and " + StreamsAppConfig.HTTP_PORT_CONFIG
                    + " instead");
        }
        StreamsAppConfig config = new StreamsAppConfig(merged);
        AvroSerdeConfig serdeConfig = new AvroSerdeConfig(merged);
        ReleaseVerifier verifier = verifier(config);
        HttpSettings httpSettings = HttpSettings.from(config);
        // Bound first: with http.port=0 the port, part of application.server, is known only once bound.
        ApiServer http = ApiServer.bind(httpSettings);
        try {
            return start(merged, config, serdeConfig, verifier, httpSettings, http);
        } catch (RuntimeException e) {
            http.close();
            throw e;
        }
    }

    private static StreamsApp start(Map<String, Object> merged, StreamsAppConfig config, AvroSerdeConfig serdeConfig,
                                    ReleaseVerifier verifier, HttpSettings httpSettings, ApiServer http) {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmGcMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ClassLoaderMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);

        OnnxRuntime onnx = new OnnxRuntime(new OnnxRuntime.Settings(config.onnxIntraOpThreads(),
                config.onnxAllowSpinning(), config.scoringBatchMaxRecords()));
        ModelLoader loader = new ModelLoader(onnx, verifier,
                new ArtifactFetcher(config.artifactMaxBytes(), Duration.ofMinutes(2)), config.warmupRuns(),
                config.retrievalSettings());
        ModelRegistry models = new ModelRegistry(new ModelRegistry.Settings(config.modelName(),
                config.pinnedVersion(), config.eventsRetained()), loader, Clock.systemUTC(),
                event -> meters.counter("streamrec.model.events", "kind", event.kind().name().toLowerCase(
                        java.util.Locale.ROOT), "reason", event.reason()).increment());
        meters.gauge("streamrec.model.serving.version", models,
                registry -> registry.serving().map(serving -> (double) serving.info().version()).orElse(-1.0));

        SharedRocksDbMemory rocksDbMemory = new SharedRocksDbMemory(config.rocksDbBlockCacheBytes(),
                config.rocksDbWriteBufferBytes());
        // One cache for every store (memtables charged to it): its usage is the instance's RocksDB memory, which
        // Kafka Streams' per-store block-cache metrics would count once per store.
        Gauge.builder("streamrec.rocksdb.memory.usage", rocksDbMemory, SharedRocksDbMemory::usageBytes).baseUnit("bytes")
                .description("RocksDB block cache usage, memtables included (shared by every store)").register(meters);
        Gauge.builder("streamrec.rocksdb.memory.pinned", rocksDbMemory, SharedRocksDbMemory::pinnedBytes)
                .baseUnit("bytes").description("RocksDB cache entries pinned by readers").register(meters);
        Gauge.builder("streamrec.rocksdb.memory.capacity", rocksDbMemory, SharedRocksDbMemory::cacheBytes)
                .baseUnit("bytes").description("rocksdb.block.cache.bytes: the bound of the shared cache")
                .register(meters);
        SchemaRegistryClient schemaRegistry = SchemaRegistryClient.fromConfig(serdeConfig);
        FailedRecords failedRecords = new FailedRecords(2, 10_000);
        GlobalDeadLetterSender modelDeadLetters = KafkaDeadLetterSender.create(config);
        // Written by the stream tasks, read by the API: its fallback lists need no store scans.
        PopularityLists popularity = new PopularityLists();
        Topology topology = RecommenderTopology.build(config, new RecommenderTopology.Collaborators(schemaRegistry,
                models, failedRecords, popularity, modelDeadLetters, meters));
        KafkaStreams streams = new KafkaStreams(topology, StreamsAppSettings.streamsProperties(config,
                Map.of(SharedRocksDbMemory.CONFIG_KEY, rocksDbMemory,
                        FailedRecords.CONFIG_KEY, failedRecords,
                        StreamsConfig.APPLICATION_SERVER_CONFIG, http.applicationServer())));
        streams.setUncaughtExceptionHandler(exception -> {
            log.error("event=stream_thread_failed action=replace_thread error=\"{}\"", exception.toString(), exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) ->
                log.info("event=streams_state from={} to={}", before, now));
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(meters);
        log.info("event=streams_app_starting application_id={} model={} pinned={} unsigned_accepted={}",
                merged.get("application.id"), config.modelName(), config.pinnedVersion(), config.acceptUnsigned());
        // The API answers before Kafka Streams starts: start() blocks until the global models store is restored
        // (for ever while Kafka is unreachable), and probes must see "live, not ready" meanwhile. The same
        // Recommender class as the topology's (its meters are shared by name), so the API answers alike.
        http.start(new ApiHandler(httpSettings, http.advertised(), streams, models,
                new Recommender(models, config.excludeSeen(), meters), popularity, meters, Clock.systemUTC()));
        StreamsApp app = new StreamsApp(config, onnx, models, rocksDbMemory, meters, streams, streamsMetrics,
                modelDeadLetters, http, new RegistryWarmUp(config, schemaRegistry));
        app.starter.start();
        return app;
    }

    private static ReleaseVerifier verifier(StreamsAppConfig config) {
        List<PublicKey> trusted = new ArrayList<>();
        if (!config.trustedKeysFile().isBlank()) {
            try {
                trusted.addAll(ReleaseKeys.readPublicKeys(Files.readString(Path.of(config.trustedKeysFile()),
                        StandardCharsets.UTF_8)));
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException(StreamsAppConfig.MODEL_TRUSTED_KEYS_FILE_CONFIG, config.trustedKeysFile(),
                        "cannot read trusted keys: " + e.getMessage());
            }
        }
        if (!config.trustedKeysPem().isBlank()) {
            try {
                trusted.addAll(ReleaseKeys.readPublicKeys(config.trustedKeysPem()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(StreamsAppConfig.MODEL_TRUSTED_KEYS_CONFIG, "(hidden)", e.getMessage());
            }
        }
        if (config.acceptUnsigned()) {
            log.warn("event=unsigned_models_accepted note=\"model.accept.unsigned=true: releases without a signature"
                    + " will serve. For local demos only.\"");
            return ReleaseVerifier.acceptingUnsigned(trusted);
        }
        if (trusted.isEmpty()) {
            throw new ConfigException(StreamsAppConfig.MODEL_TRUSTED_KEYS_FILE_CONFIG, "",
                    "no trusted release signing key: set model.trusted.keys.file or model.trusted.keys (or, for a"
                            + " local demo only, model.accept.unsigned=true)");
        }
        return ReleaseVerifier.trusting(trusted);
    }

    public StreamsAppConfig config() {
        return config;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public ModelRegistry models() {
        return models;
    }

    public PrometheusMeterRegistry meters() {
        return meters;
    }

    /** The port the HTTP API listens on (the chosen one when {@code http.port} was 0). */
    public int httpPort() {
        return http.port();
    }

    /**
     * The port of the management listener, where the probes and {@code /metrics} are answered on threads of their
     * own (the chosen one when {@code http.management.port} was 0).
     */
    public int managementPort() {
        return http.managementPort();
    }

    /** How other instances reach this one's HTTP API; also its Kafka Streams {@code application.server}. */
    public HostInfo httpAdvertised() {
        return http.advertised();
    }

    /** Events of the model registry, oldest first. */
    public List<ModelEvent> modelEvents() {
        return models.events();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.info("event=streams_app_stopping");
        http.close();
        synchronized (starter) {
            starter.interrupt(); // a start still waiting for the registry gives up; one under way has finished
        }
        // First: it ends the models processor's wait for an unavailable schema registry, which Kafka Streams' close
        // would otherwise wait for. A record left unread then is read again at the next start.
        modelDeadLetters.close();
        // Leaving the group hands this instance's partitions over at once instead of after the session timeout.
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(60)));
        streamsMetrics.close();
        models.close();
        rocksDbMemory.close();
        meters.close();
        onnx.close();
        log.info("event=streams_app_stopped");
    }
}
