package io.streamrec.app.topology;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The popularity fallback lists of this instance's active tasks, by partition. Each task's
 * {@link PopularityTracker} publishes its ranked list here whenever it rebuilds it (every
 * {@code popularity.refresh.ms}, and at once while a cold list misses items), so the HTTP API answers a
 * partition's fallback from the list the stream uses instead of scanning the partition's {@code item-counts}
 * store per request.
 *
 * <p>One per app instance, handed to the topology and to the HTTP API, as the model registry is. Thread-safe:
 * stream threads publish, request threads read, and the lists are immutable.
 */
public final class PopularityLists {

    /** A partition's list and who published it, so that a closing task withdraws its own list only. */
    private record Published(Object publisher, List<PopularItems.RankedItem> ranked) { }

    private final ConcurrentMap<Integer, Published> byPartition = new ConcurrentHashMap<>();

    /**
     * The ranked list of a partition, most popular first, as its task last built it; empty while no active task
     * of this instance has published one (the partition is hosted elsewhere, or its task is initializing).
     */
    public Optional<List<PopularItems.RankedItem>> ranked(int partition) {
        return Optional.ofNullable(byPartition.get(partition)).map(Published::ranked);
    }

    /** The fallback of a partition: {@link #ranked(int)} as {@link PopularItems}. */
    public Optional<PopularItems> of(int partition) {
        return ranked(partition).map(ranked -> (k, excluded) -> PopularityTracker.top(ranked, k, excluded));
    }

    /**
     * The fallback of the lowest-numbered partition that has one here, for an answer from a copy whose own
     * task publishes none here (a standby, or a task still restoring): users hash uniformly over partitions,
     * so each partition's list is a sample of the same overall popularity.
     */
    public Optional<PopularItems> anyPartition() {
        return byPartition.keySet().stream().min(Integer::compare).flatMap(this::of);
    }

    void publish(int partition, Object publisher, List<PopularItems.RankedItem> ranked) {
        byPartition.put(partition, new Published(publisher, List.copyOf(ranked)));
    }

    /** Removes the partition's list if {@code publisher} published it (a newer task's list stays). */
    void withdraw(int partition, Object publisher) {
        byPartition.computeIfPresent(partition, (key, current) -> current.publisher() == publisher ? null : current);
    }
}
