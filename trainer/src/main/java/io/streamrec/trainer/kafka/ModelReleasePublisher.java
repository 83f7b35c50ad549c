package io.streamrec.trainer.kafka;

import io.streamrec.avro.ModelRelease;
import io.streamrec.schemas.serde.AvroSerde;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes model releases to the compacted models topic, key = model name (so compaction keeps the latest
 * release of each name), value = Avro {@link ModelRelease} in Confluent's wire format. Sized for large
 * records ({@link LargeMessages#producer()}); {@code acks=all} and idempotence are enforced whatever the
 * client configuration says. The value is serialized before sending, so a release too large for the topic
 * fails here with a clear message instead of deep in the producer.
 *
 * <p>Thread-safe (a {@link KafkaProducer} is); close it to flush and release its resources.
 */
public final class ModelReleasePublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelReleasePublisher.class);

    /** More than a record batch header and one record's framing take (about 100 bytes). */
    private static final int RECORD_OVERHEAD_BYTES = 1024;

    private final String topic;
    private final AvroSerde<ModelRelease> serde;
    private final KafkaProducer<String, byte[]> producer;
    private final int maxRecordBytes;

    /**
     * @param clientConfig {@code bootstrap.servers}, {@code schema.registry.url} and any other client or serde
     *                     settings (security, ...); they override {@link LargeMessages#producer()} except
     *                     {@code acks} and {@code enable.idempotence}
     */
    public ModelReleasePublisher(Map<String, ?> clientConfig, String topic) {
        this.topic = Objects.requireNonNull(topic, "topic");
        Map<String, Object> config = new HashMap<>(LargeMessages.producer());
        config.putAll(clientConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.maxRecordBytes = Integer.parseInt(config.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG).toString());
        this.serde = AvroSerde.specific(ModelRelease.class);
        serde.configure(config, false);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Sends the release and waits until every in-sync replica has it.
     *
     * @throws IllegalArgumentException when the serialized release exceeds {@code max.request.size} (lower
     *     the release builder's inline limit so the graph goes to the artifact store)
     * @throws KafkaException when the broker does not acknowledge it (timeouts included)
     */
    public RecordMetadata publish(ModelRelease release) {
        byte[] value = serde.serializer().serialize(topic, release);
        // The producer limits the whole record: value plus key, record framing and the batch header.
        if (value.length + release.getName().length() * 4L + RECORD_OVERHEAD_BYTES > maxRecordBytes) {
            throw new IllegalArgumentException("release " + release.getName() + " v" + release.getVersion() + " is "
                    + value.length + " bytes serialized, over the " + maxRecordBytes + "-byte request limit; lower"
                    + " the inline limit so its graph goes to the artifact store");
        }
        try {
            RecordMetadata metadata = producer.send(new ProducerRecord<>(topic, release.getName(), value)).get();
            log.info("event=release_published model={} version={} topic={} partition={} offset={} bytes={}",
                    release.getName(), release.getVersion(), metadata.topic(), metadata.partition(), metadata.offset(),
                    value.length);
            return metadata;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException("interrupted while publishing " + release.getName(), e);
        } catch (ExecutionException e) {
            throw new KafkaException("publishing " + release.getName() + " v" + release.getVersion() + " to " + topic
                    + " failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public void close() {
        try {
            producer.close();
        } finally {
            serde.close();
        }
    }
}
