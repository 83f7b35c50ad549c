package io.streamrec.app.topology;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.streamrec.avro.ClickEvent;
import io.streamrec.avro.Recommendations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
 * Answers a click with a ranked list: updates the user's history and the task's popularity counts, queues the
 * click with the history as of that click ({@link ClickQueue}), and answers the queue as one batch through the
 * {@link Recommender} (the serving model, or the task's popularity as the fallback) when it holds
 * {@code batchMaxRecords} clicks or at the next batch punctuation, at most {@code batchMaxWait} later. Lists go
 * out in click order, so each user's lists keep the order of their clicks. With {@code batchMaxRecords} = 1 a
 * click is answered before {@code process()} returns and never enters the queue.
 *
 * <p>A forget request (a null click for a user) answers the queue first, then deletes the user's history.
 *
 * <p>Punctuators (wall clock): the batch, popularity refresh, TTL eviction of old history, and, when coalescing
 * is on, queueing the latest pending click of users whose interval has passed.
 *
 * <p>The task's popularity list is published to the instance's {@link PopularityLists} under the task's
 * partition while the task runs here, and withdrawn when it closes.
 */
final class RecommendProcessor implements Processor<String, ClickEvent, String, Recommendations> {

    private static final Logger log = LoggerFactory.getLogger(RecommendProcessor.class);

    /** What the processor needs from the app's configuration. Immutable. */
    record Settings(int k, int historyMaxItems, Duration historyTtl, Duration evictionInterval,
                    Duration coalesceInterval, Duration popularityRefresh, int batchMaxRecords,
                    Duration batchMaxWait) { }

    private final Settings settings;
    private final Recommender recommender;
    private final PopularityLists popularityLists;
    private final String historyStoreName;
    private final String countsStoreName;
    private final String pendingStoreName;
    private final String queueStoreName;
    private final Timer clickToList;

    private ProcessorContext<String, Recommendations> context;
    private KeyValueStore<String, UserHistory> histories;
    private KeyValueStore<String, Long> pending;
    private PopularityTracker popularity;
    private ClickQueue queue;
    private int partition;

    RecommendProcessor(Settings settings, Recommender recommender, PopularityLists popularityLists,
                       String historyStoreName, String countsStoreName, String pendingStoreName,
                       String queueStoreName, Timer clickToList) {
        this.settings = settings;
        this.clickToList = clickToList;
        this.recommender = recommender;
        this.popularityLists = popularityLists;
        this.historyStoreName = historyStoreName;
        this.countsStoreName = countsStoreName;
        this.pendingStoreName = pendingStoreName;
        this.queueStoreName = queueStoreName;
    }

    /**
     * The meter of the time from a click (its record's timestamp: when its producer created it, or for a coalesced
     * click its event time) to its list's hand-off to the producer. A {@code read_committed} consumer sees the
     * list when the task's transaction commits, up to {@code commit.interval.ms} later. One meter for every task.
     */
    static Timer clickToListTimer(MeterRegistry meters) {
        return Timer.builder("streamrec.click.to.list.latency")
                .description("From a click's record timestamp to its list handed to the producer")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(meters);
    }

    @Override
    public void init(ProcessorContext<String, Recommendations> context) {
        this.context = context;
        this.histories = context.getStateStore(historyStoreName);
        this.partition = context.taskId().partition();
        this.popularity = new PopularityTracker(context.getStateStore(countsStoreName),
                settings.k() + settings.historyMaxItems(), ranked -> popularityLists.publish(partition, this, ranked));
        this.popularity.rebuild();
        this.queue = new ClickQueue(context.getStateStore(queueStoreName));
        context.schedule(settings.batchMaxWait(), PunctuationType.WALL_CLOCK_TIME, now -> answerQueue());
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
            // Forget the user: their history goes; item counts are aggregates and stay. Queued clicks are
            // answered first, so every list sent before the forget request is one the click asked for.
            answerQueue();
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
        ClickQueue.QueuedClick queued = new ClickQueue.QueuedClick(userId, history.itemIds(),
                click.getEventTime().toEpochMilli(), record.timestamp());
        if (settings.batchMaxRecords() == 1 && queue.isEmpty()) {
            // A batch of one: answered before process() returns, so the queue's store writes would buy nothing.
            answer(List.of(queued));
            return;
        }
        queue.add(queued);
        if (queue.size() >= settings.batchMaxRecords()) {
            answerQueue();
        }
    }

    /**
     * Scores every queued click as one batch and sends the lists, in click order. The clicks leave the queue only
     * after their lists are sent: if scoring throws in a punctuation (whose failures are logged and skipped), they
     * are still queued for the next one.
     */
    private void answerQueue() {
        if (!queue.isEmpty()) {
            answer(queue.all());
            queue.clear();
        }
    }

    private void answer(List<ClickQueue.QueuedClick> batch) {
        List<Recommender.ListRequest> requests = new ArrayList<>(batch.size());
        for (ClickQueue.QueuedClick click : batch) {
            requests.add(new Recommender.ListRequest(click.userId(), click.historyItems(),
                    Instant.ofEpochMilli(click.eventTimeMs())));
        }
        List<Recommendations> lists = recommender.recommend(requests, settings.k(), context.currentSystemTimeMs(),
                popularity);
        long now = context.currentSystemTimeMs();
        for (int i = 0; i < batch.size(); i++) {
            context.forward(new Record<>(batch.get(i).userId(), lists.get(i), batch.get(i).timestampMs()));
            clickToList.record(Math.max(0, now - batch.get(i).timestampMs()), TimeUnit.MILLISECONDS);
        }
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
                queue.add(new ClickQueue.QueuedClick(entry.key, history.itemIds(), entry.value, entry.value));
            }
        }
        answerQueue();
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
