package io.streamrec.app.topology;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The popularity fallback of one task: interaction counts per item in a state store (so they survive restarts
 * and rebalances), and the most popular items kept in memory as the counts grow, so neither a click nor the
 * periodic refresh scans anything that grows with the catalogue: the store is scanned once, when the task
 * starts (its counts may have been restored; a task whose transaction aborted is started again). Counts only
 * grow, so an item enters the list exactly when its new count beats the list's last, and the list stays the
 * one a full scan would give. Each task counts the clicks of its own partition; as users hash uniformly to
 * partitions, that is a sample of global popularity. The list is handed to a publisher ({@link PopularityLists})
 * when it has changed, at each refresh, and the HTTP API answers the partition's fallback from there.
 *
 * <p>Not thread-safe: owned by one processor (one task, one stream thread).
 */
final class PopularityTracker implements PopularItems {

    private static final Comparator<RankedItem> WORST_FIRST = Comparator.comparingLong(RankedItem::count)
            .thenComparing(RankedItem::itemId, Comparator.reverseOrder());

    private final KeyValueStore<String, Long> counts;
    private final int listLength;
    private final Consumer<List<RankedItem>> publisher;
    /** The {@code listLength} best items, worst first, and the same by id. */
    private final TreeSet<RankedItem> best = new TreeSet<>(WORST_FIRST);
    private final Map<String, RankedItem> bestById = new HashMap<>();
    /** The last published list, best first. */
    private List<RankedItem> ranked = List.of();
    private boolean changed;

    /** @param publisher receives every rebuilt list (immutable), on the stream thread */
    PopularityTracker(KeyValueStore<String, Long> counts, int listLength, Consumer<List<RankedItem>> publisher) {
        this.counts = counts;
        this.listLength = listLength;
        this.publisher = publisher;
    }

    void count(String itemId) {
        Long current = counts.get(itemId);
        long next = current == null ? 1L : current + 1;
        counts.put(itemId, next);
        offer(new RankedItem(itemId, next));
        // While the list is not full (a cold start), a new item belongs in it at once, not at the next refresh:
        // the HTTP API's fallback reads the published list, and a click's own list may be scored later.
        if (current == null && ranked.size() < listLength) {
            publish();
        }
    }

    /** An item's new count: it moves within the list, enters it (the last one leaving), or stays out. */
    private void offer(RankedItem item) {
        RankedItem held = bestById.remove(item.itemId());
        if (held != null) {
            best.remove(held);
        } else if (best.size() == listLength && WORST_FIRST.compare(item, best.first()) <= 0) {
            return;
        }
        best.add(item);
        bestById.put(item.itemId(), item);
        if (best.size() > listLength) {
            bestById.remove(best.pollFirst().itemId());
        }
        changed = true;
    }

    /** Rebuilds the list from the counts store, the task's one scan of it, and publishes it. */
    void rebuild() {
        best.clear();
        bestById.clear();
        for (RankedItem item : rank(counts, listLength)) {
            best.add(item);
            bestById.put(item.itemId(), item);
        }
        publish();
    }

    /** Publishes the list if it changed since it was last published. */
    void refresh() {
        if (changed) {
            publish();
        }
    }

    private void publish() {
        List<RankedItem> list = new ArrayList<>(best.descendingSet());
        ranked = List.copyOf(list);
        changed = false;
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
