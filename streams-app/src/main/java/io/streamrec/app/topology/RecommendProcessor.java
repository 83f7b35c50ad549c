package io.streamrec.app.topology;

import io.streamrec.avro.ClickEvent;
import io.streamrec.avro.Recommendations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * Answers a click with a ranked list: updates the user's history and the task's popularity counts, then asks
 * the {@link Recommender} for the top K (the serving model, or the task's popularity as the fallback).
 *
 * <p>A forget request (a null click for a user) deletes the user's history.
 *
 * <p>Punctuators (wall clock): popularity refresh, TTL eviction of old history, and, when coalescing is on,
 * answering the latest pending click of users whose interval has passed.
 *
 * <p>The task's popularity list is published to the instance's {@link PopularityLists} under the task's
 * partition while the task runs here, and withdrawn when it closes.
 */
final class RecommendProcessor implements Processor<String, ClickEvent, String, Recommendations> {

    private static final Logger log = LoggerFactory.getLogger(RecommendProcessor.class);

    /** What the processor needs from the app's configuration. Immutable. */
    record Settings(int k, int historyMaxItems, Duration historyTtl,
                    Duration evictionInterval, Duration coalesceInterval, Duration popularityRefresh) { }

    private final Settings settings;
    private final Recommender recommender;
    private final PopularityLists popularityLists;
    private final String historyStoreName;
    private final String countsStoreName;
    private final String pendingStoreName;

    private ProcessorContext<String, Recommendations> context;
    private KeyValueStore<String, UserHistory> histories;
    private KeyValueStore<String, Long> pending;
    private PopularityTracker popularity;
    private int partition;

    RecommendProcessor(Settings settings, Recommender recommender, PopularityLists popularityLists,
                       String historyStoreName, String countsStoreName, String pendingStoreName) {
        this.settings = settings;
        this.recommender = recommender;
        this.popularityLists = popularityLists;
        this.historyStoreName = historyStoreName;
        this.countsStoreName = countsStoreName;
        this.pendingStoreName = pendingStoreName;
    }

    @Override
    public void init(ProcessorContext<String, Recommendations> context) {
        this.context = context;
        this.histories = context.getStateStore(historyStoreName);
        this.partition = context.taskId().partition();
        this.popularity = new PopularityTracker(context.getStateStore(countsStoreName),
                settings.k() + settings.historyMaxItems(), ranked -> popularityLists.publish(partition, this, ranked));
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

    @Override
    public void close() {
        popularityLists.withdraw(partition, this);
    }

    private boolean coalescing() {
        return !settings.coalesceInterval().isZero();
    }

    @Override
    public void process(Record<String, ClickEvent> record) {
        ClickEvent click = record.value();
        String userId = record.key();
        if (click == null) {
            // Forget the user: their history goes; item counts are aggregates and stay.
            histories.delete(userId);
            if (coalescing()) {
                pending.delete(userId);
            }
            log.info("event=user_forgotten store=history");
            return;
        }
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

    private Recommendations recommend(String userId, UserHistory history, Instant eventTime, long now) {
        return recommender.recommend(userId, history, settings.k(), eventTime, now, popularity);
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
