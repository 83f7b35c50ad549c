package io.streamrec.app.topology;

import ai.onnxruntime.OrtException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.streamrec.app.model.LoadedModel;
import io.streamrec.app.model.ModelLease;
import io.streamrec.app.model.ModelRegistry;
import io.streamrec.avro.ClickEvent;
import io.streamrec.avro.Recommendations;
import io.streamrec.avro.RecommendedItem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a click with a ranked list: updates the user's history, scores the whole catalogue with the
 * serving model (one ONNX Runtime call), drops what the user has seen, and emits the top K. Without a
 * model, or for a user the model knows nothing about (unknown user, no known item in the history), the
 * list comes from the task's popularity counts and says so ({@code fallback = true}).
 *
 * <p>Punctuators (wall clock): popularity refresh, TTL eviction of old history, and, when coalescing is on,
 * answering the latest pending click of users whose interval has passed.
 */
final class RecommendProcessor implements Processor<String, ClickEvent, String, Recommendations> {

    private static final Logger log = LoggerFactory.getLogger(RecommendProcessor.class);

    /** The name the fallback puts in {@code Recommendations.modelName}. */
    static final String POPULARITY = "popularity";

    /** What the processor needs from the app's configuration. Immutable. */
    record Settings(int k, boolean excludeSeen, int historyMaxItems, Duration historyTtl,
                    Duration evictionInterval, Duration coalesceInterval, Duration popularityRefresh) { }

    private final Settings settings;
    private final ModelRegistry registry;
    private final String historyStoreName;
    private final String countsStoreName;
    private final String pendingStoreName;
    private final Counter modelLists;
    private final Counter fallbackLists;
    private final Counter scoringFailures;
    private final Timer scoringLatency;

    private ProcessorContext<String, Recommendations> context;
    private KeyValueStore<String, UserHistory> histories;
    private KeyValueStore<String, Long> pending;
    private PopularityTracker popularity;

