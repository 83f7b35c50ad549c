package io.streamrec.app.http;

import io.streamrec.app.topology.PopularItems;
import io.streamrec.app.topology.PopularityLists;
import io.streamrec.app.topology.Recommender;
import io.streamrec.app.topology.RecommenderTopology;
import io.streamrec.app.topology.UserHistory;
import io.streamrec.avro.Recommendations;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The per-user answers of the partitions this instance owns: a user's history, read from the partition's
 * {@code user-history} store by key, and an on-demand list from the same {@link Recommender} the stream uses,
 * whose popularity fallback is the list the partition's task last published ({@link PopularityLists}). Neither
 * scans a store: each request costs one key lookup plus the scoring.
 *
 * <p>The published list holds {@code recommendations.count + history.max.items} items, as the stream's does, so
 * a fallback list asked for a larger {@code k} is at most that long, minus the user's seen items.
 *
 * <p>An answer from a stale copy ({@link Freshness#stale()}: a standby, or the active task still restoring)
 * reads the store with stale stores enabled. Its partition's task publishes no popularity list here, so its
 * fallback is another partition's ({@link PopularityLists#anyPartition()}).
 *
 * <p>Thread-safe as far as its collaborators are (they are).
 */
final class LocalAnswers {

    /** This instance's store partitions, through interactive queries. */
    interface PartitionStores {
        /**
         * @param stale whether a standby or restoring copy will do (else only the active task's, in RUNNING)
         * @throws InvalidStateStoreException when no such copy of the partition's store is queryable here now
         */
        <V> ReadOnlyKeyValueStore<String, V> store(String name, int partition, boolean stale);
    }

    private final PartitionStores stores;
    private final PopularityLists popularity;
    private final Recommender recommender;
    private final ApiJson json;
    private final Clock clock;

    LocalAnswers(PartitionStores stores, PopularityLists popularity, Recommender recommender, ApiJson json,
                 Clock clock) {
        this.stores = stores;
        this.popularity = popularity;
        this.recommender = recommender;
        this.json = json;
        this.clock = clock;
    }

    /**
     * The user's list now, from the given copy of the partition.
     *
     * @throws InvalidStateStoreException when that copy or a popularity list is not available here
     */
    ApiResponse recommendations(ApiRequest request, int partition, Freshness copy) {
        UserHistory history = Optional.ofNullable(histories(partition, copy).get(request.userId()))
                .orElse(UserHistory.EMPTY);
        Optional<PopularItems> published = popularity.of(partition);
        if (published.isEmpty() && copy.stale()) {
            published = popularity.anyPartition();
        }
        PopularItems popular = published.orElseThrow(() -> new InvalidStateStoreException(
                "the popularity list of partition " + partition + " is not published here (yet)"));
        Instant now = clock.instant();
        Recommendations list = recommender.recommend(request.userId(), history, request.k(), now, now.toEpochMilli(),
                popular);
        return json.response(200, ApiJson.RecommendationsView.of(list, history.items().size(), copy));
    }

    /**
     * The user's history, from the given copy of the partition.
     *
     * @throws ApiException               404 when the user has none (in that copy)
     * @throws InvalidStateStoreException when that copy is not queryable here
     */
    ApiResponse history(String userId, int partition, Freshness copy) throws ApiException {
        UserHistory history = histories(partition, copy).get(userId);
        if (history == null || history.isEmpty()) {
            throw new ApiException(404, "no history for this user (never seen, or every item expired)");
        }
        return json.response(200, ApiJson.HistoryView.of(userId, history, copy));
    }

    private ReadOnlyKeyValueStore<String, UserHistory> histories(int partition, Freshness copy) {
        return stores.store(RecommenderTopology.HISTORY_STORE, partition, copy.stale());
    }
}
