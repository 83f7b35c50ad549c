package io.streamrec.app.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The clicks of one task that are accepted but not yet answered, oldest first: what the next scoring batch
 * takes. Each entry lives in a changelogged store as well as in memory, because Kafka Streams commits the input
 * offset of every record {@code process()} has returned from: a commit that covers a click's offset covers its
 * entry too, so after a crash the restored task still answers it, and the entry's removal commits in the same
 * transaction as the list, so no list is sent twice. An entry holds the user's history as of its click, so a
 * user's second click in a batch is scored with the first one in the history and the first without the second.
 *
 * <p>Store keys are sequence numbers, big-endian, so the store iterates in arrival order. Not thread-safe: one
 * per task, used by its stream thread.
 */
final class ClickQueue {

    /**
     * A click waiting for its list. Immutable.
     *
     * @param historyItems the user's recent items as of this click, oldest first
     * @param timestampMs  the click record's timestamp, which the list record carries
     */
    record QueuedClick(String userId, List<String> historyItems, long eventTimeMs, long timestampMs) {
        QueuedClick {
            Objects.requireNonNull(userId, "userId");
            historyItems = List.copyOf(historyItems);
        }
    }

    private final KeyValueStore<Long, QueuedClick> store;
    private final ArrayDeque<KeyValue<Long, QueuedClick>> queued = new ArrayDeque<>();
    private long nextSequence;

    /** Takes over the store's entries, which are clicks a previous owner of the task accepted and did not answer. */
    ClickQueue(KeyValueStore<Long, QueuedClick> store) {
        this.store = store;
        try (KeyValueIterator<Long, QueuedClick> all = store.all()) {
            while (all.hasNext()) {
                queued.add(all.next());
            }
        }
        this.nextSequence = queued.isEmpty() ? 0 : queued.getLast().key + 1;
    }

    void add(QueuedClick click) {
        long sequence = nextSequence++;
        store.put(sequence, click);
        queued.add(KeyValue.pair(sequence, click));
    }

    int size() {
        return queued.size();
    }

    boolean isEmpty() {
        return queued.isEmpty();
    }

    /** Every queued click, oldest first; they stay queued until {@link #clear()}. */
    List<QueuedClick> all() {
        List<QueuedClick> all = new ArrayList<>(queued.size());
        for (KeyValue<Long, QueuedClick> entry : queued) {
            all.add(entry.value);
        }
        return all;
    }

    /** Removes every queued click, once their lists are sent. */
    void clear() {
        for (KeyValue<Long, QueuedClick> entry : queued) {
            store.delete(entry.key);
        }
        queued.clear();
    }

    /** The store's key serde: non-negative longs, big-endian, so byte order is arrival order. */
    static Serde<Long> keySerde() {
        return Serdes.Long();
    }

    /**
     * The store's value format: a version byte, the user id, the event time and record timestamp, then the
     * history's item ids; strings as a length and UTF-8 bytes.
     */
    static Serde<QueuedClick> valueSerde() {
        return Serdes.serdeFrom(new ClickSerializer(), new ClickDeserializer());
    }

    private static final byte FORMAT_VERSION = 1;

    private static final class ClickSerializer implements Serializer<QueuedClick> {
        @Override
        public byte[] serialize(String topic, QueuedClick click) {
            if (click == null) {
                return null;
            }
            byte[] user = click.userId().getBytes(StandardCharsets.UTF_8);
            List<byte[]> items = new ArrayList<>(click.historyItems().size());
            int size = 1 + StoreStrings.size(user) + 2 * Long.BYTES + Integer.BYTES;
            for (String item : click.historyItems()) {
                byte[] bytes = item.getBytes(StandardCharsets.UTF_8);
                items.add(bytes);
                size += StoreStrings.size(bytes);
            }
            ByteBuffer out = StoreStrings.write(ByteBuffer.allocate(size).put(FORMAT_VERSION), user)
                    .putLong(click.eventTimeMs()).putLong(click.timestampMs()).putInt(items.size());
            items.forEach(bytes -> StoreStrings.write(out, bytes));
            return out.array();
        }
    }

    private static final class ClickDeserializer implements Deserializer<QueuedClick> {
        @Override
        public QueuedClick deserialize(String topic, byte[] data) {
            if (data == null) {
                return null;
            }
            try {
                ByteBuffer in = ByteBuffer.wrap(data);
                byte version = in.get();
                if (version != FORMAT_VERSION) {
                    throw new SerializationException("queued click format " + version + " is not "
                            + FORMAT_VERSION);
                }
                String userId = StoreStrings.read(in);
                long eventTimeMs = in.getLong();
                long timestampMs = in.getLong();
                int count = in.getInt();
                List<String> items = new ArrayList<>(Math.min(count, in.remaining() / Integer.BYTES));
                for (int i = 0; i < count; i++) {
                    items.add(StoreStrings.read(in));
                }
                return new QueuedClick(userId, items, eventTimeMs, timestampMs);
            } catch (RuntimeException e) {
                throw e instanceof SerializationException s ? s
                        : new SerializationException("corrupt queued click of " + data.length + " bytes", e);
            }
        }
    }
}
