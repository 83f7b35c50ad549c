package io.streamrec.app.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One user's recent distinct items with the event time each was last seen, oldest first, bounded in size;
 * plus when the user was last sent a list (for coalescing). The value of the history store. Immutable.
 *
 * @param items               distinct items, ordered by last-seen time, oldest first
 * @param lastRecommendedAtMs wall-clock time of the last list sent to the user, or 0
 */
public record UserHistory(List<Entry> items, long lastRecommendedAtMs) {

    /** One item and when the user last interacted with it (event time). */
    public record Entry(String itemId, long seenAtMs) {
        public Entry {
            Objects.requireNonNull(itemId, "itemId");
        }
    }

    public static final UserHistory EMPTY = new UserHistory(List.of(), 0L);

    public UserHistory {
        items = List.copyOf(items);
    }

    /**
     * This history after an interaction: the item moves to (or joins at) its place by time, keeping the later
     * of its two times; the oldest items drop out beyond {@code maxItems}. A late event for an item that is
     * already newer in the history changes nothing.
     */
    public UserHistory with(String itemId, long seenAtMs, int maxItems) {
        List<Entry> next = new ArrayList<>(items.size() + 1);
        long time = seenAtMs;
        for (Entry entry : items) {
            if (entry.itemId().equals(itemId)) {
                time = Math.max(time, entry.seenAtMs());
            } else {
                next.add(entry);
            }
        }
        int position = next.size();
        while (position > 0 && next.get(position - 1).seenAtMs() > time) {
            position--;
        }
        next.add(position, new Entry(itemId, time));
        while (next.size() > maxItems) {
            next.remove(0);
        }
        return new UserHistory(next, lastRecommendedAtMs);
    }

    /** This history without items last seen before {@code cutoffMs}. */
    public UserHistory withoutItemsBefore(long cutoffMs) {
        List<Entry> kept = items.stream().filter(entry -> entry.seenAtMs() >= cutoffMs).toList();
        return kept.size() == items.size() ? this : new UserHistory(kept, lastRecommendedAtMs);
    }

    public UserHistory recommendedAt(long wallClockMs) {
        return new UserHistory(items, wallClockMs);
    }

    /** The item ids, oldest first. */
    public List<String> itemIds() {
        return items.stream().map(Entry::itemId).toList();
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** A compact binary serde for the state store and its changelog (format version 1). */
    public static Serde<UserHistory> serde() {
        return Serdes.serdeFrom(new HistorySerializer(), new HistoryDeserializer());
    }

    private static final byte FORMAT_VERSION = 1;

    private static final class HistorySerializer implements Serializer<UserHistory> {
        @Override
        public byte[] serialize(String topic, UserHistory history) {
            if (history == null) {
                return null;
            }
            List<byte[]> ids = history.items().stream()
                    .map(entry -> entry.itemId().getBytes(StandardCharsets.UTF_8)).toList();
            int size = 1 + Long.BYTES + Integer.BYTES;
            for (byte[] id : ids) {
                size += StoreStrings.size(id) + Long.BYTES;
            }
            ByteBuffer buffer = ByteBuffer.allocate(size);
            buffer.put(FORMAT_VERSION).putLong(history.lastRecommendedAtMs()).putInt(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                StoreStrings.write(buffer, ids.get(i)).putLong(history.items().get(i).seenAtMs());
            }
            return buffer.array();
        }
    }

    private static final class HistoryDeserializer implements Deserializer<UserHistory> {
        @Override
        public UserHistory deserialize(String topic, byte[] data) {
            if (data == null) {
                return null;
            }
            try {
                ByteBuffer buffer = ByteBuffer.wrap(data);
                byte version = buffer.get();
                if (version != FORMAT_VERSION) {
                    throw new SerializationException("unknown user-history format version " + version);
                }
                long lastRecommendedAt = buffer.getLong();
                int count = buffer.getInt();
                List<Entry> entries = new ArrayList<>(Math.min(count, buffer.remaining() / Integer.BYTES));
                for (int i = 0; i < count; i++) {
                    entries.add(new Entry(StoreStrings.read(buffer), buffer.getLong()));
                }
                return new UserHistory(entries, lastRecommendedAt);
            } catch (RuntimeException e) {
                throw new SerializationException("corrupt user-history record in " + topic, e);
            }
        }
    }
}
