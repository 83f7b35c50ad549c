package io.streamrec.trainer.kafka;

import io.streamrec.avro.ModelRelease;
import io.streamrec.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the models topic from the beginning up to the end offsets taken when the read starts. {@link #read}
 * keeps the latest release per model name (the record key), as compaction eventually would: later offsets win,
 * a tombstone removes the name; the trainer derives the next version and its gate's baseline from it.
 * {@link #find} looks for one older version (for a rollback). Records that cannot be decoded are skipped and
 * counted, never fatal. No consumer group: partitions are assigned, nothing is committed.
 *
 * <p>Each call creates and closes its own consumer; safe to call from several threads.
 */
public final class ModelReleaseReader {

    private static final Logger log = LoggerFactory.getLogger(ModelReleaseReader.class);

    private final Map<String, Object> clientConfig;
    private final String topic;
    private final Duration timeout;

    /**
     * @param clientConfig {@code bootstrap.servers}, {@code schema.registry.url} and any other client or serde
     *                     settings; they override {@link LargeMessages#consumer()}
     * @param timeout      how long a whole read may take
     */
    public ModelReleaseReader(Map<String, ?> clientConfig, String topic, Duration timeout) {
        this.clientConfig = Map.copyOf(clientConfig);
        this.topic = Objects.requireNonNull(topic, "topic");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Reads the topic to its current end. */
    public ModelsSnapshot read() {
        Map<String, ModelRelease> latest = new HashMap<>();
        Map<String, Long> highest = new HashMap<>();
        Scan scan = scan(new Visitor() {
            @Override
            public void release(String name, ModelRelease release) {
                latest.put(name, release);
                highest.merge(name, release.getVersion(), Math::max);
            }

            @Override
            public void tombstone(String name) {
                latest.remove(name);
            }
        });
        log.info("event=models_read topic={} records={} unreadable={} names={}", topic, scan.records(),
                scan.unreadable(), latest.keySet());
        return new ModelsSnapshot(topic, latest, highest, scan.endOffsets(), scan.records(), scan.unreadable());
    }

    /**
     * The release of {@code name} with {@code version}, if the topic still holds it: compaction keeps only the
     * latest record per name once the log cleaner has passed, so an older version may be gone. When a version
     * was published twice, the later record wins, as it would for a reader of the whole log.
     */
    public Optional<ModelRelease> find(String name, long version) {
        ModelRelease[] found = new ModelRelease[1];
        scan((releaseName, release) -> {
            if (releaseName.equals(name) && release.getVersion() == version) {
                found[0] = release;
            }
        });
        return Optional.ofNullable(found[0]);
    }

    /** What a scan of the topic meets, in offset order. */
    private interface Visitor {
        void release(String name, ModelRelease release);

        default void tombstone(String name) {
        }
    }

    private record Scan(Map<TopicPartition, Long> endOffsets, long records, long unreadable) { }

    private Scan scan(Visitor visitor) {
        Map<String, Object> config = new HashMap<>(LargeMessages.consumer());
        config.putAll(clientConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG); // a read, not a subscription
        long records = 0;
        long unreadable = 0;
        Map<TopicPartition, Long> endOffsets;
        try (AvroSerde<ModelRelease> serde = AvroSerde.specific(ModelRelease.class);
             KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            serde.configure(config, false);
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            if (partitions.isEmpty()) {
                throw new KafkaException("topic " + topic + " does not exist or has no partitions");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            endOffsets = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!caughtUp(consumer, endOffsets)) {
                if (System.nanoTime() > deadline) {
                    throw new KafkaException("reading " + topic + " up to " + endOffsets + " took longer than "
                            + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() >= endOffsets.getOrDefault(
                            new TopicPartition(record.topic(), record.partition()), Long.MAX_VALUE)) {
                        continue; // after the read's end point: the next read takes it
                    }
                    records++;
                    if (record.key() == null) {
                        unreadable++;
                        log.warn("event=release_record_skipped topic={} partition={} offset={} error=\"no key\"",
                                record.topic(), record.partition(), record.offset());
                        continue;
                    }
                    String name = new String(record.key(), StandardCharsets.UTF_8);
                    if (record.value() == null) {
                        visitor.tombstone(name);
                        continue;
                    }
                    ModelRelease release;
                    try {
                        release = serde.deserializer().deserialize(record.topic(), record.headers(), record.value());
                    } catch (SerializationException e) {
                        unreadable++;
                        log.warn("event=release_record_skipped topic={} partition={} offset={} error=\"{}\"",
                                record.topic(), record.partition(), record.offset(), e.getMessage());
                        continue;
                    }
                    if (!name.equals(release.getName())) {
                        unreadable++;
                        log.warn("event=release_record_skipped topic={} partition={} offset={} error=\"key '{}'"
                                + " but release name '{}'\"", record.topic(), record.partition(), record.offset(), name,
                                release.getName());
                        continue;
                    }
                    visitor.release(name, release);
                }
            }
        }
        return new Scan(endOffsets, records, unreadable);
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> endOffsets) {
        for (Map.Entry<TopicPartition, Long> end : endOffsets.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }
}
