package io.streamrec.app;

import io.streamrec.app.rocksdb.BoundedMemoryRocksDbConfig;
import io.streamrec.schemas.topics.TopicCatalog;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import io.streamrec.app.errors.DeserializationFailureHandler;
import io.streamrec.app.errors.ProductionFailureHandler;
import io.streamrec.app.errors.RecordFailureHandler;

/**
 * streamrec's defaults for Kafka Streams keys, and the translation of the app's configuration map into the
 * properties Kafka Streams takes.
 */
public final class StreamsAppSettings {

    private StreamsAppSettings() {
    }

    /**
     * Defaults that differ from Kafka Streams' own: exactly-once with transactional state stores (a crash or a
     * failed thread rolls the local stores back instead of wiping and restoring them), a processing failure
     * handled by {@link RecordFailureHandler} (the click is retried, or dead-lettered before it changes anything),
     * Kafka Streams' deserialization and production handlers with streamrec's reason on their dead letters
     * ({@link DeserializationFailureHandler}, {@link ProductionFailureHandler}),
     * a consumer session timeout that hands a dead instance's partitions over in seconds rather than most of a
     * minute, compressed output, bounded RocksDB memory, and fetch and request sizes that fit model releases.
     */
    public static Map<String, Object> defaults() {
        Map<String, Object> defaults = new HashMap<>();
        defaults.put(StreamsConfig.APPLICATION_ID_CONFIG, "streamrec");
        defaults.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        defaults.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeserializationFailureHandler.class.getName());
        defaults.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, ProductionFailureHandler.class.getName());
        defaults.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, RecordFailureHandler.class.getName());
        defaults.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
        // The broker's group.min.session.timeout.ms is 6 s; 10 s leaves room for a GC pause on a busy node.
        defaults.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        defaults.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
        // A dead letter carries whatever came in, and a record may have passed the broker only compressed.
        defaults.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        enableProcessingExceptionHandlerOnGlobalThread(defaults);
        defaults.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDbConfig.class.getName());
        // Model releases are large records on the global models topic.
        defaults.put(StreamsConfig.globalConsumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
                TopicCatalog.MODELS_MAX_MESSAGE_BYTES);
        defaults.put(StreamsConfig.globalConsumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG),
                TopicCatalog.MODELS_MAX_MESSAGE_BYTES);
        defaults.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), 8 * 1024 * 1024);
        return defaults;
    }

    // Deprecated because it will become the default; Kafka 4.4 warns at start-up until it is set explicitly.
    @SuppressWarnings("deprecation")
    private static void enableProcessingExceptionHandlerOnGlobalThread(Map<String, Object> defaults) {
        defaults.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    }

    /** The properties to start Kafka Streams with: the whole map plus objects the app shares with Streams. */
    public static Properties streamsProperties(StreamsAppConfig config, Map<String, Object> sharedObjects) {
        Properties properties = new Properties();
        properties.putAll(config.allOriginals());
        properties.putAll(sharedObjects);
        // Kafka's own dead letters (records that fail in a way the topology does not catch) go where ours go, in
        // the same convention (errors.DeadLetterHeaders).
        properties.putIfAbsent(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, config.deadLettersTopic());
        return properties;
    }
}
