package io.streamrec.trainer.snapshot;

import io.streamrec.avro.Interaction;
import io.streamrec.avro.InteractionKey;
import io.streamrec.schemas.serde.AvroDeserializer;
import io.streamrec.schemas.serde.SchemaRegistryClient;
import io.streamrec.trainer.data.Corpus;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.data.Vocabulary;
import io.streamrec.trainer.kafka.TopicReads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the compacted interactions topic from the beginning up to the end offsets taken when the read starts,
 * keeping the latest state of every (user, item) pair; a tombstone forgets the pair, so a forgotten user
 * vanishes from training. Transactionally written data is read committed. Records that cannot be decoded are
 * skipped and counted, never fatal. Memory stays compact: ids are interned once and pairs live in primitive
 * arrays ({@link PairTable}).
 *
 * <p>One read per call; not thread-safe. The consumer is created and closed inside {@link #read}.
 */
public final class InteractionSnapshotReader {

    private static final Logger log = LoggerFactory.getLogger(InteractionSnapshotReader.class);

    private final Map<String, Object> consumerConfig;
    private final SchemaRegistryClient schemaRegistry;
    private final String topic;
    private final Duration timeout;

    /**
     * @param consumerConfig Kafka consumer settings (at least {@code bootstrap.servers}) plus the serde keys
     * @param timeout        how long the whole read may take before it fails
     */
    public InteractionSnapshotReader(Map<String, ?> consumerConfig, SchemaRegistryClient schemaRegistry, String topic,
                                     Duration timeout) {
        this.consumerConfig = new HashMap<>(consumerConfig);
        this.schemaRegistry = Objects.requireNonNull(schemaRegistry, "schemaRegistry");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.timeout = timeout;
    }

    /**
     * Reads the snapshot.
     *
     * @param cancelled polled between batches; when it turns true the read stops with a
     *                  {@link CancellationException} (graceful shutdown)
     */
    public InteractionSnapshot read(BooleanSupplier cancelled) {
        long start = System.nanoTime();
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        Accumulator state = new Accumulator(
                new AvroDeserializer<>(InteractionKey.class, schemaRegistry, config, true),
                new AvroDeserializer<>(Interaction.class, schemaRegistry, config, false));
        Map<TopicPartition, Long> endOffsets = TopicReads.readToEnd(config, topic, timeout, cancelled, state::add);
        Corpus corpus = compact(state.users, state.items, state.pairs);
        Duration readTime = Duration.ofNanos(System.nanoTime() - start);
        log.info("event=snapshot_read topic={} records={} tombstones={} unreadable={} pairs={} users={} items={}"
                        + " read_ms={}", topic, state.records, state.tombstones, state.unreadable,
                corpus.interactions().size(), corpus.users().size(), corpus.items().size(), readTime.toMillis());
        return new InteractionSnapshot(corpus, topic, endOffsets, state.records, state.tombstones, state.unreadable,
                readTime);
    }

    /** The pairs read so far, with ids interned once; one per read, on the reading thread. */
    private static final class Accumulator {
        private final AvroDeserializer<InteractionKey> keys;
        private final AvroDeserializer<Interaction> values;
        private final Map<String, Integer> userIndex = new HashMap<>();
        private final Map<String, Integer> itemIndex = new HashMap<>();
        private final List<String> users = new ArrayList<>();
        private final List<String> items = new ArrayList<>();
        private final PairTable pairs = new PairTable(1 << 16);
        private long records;
        private long tombstones;
        private long unreadable;

        Accumulator(AvroDeserializer<InteractionKey> keys, AvroDeserializer<Interaction> values) {
            this.keys = keys;
            this.values = values;
        }

        void add(ConsumerRecord<byte[], byte[]> record) {
            records++;
            InteractionKey key;
            Interaction value;
            try {
                key = keys.deserialize(record.topic(), record.headers(), record.key());
                value = values.deserialize(record.topic(), record.headers(), record.value());
            } catch (SerializationException e) {
                unreadable++;
                log.warn("event=snapshot_record_skipped topic={} partition={} offset={} error=\"{}\"",
                        record.topic(), record.partition(), record.offset(), e.getMessage());
                return;
            }
            if (key == null) {
                unreadable++;
                return;
            }
            if (value == null) {
                tombstones++;
                Integer user = userIndex.get(key.getUserId());
                Integer item = itemIndex.get(key.getItemId());
                if (user != null && item != null) {
                    pairs.remove(user, item);
                }
                return;
            }
            int user = userIndex.computeIfAbsent(key.getUserId(), id -> {
                users.add(id);
                return users.size();
            });
            int item = itemIndex.computeIfAbsent(key.getItemId(), id -> {
                items.add(id);
                return items.size();
            });
            pairs.put(user, item, value.getLastSeen().toEpochMilli());
        }
    }

    /** The live pairs with vocabularies of only the users and items that still have one. */
    private static Corpus compact(List<String> users, List<String> items, PairTable pairs) {
        int[] newUser = new int[users.size() + 1];
        int[] newItem = new int[items.size() + 1];
        pairs.forEachLive((user, item, time) -> {
            newUser[user] = 1;
            newItem[item] = 1;
        });
        List<String> liveUsers = renumber(users, newUser);
        List<String> liveItems = renumber(items, newItem);
        Interactions.Builder builder = new Interactions.Builder(liveUsers.size(), liveItems.size(), pairs.livePairs());
        pairs.forEachLive((user, item, time) -> builder.add(newUser[user], newItem[item], time));
        return new Corpus("interactions", Vocabulary.of(liveUsers), Vocabulary.of(liveItems), builder.build());
    }

    /** Keeps the marked ids in their first-seen order; rewrites the marks into new 1-based indices. */
    private static List<String> renumber(List<String> ids, int[] marks) {
        List<String> kept = new ArrayList<>();
        for (int old = 1; old < marks.length; old++) {
            if (marks[old] != 0) {
                kept.add(ids.get(old - 1));
                marks[old] = kept.size();
            }
        }
        return kept;
    }
}
