package io.streamrec.trainer.kafka;

import io.streamrec.avro.ModelRelease;
import io.streamrec.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
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

    /** A release looked up by version, and the version the next release of its name gets. */
    public record Lookup(Optional<ModelRelease> release, long nextVersion) { }

    /**
     * The release of {@code name} with {@code version}, if the topic still holds it (compaction keeps only the
     * latest record per name once the log cleaner has passed, so an older version may be gone), found in the
     * same read as the next version number. When a version was published twice, the later record wins, as it
     * would for a reader of the whole log.
     */
    public Lookup find(String name, long version) {
        ModelRelease[] found = new ModelRelease[1];
        long[] highest = {0};
        scan((releaseName, release) -> {
            if (releaseName.equals(name)) {
                highest[0] = Math.max(highest[0], release.getVersion());
                if (release.getVersion() == version) {
                    found[0] = release;
                }
            }
        });
        return new Lookup(Optional.ofNullable(found[0]), highest[0] + 1);
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
        long[] records = {0};
        long[] unreadable = {0};
        Map<TopicPartition, Long> endOffsets;
        try (AvroSerde<ModelRelease> serde = AvroSerde.specific(ModelRelease.class)) {
            serde.configure(config, false);
            endOffsets = TopicReads.readToEnd(config, topic, timeout, () -> false, record -> {
                records[0]++;
                if (!visit(record, serde, visitor)) {
                    unreadable[0]++;
                }
            });
        }
        return new Scan(endOffsets, records[0], unreadable[0]);
    }

    /** Hands one record to the visitor; false when it is unreadable (logged and skipped). */
    private static boolean visit(ConsumerRecord<byte[], byte[]> record, AvroSerde<ModelRelease> serde,
                                 Visitor visitor) {
        if (record.key() == null) {
            log.warn("event=release_record_skipped topic={} partition={} offset={} error=\"no key\"",
                    record.topic(), record.partition(), record.offset());
            return false;
        }
        String name = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            visitor.tombstone(name);
            return true;
        }
        ModelRelease release;
        try {
            release = serde.deserializer().deserialize(record.topic(), record.headers(), record.value());
        } catch (SerializationException e) {
            log.warn("event=release_record_skipped topic={} partition={} offset={} error=\"{}\"",
                    record.topic(), record.partition(), record.offset(), e.getMessage());
            return false;
        }
        if (!name.equals(release.getName())) {
            log.warn("event=release_record_skipped topic={} partition={} offset={} error=\"key '{}'"
                    + " but release name '{}'\"", record.topic(), record.partition(), record.offset(), name,
                    release.getName());
            return false;
        }
        visitor.release(name, release);
        return true;
    }
}
