package io.streamrec.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.streamrec.app.model.ModelEvent;
import io.streamrec.app.model.ModelInfo;
import io.streamrec.app.model.ModelRegistry;
import io.streamrec.app.topology.UserHistory;
import io.streamrec.avro.Recommendations;
import io.streamrec.avro.RecommendedItem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The API's JSON: one record per response shape (their components are the JSON fields, in order) and the
 * mapper that writes them. Times are ISO-8601 strings in UTC; absent values are {@code null}, never left out,
 * so clients see one shape. Thread-safe: the mapper is configured once and only used to write.
 */
public final class ApiJson {

    private final ObjectMapper mapper = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    /** The JSON bytes of a view. */
    public byte[] write(Object view) {
        try {
            return mapper.writeValueAsBytes(view);
        } catch (JsonProcessingException e) {
            // The views are plain records of strings, numbers, lists and maps: this is a programming error.
            throw new IllegalStateException("cannot render " + view.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** A JSON response. */
    public ApiResponse response(int status, Object view) {
        return new ApiResponse(status, ApiResponse.JSON, write(view), Map.of());
    }

    /** A JSON error response, {@code {"error": message, "status": status}}. */
    public ApiResponse error(int status, String message) {
        return response(status, new ErrorView(message, status));
    }

    /** The body of every error answer. */
    public record ErrorView(String error, int status) { }

    /** One recommended item. */
    public record ItemView(String itemId, float score) { }

    /**
     * An on-demand list; the fields of the Avro {@code Recommendations} record plus how many history items it
     * was computed from and the copy of the history it read ({@link Freshness}).
     */
    public record RecommendationsView(String userId, List<ItemView> items, String modelName, Long modelVersion,
                                      boolean fallback, int historyItems, String eventTime, String generatedAt,
                                      String servedFrom, long lagRecords) {

        public static RecommendationsView of(Recommendations list, int historyItems, Freshness freshness) {
            List<ItemView> items = new ArrayList<>(list.getItems().size());
            for (RecommendedItem item : list.getItems()) {
                items.add(new ItemView(item.getItemId(), item.getScore()));
            }
            return new RecommendationsView(list.getUserId(), List.copyOf(items), list.getModelName(),
                    list.getModelVersion(), list.getFallback(), historyItems, time(list.getEventTime()),
                    time(list.getGeneratedAt()), freshness.servedFrom().tag(), freshness.lagRecords());
        }
    }

    /** One history item and when the user last interacted with it (event time). */
    public record HistoryItemView(String itemId, String seenAt) { }

    /** A user's history, newest item first, and the copy it was read from ({@link Freshness}). */
    public record HistoryView(String userId, List<HistoryItemView> items, String lastRecommendedAt,
                              String servedFrom, long lagRecords) {

        public static HistoryView of(String userId, UserHistory history, Freshness freshness) {
            List<HistoryItemView> items = new ArrayList<>(history.items().size());
            for (UserHistory.Entry entry : history.items()) {
                items.add(new HistoryItemView(entry.itemId(), time(Instant.ofEpochMilli(entry.seenAtMs()))));
            }
            Collections.reverse(items); // stored oldest first; people read the latest first
            return new HistoryView(userId, List.copyOf(items), history.lastRecommendedAtMs() == 0 ? null
                    : time(Instant.ofEpochMilli(history.lastRecommendedAtMs())), freshness.servedFrom().tag(),
                    freshness.lagRecords());
        }
    }

    /** The serving release, without its graph and vocabularies. */
    public record ServingView(String name, long version, String variant, String createdAt, int itemCount,
                              int userCount, int historyLength, int graphBytes, Map<String, Double> metrics,
                              Map<String, String> hyperparameters, Map<String, String> provenance, boolean signed,
                              String signingKeyId, String loadedAt, long loadTimeMs) {

        public static ServingView of(ModelRegistry.Serving serving) {
            ModelInfo info = serving.info();
            return new ServingView(info.name(), info.version(), info.variant(), time(info.createdAt()),
                    info.itemCount(), info.userCount(), info.historyLength(), info.graphBytes(),
                    new TreeMap<>(info.metrics()), new TreeMap<>(info.hyperparameters()),
                    new TreeMap<>(info.provenance()), info.signed(), info.signingKeyId(), time(serving.loadedAt()),
                    serving.loadTime().toMillis());
        }
    }

    /** {@code GET /models}: the configured model name, the pinned version if any, and what serves (or null). */
    public record ModelsView(String model, Long pinnedVersion, ServingView serving) {

        public static ModelsView of(String model, OptionalLong pinned, Optional<ModelRegistry.Serving> serving) {
            return new ModelsView(model, pinned.isPresent() ? pinned.getAsLong() : null,
                    serving.map(ServingView::of).orElse(null));
        }
    }

    /** One model event. */
    public record EventView(String at, String kind, String model, long version, String reason, String message,
                            long loadTimeMs) {

        public static EventView of(ModelEvent event) {
            return new EventView(time(event.at()), event.kind().name().toLowerCase(Locale.ROOT), event.model(),
                    event.version(), event.reason(), event.message(), event.loadTime().toMillis());
        }
    }

    /** {@code GET /models/events}: the retained events, newest first. */
    public record EventsView(String model, List<EventView> events) {

        /** @param oldestFirst the registry's events, oldest first */
        public static EventsView of(String model, List<ModelEvent> oldestFirst) {
            List<EventView> events = new ArrayList<>(oldestFirst.size());
            for (int i = oldestFirst.size() - 1; i >= 0; i--) {
                events.add(EventView.of(oldestFirst.get(i)));
            }
            return new EventsView(model, List.copyOf(events));
        }
    }

    /**
     * One Kafka Streams client of the application, as the metadata of every client lists it.
     *
     * @param instance          its {@code application.server}, {@code host:port}
     * @param self              whether it is the instance that answered
     * @param activeStores      stores of its active tasks
     * @param activePartitions  input topic partitions of its active tasks, by topic (a store's partition is its
     *                          task's partition)
     * @param standbyStores     stores of its standby tasks
     * @param standbyPartitions input topic partitions of its standby tasks, by topic
     */
    public record InstanceView(String instance, boolean self, List<String> activeStores,
                               Map<String, List<Integer>> activePartitions, List<String> standbyStores,
                               Map<String, List<Integer>> standbyPartitions) {

        public static InstanceView of(StreamsMetadata client, HostInfo self) {
            return new InstanceView(Forwarder.hostPort(client.hostInfo()), client.hostInfo().equals(self),
                    sorted(client.stateStoreNames()), byTopic(client.topicPartitions()),
                    sorted(client.standbyStateStoreNames()), byTopic(client.standbyTopicPartitions()));
        }

        private static List<String> sorted(Set<String> names) {
            return List.copyOf(new TreeSet<>(names));
        }

        private static Map<String, List<Integer>> byTopic(Set<TopicPartition> partitions) {
            Map<String, TreeSet<Integer>> byTopic = new TreeMap<>();
            partitions.forEach(partition -> byTopic.computeIfAbsent(partition.topic(), topic -> new TreeSet<>())
                    .add(partition.partition()));
            Map<String, List<Integer>> lists = new TreeMap<>();
            byTopic.forEach((topic, numbers) -> lists.put(topic, List.copyOf(numbers)));
            return Collections.unmodifiableMap(lists);
        }
    }

    /** One local copy of a store partition (active, restoring or standby) and its changelog position. */
    public record LocalCopyView(String store, int partition, long currentOffset, long endOffset, long lagRecords) { }

    /**
     * {@code GET /instances}: every client of the application, this one first, then by {@code host:port};
     * and this instance's local copies with their lags, as last read (null and empty while none was read
     * recently).
     */
    public record InstancesView(String self, List<InstanceView> instances, String lagsReadAt,
                                List<LocalCopyView> localCopies) {

        static InstancesView of(HostInfo self, Collection<StreamsMetadata> clients,
                                Optional<LocalLags.Snapshot> lags) {
            List<InstanceView> instances = clients.stream().map(client -> InstanceView.of(client, self))
                    .sorted(Comparator.comparing((InstanceView view) -> !view.self())
                            .thenComparing(InstanceView::instance))
                    .toList();
            List<LocalCopyView> copies = new ArrayList<>();
            lags.ifPresent(snapshot -> snapshot.byStore().forEach((store, partitions) -> partitions.forEach(
                    (partition, lag) -> copies.add(new LocalCopyView(store, partition, lag.currentOffset(),
                            lag.endOffset(), lag.offsetLag())))));
            return new InstancesView(Forwarder.hostPort(self), instances,
                    lags.map(snapshot -> time(snapshot.readAt())).orElse(null), List.copyOf(copies));
        }
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
