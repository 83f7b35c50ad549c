package io.streamrec.trainer.kafka;

import io.streamrec.avro.ModelRelease;
import io.streamrec.schemas.model.ReleaseVerifier;
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
 * keeps, per model name (the record key), the latest release and the highest version the verifier vouches for
 * (this trainer's signature): later offsets win, and a tombstone clears the name, restarting its numbering
 * ({@link VerifiedReleases}); the trainer derives the next version and its gate's baseline from it. Releases
 * the verifier refuses (forged, unsigned, another key) never count: one record with a huge version must not
 * decide the numbering. {@link #find} looks for one older version (for a rollback). Records that cannot be
 * decoded are skipped and counted, never fatal; a schema registry that cannot be reached fails the read
 * instead ({@code RegistryUnavailableException}), since skipping good releases could take the numbering
 * backwards. No consumer group: partitions are assigned, nothing is committed.
 *
 * <p>Each call creates and closes its own consumer; safe to call from several threads.
 */
public final class ModelReleaseReader {

    private static final Logger log = LoggerFactory.getLogger(ModelReleaseReader.class);

    private final Map<String, Object> clientConfig;
    private final String topic;
    private final Duration timeout;
    private final ReleaseVerifier verifier;

    /**
     * @param clientConfig {@code bootstrap.servers}, {@code schema.registry.url} and any other client or serde
     *                     settings; they override {@link LargeMessages#consumer()}
     * @param timeout      how long a whole read may take
     * @param verifier     whose releases count: this trainer's keys ({@code OwnReleases})
     */
    public ModelReleaseReader(Map<String, ?> clientConfig, String topic, Duration timeout, ReleaseVerifier verifier) {
        this.clientConfig = Map.copyOf(clientConfig);
        this.topic = Objects.requireNonNull(topic, "topic");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    /** Reads the topic to its current end. */
    public ModelsSnapshot read() {
        VerifiedReleases releases = new VerifiedReleases(verifier);
        Scan scan = scan(new Visitor() {
            @Override
            public void release(String name, ModelRelease release) {
                releases.add(name, release);
            }

            @Override
            public void tombstone(String name) {
                releases.tombstone(name);
            }
        });
        warnAboutUnverified(releases);
        ModelsSnapshot snapshot = releases.snapshot(topic, scan.endOffsets(), scan.records(), scan.unreadable());
        log.info("event=models_read topic={} records={} unreadable={} unverified={} names={}", topic, scan.records(),
                scan.unreadable(), snapshot.unverified(), snapshot.latest().keySet());
        return snapshot;
    }

    private void warnAboutUnverified(VerifiedReleases releases) {
        if (releases.unverified() > 0) {
            log.warn("event=models_unverified_ignored topic={} releases={} key_ids={} note=\"releases not signed by"
                    + " this trainer's keys do not count for version numbers, baselines or republish; after a key"
                    + " rotation list the earlier public keys in release.trusted.keys.file\"", topic,
                    releases.unverified(), releases.untrustedKeyIds());
        }
    }

    /** A release looked up by version, and the version the next release of its name gets. */
    public record Lookup(Optional<ModelRelease> release, long nextVersion) { }

    /**
     * The verified release of {@code name} with {@code version} in the name's current numbering (after its last
     * tombstone), if the topic still holds it (compaction keeps only the latest record per name once the log
     * cleaner has passed, so an older version may be gone), found in the same read as the next version number.
     * When a version was published twice, the later record wins, as it would for a reader of the whole log.
     */
    public Lookup find(String name, long version) {
        VerifiedReleases releases = new VerifiedReleases(verifier);
        ModelRelease[] found = new ModelRelease[1];
        scan(new Visitor() {
            @Override
            public void release(String releaseName, ModelRelease release) {
                if (releases.add(releaseName, release) && releaseName.equals(name) && release.getVersion() == version) {
                    found[0] = release;
                }
            }

            @Override
            public void tombstone(String releaseName) {
                releases.tombstone(releaseName);
                if (releaseName.equals(name)) {
                    found[0] = null;
                }
            }
        });
        warnAboutUnverified(releases);
        return new Lookup(Optional.ofNullable(found[0]), releases.nextVersion(name));
    }

    /** What a scan of the topic meets, in offset order. */
    private interface Visitor {
        void release(String name, ModelRelease release);

        void tombstone(String name);
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