    RecommendProcessor(Settings settings, ModelRegistry registry, String historyStoreName,
                       String countsStoreName, String pendingStoreName, MeterRegistry meters) {
        this.settings = settings;
        this.registry = registry;
        this.historyStoreName = historyStoreName;
        this.countsStoreName = countsStoreName;
        this.pendingStoreName = pendingStoreName;
        this.modelLists = Counter.builder("streamrec.recommendations").tag("source", "model")
                .description("Recommendation lists emitted").register(meters);
        this.fallbackLists = Counter.builder("streamrec.recommendations").tag("source", "fallback")
                .description("Recommendation lists emitted").register(meters);
        this.scoringFailures = Counter.builder("streamrec.scoring.failures")
                .description("Scoring calls that failed and were answered by the fallback").register(meters);
        this.scoringLatency = Timer.builder("streamrec.scoring.latency")
                .description("One full-catalogue ONNX Runtime scoring call")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1).dividedBy(20))
                .maximumExpectedValue(Duration.ofSeconds(1))
                .register(meters);
    }

    @Override
    public void init(ProcessorContext<String, Recommendations> context) {
        this.context = context;
        this.histories = context.getStateStore(historyStoreName);
        this.popularity = new PopularityTracker(context.getStateStore(countsStoreName),
                settings.k() + settings.historyMaxItems());
        this.popularity.refresh();
        context.schedule(settings.popularityRefresh(), PunctuationType.WALL_CLOCK_TIME, now -> popularity.refresh());
        context.schedule(settings.evictionInterval(), PunctuationType.WALL_CLOCK_TIME, this::evictExpiredHistory);
        if (coalescing()) {
            this.pending = context.getStateStore(pendingStoreName);
            Duration tick = settings.coalesceInterval().dividedBy(4);
            tick = tick.compareTo(Duration.ofMillis(50)) < 0 ? Duration.ofMillis(50)
                    : tick.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : tick;
            context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, this::answerPendingClicks);
        }
    }

    private boolean coalescing() {
        return !settings.coalesceInterval().isZero();
    }

    @Override
    public void process(Record<String, ClickEvent> record) {
        ClickEvent click = record.value();
        String userId = record.key();
        UserHistory history = Optional.ofNullable(histories.get(userId)).orElse(UserHistory.EMPTY)
                .with(click.getItemId(), click.getEventTime().toEpochMilli(), settings.historyMaxItems());
        popularity.count(click.getItemId());

        long now = context.currentSystemTimeMs();
        if (coalescing() && now - history.lastRecommendedAtMs() < settings.coalesceInterval().toMillis()) {
            histories.put(userId, history);
            pending.put(userId, click.getEventTime().toEpochMilli());
            return;
        }
        histories.put(userId, history.recommendedAt(now));
        context.forward(new Record<>(userId, recommend(userId, history, click.getEventTime(), now), record.timestamp()));
    }

    /** The list for a user with this history, from the model when it can answer, else from popularity. */
    private Recommendations recommend(String userId, UserHistory history, Instant eventTime, long now) {
        Set<String> seen = settings.excludeSeen() ? new HashSet<>(history.itemIds()) : Set.of();
        Optional<ModelLease> lease = registry.acquire();
        if (lease.isPresent()) {
            try (ModelLease held = lease.get()) {
                Optional<Recommendations> fromModel = fromModel(held.model(), userId, history, seen, eventTime, now);
                if (fromModel.isPresent()) {
                    modelLists.increment();
                    return fromModel.get();
                }
            }
        }
        fallbackLists.increment();
        List<RecommendedItem> items = new ArrayList<>(settings.k());
        for (PopularityTracker.RankedItem item : popularity.top(settings.k(), seen)) {
            items.add(new RecommendedItem(item.itemId(), (float) item.count()));
        }
        return new Recommendations(userId, items, POPULARITY, null, true, eventTime, Instant.ofEpochMilli(now));
    }

    private Optional<Recommendations> fromModel(LoadedModel model, String userId, UserHistory history,
                                                Set<String> seen, Instant eventTime, long now) {
        int userIndex = model.userIndex(userId);
        long[] historyInput = model.historyInput(history.itemIds());
        boolean knowsUser = userIndex != 0;
        boolean knowsHistory = historyInput[historyInput.length - 1] != 0;
        if (!knowsUser && !knowsHistory) {
            return Optional.empty(); // nothing personal to go on: popularity is the honest answer
        }
        float[] scores;
        long start = System.nanoTime();
        try {
            scores = model.scoreCatalogue(userIndex, historyInput);
        } catch (OrtException | RuntimeException e) {
            scoringFailures.increment();
            log.warn("event=scoring_failed model={} version={} user={} error=\"{}\"", model.info().name(),
                    model.info().version(), userId, e.getMessage());
            return Optional.empty();
        }
        scoringLatency.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);

        int[] seenIndices = seen.stream().mapToInt(model::itemIndex).filter(index -> index != 0).toArray();
        int[] top = TopK.select(scores, settings.k(), index -> contains(seenIndices, index));
        List<RecommendedItem> items = new ArrayList<>(top.length);
        for (int index : top) {
            items.add(new RecommendedItem(model.itemId(index), scores[index - 1]));
        }
        return Optional.of(new Recommendations(userId, items, model.info().name(), model.info().version(), false,
                eventTime, Instant.ofEpochMilli(now)));
    }

    private static boolean contains(int[] values, int value) {
        for (int candidate : values) {
            if (candidate == value) {
                return true;
            }
        }
        return false;
    }

    private void answerPendingClicks(long wallClockMs) {
        List<KeyValue<String, Long>> due = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = pending.all()) {
            while (all.hasNext()) {
                due.add(all.next());
            }
        }
        long interval = settings.coalesceInterval().toMillis();
        long now = wallClockMs;
        for (KeyValue<String, Long> entry : due) {
            UserHistory history = histories.get(entry.key);
            if (history == null) {
                pending.delete(entry.key);
                continue;
            }
            if (now - history.lastRecommendedAtMs() >= interval) {
                pending.delete(entry.key);
                histories.put(entry.key, history.recommendedAt(now));
                Instant eventTime = Instant.ofEpochMilli(entry.value);
                context.forward(new Record<>(entry.key, recommend(entry.key, history, eventTime, now), entry.value));
            }
        }
    }

    private void evictExpiredHistory(long wallClockMs) {
        long cutoff = wallClockMs - settings.historyTtl().toMillis();
        List<KeyValue<String, UserHistory>> changes = new ArrayList<>();
        try (KeyValueIterator<String, UserHistory> all = histories.all()) {
            while (all.hasNext()) {
                KeyValue<String, UserHistory> entry = all.next();
                UserHistory kept = entry.value.withoutItemsBefore(cutoff);
                if (kept != entry.value) {
                    changes.add(KeyValue.pair(entry.key, kept.isEmpty() ? null : kept));
                }
            }
        }
        for (KeyValue<String, UserHistory> change : changes) {
            if (change.value == null) {
                histories.delete(change.key);
            } else {
                histories.put(change.key, change.value);
            }
        }
        if (!changes.isEmpty()) {
            log.info("event=history_evicted users={} cutoff={}", changes.size(), Instant.ofEpochMilli(cutoff));
        }
    }
}
