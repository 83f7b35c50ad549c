package io.streamrec.app.topology;

import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** A source of the most popular items, for the fallback. */
@FunctionalInterface
public interface PopularItems {

    /** An item and its interaction count. */
    record RankedItem(String itemId, long count) { }

    /** The top {@code k} items not in {@code excluded}, most popular first. */
    List<RankedItem> top(int k, Set<String> excluded);

    /**
     * Popularity read straight from an {@code item-counts} store (e.g. one partition's, through an interactive
     * query), ranked on every call: a scan of the store, so meant for on-demand requests, not for every click
     * (the stream processor keeps a periodically refreshed list instead). Ranks and ties exactly as the
     * processor does. Thread-safe as far as the store is.
     */
    static PopularItems fromCounts(ReadOnlyKeyValueStore<String, Long> counts) {
        return (k, excluded) -> PopularityTracker.top(PopularityTracker.rank(counts, k + excluded.size()), k,
                excluded);
    }
}
