package io.streamrec.app.topology;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The popularity fallback of one task: interaction counts per item in a state store (so they survive restarts
 * and rebalances), and a ranked list of the most popular items rebuilt from them periodically, so answering
 * a click costs a walk down a short list rather than a store scan. Each task counts the clicks of its own
 * partition; as users hash uniformly to partitions, that is a sample of global popularity. Each rebuilt list is
 * handed to a publisher ({@link PopularityLists}), from which the HTTP API answers the partition's fallback.
 *
 * <p>Not thread-safe: owned by one processor (one task, one stream thread).
 */
final class PopularityTracker implements PopularItems {

    private static final Comparator<RankedItem> WORST_FIRST = Comparator.comparingLong(RankedItem::count)
            .thenComparing(RankedItem::itemId, Comparator.reverseOrder());

    private final KeyValueStore<String, Long> counts;
    private final int listLength;
    private final Consumer<List<RankedItem>> publisher;
    private List<RankedItem> ranked = List.of();

    /** @param publisher receives every rebuilt list (immutable), on the stream thread */
    PopularityTracker(KeyValueStore<String, Long> counts, int listLength, Consumer<List<RankedItem>> publisher) {
        this.counts = counts;
        this.listLength = listLength;
        this.publisher = publisher;
    }

    void count(String itemId) {
        Long current = counts.get(itemId);
        counts.put(itemId, current == null ? 1L : current + 1);
        // While the list is not full (a cold start), a new item belongs in it at once, not at the next refresh:
        // the HTTP API's fallback reads the published list, and a click's own list may be scored later.
        if (current == null && ranked.size() < listLength) {
            refresh();
        }
    }

    /** Rebuilds the ranked list from the counts and publishes it. */
    void refresh() {
        ranked = rank(counts, listLength);
        publisher.accept(ranked);
    }

    /** The {@code length} most counted items of a counts store, most popular first, ties by item id. */
    static List<RankedItem> rank(ReadOnlyKeyValueStore<String, Long> counts, int length) {
        PriorityQueue<RankedItem> best = new PriorityQueue<>(length + 1, WORST_FIRST);
        try (KeyValueIterator<String, Long> all = counts.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> entry = all.next();
                best.add(new RankedItem(entry.key, entry.value));
                if (best.size() > length) {
                    best.poll();
                }
            }
        }
        List<RankedItem> list = new ArrayList<>(best);
        list.sort(WORST_FIRST.reversed());
        return List.copyOf(list);
    }

    /** The top {@code k} of a ranked list, skipping excluded items. */
    static List<RankedItem> top(List<RankedItem> ranked, int k, Set<String> excluded) {
        List<RankedItem> top = new ArrayList<>(k);
        for (RankedItem item : ranked) {
            if (!excluded.contains(item.itemId())) {
                top.add(item);
                if (top.size() == k) {
                    break;
                }
            }
        }
        return top;
    }

    @Override
    public List<RankedItem> top(int k, Set<String> excluded) {
        return top(ranked, k, excluded);
    }
}
