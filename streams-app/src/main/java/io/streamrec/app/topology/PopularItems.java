package io.streamrec.app.topology;

import java.util.List;
import java.util.Set;

/** A source of the most popular items, for the fallback. */
@FunctionalInterface
public interface PopularItems {

    /** An item and its interaction count. */
    record RankedItem(String itemId, long count) { }

    /** The top {@code k} items not in {@code excluded}, most popular first. */
    List<RankedItem> top(int k, Set<String> excluded);
}
