package io.streamrec.demo.load;

import io.streamrec.avro.Recommendations;
import io.streamrec.schemas.serde.AvroDeserializer;
import io.streamrec.schemas.serde.SchemaRegistryClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the recommendations topic as a downstream consumer would (read_committed) and measures what a user of
 * the system sees: click-to-list latency (list received minus the click's event time), lists per second, which
 * model version answered, and the gaps between consecutive lists, around a model swap and elsewhere.
 *
 * <p>Runs on its own thread ({@link #run()}); {@link #snapshot()} may be called from any thread.
 * Lifetime: {@link #close()} stops the loop and closes the consumer.
 */
public final class RecommendationWatcher implements Runnable, AutoCloseable {

    /** What was seen so far. Immutable. */
    public record Snapshot(long lists, long fallbackLists, Map<String, Long> listsByVersion, long p50Micros,
                           long p99Micros, long maxMicros, String latestVersion, long largestGapMs,
                           List<Swap> swaps, List<Second> seconds, Histogram latencies) { }

    /**
     * The first list from a model version newer than any seen before (partitions interleave at the consumer,
     * so an older version's lists may still trickle in from other partitions for a moment afterwards).
     */
    public record Swap(long atMs, String from, String to, long gapBeforeMs, long gapAfterMs) { }

    /**
     * How far a list had got, measured from its click's event time (the load generator's scheduled time), so the
     * end-to-end latency splits into the load generator's own lateness, the app's input side and the wait for the
     * transaction's commit and the consumer's fetch.
     */
    public enum Stage {
        /** The click handed to the producer: the list's record timestamp, carried over from the click's. */
        SENT,
        /** The list computed: its {@code generatedAt} (the stream thread's clock when it processed the click). */
        COMPUTED,
        /** The list received here: the end-to-end latency. */
        RECEIVED
    }

    /** One second of arrivals: how many, their p99 latency, and the longest wait before one of them arrived. */
    public record Second(long epochSecond, long lists, long p99Micros, long maxGapMs) { }

    private final KafkaConsumer<String, Recommendations> consumer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Consumer<Recommendations> onList;

    // Guarded by 'this'.
    private final Histogram latencies = new Histogram(60_000_000L, 3);
    private final Map<String, Long> byVersion = new LinkedHashMap<>();
    private final List<Swap> swaps = new ArrayList<>();
    // The latency to each stage, by second of arrival.
    private final Map<Stage, Map<Long, Histogram>> stagesPerSecond = new EnumMap<>(Map.of(Stage.SENT,
            new LinkedHashMap<>(), Stage.COMPUTED, new LinkedHashMap<>(), Stage.RECEIVED, new LinkedHashMap<>()));
    private final Map<Long, Long> maxGapPerSecond = new HashMap<>();
    private long lists;
    private long fallbacks;
    private String latestVersion = "none";
    private long newestVersionRank = Long.MIN_VALUE;
    private long lastArrivalMs;
    private long largestGapMs;
    private boolean awaitingGapAfterSwap;

    /**
     * @param onList told of every list on the watcher's thread (for live views); must be quick
     */
    public RecommendationWatcher(Map<String, ?> clientConfig, SchemaRegistryClient schemaRegistry, String topic,
                                 Consumer<Recommendations> onList) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "watcher-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new AvroDeserializer<>(Recommendations.class, schemaRegistry, config, false));
        this.consumer.subscribe(List.of(topic));
        this.onList = Objects.requireNonNull(onList, "onList");
    }

    /** Blocks until the consumer has its partitions, so nothing sent afterwards is missed. */
    public void awaitAssignment(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (consumer.assignment().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the recommendations consumer got no partitions in " + timeout);
            }
            consumer.poll(Duration.ofMillis(100)).forEach(this::record);
        }
    }

    @Override
    public void run() {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, Recommendations> record : consumer.poll(Duration.ofMillis(100))) {
                    record(record);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        }
    }

    private void record(ConsumerRecord<String, Recommendations> record) {
        Recommendations list = record.value();
        long now = System.currentTimeMillis();
        long eventTime = list.getEventTime().toEpochMilli();
        long latencyMicros = Math.max(0, (now - eventTime) * 1000);
        String version = list.getFallback() ? "popularity" : "v" + list.getModelVersion();
        long rank = list.getFallback() ? -1 : list.getModelVersion();
        synchronized (this) {
            lists++;
            if (list.getFallback()) {
                fallbacks++;
            }
            latencies.recordValue(Math.min(latencyMicros, latencies.getHighestTrackableValue()));
            recordStage(Stage.RECEIVED, now, latencyMicros);
            recordStage(Stage.COMPUTED, now, (list.getGeneratedAt().toEpochMilli() - eventTime) * 1000);
            recordStage(Stage.SENT, now, (record.timestamp() - eventTime) * 1000);
            byVersion.merge(version, 1L, Long::sum);
            long gap = lastArrivalMs == 0 ? 0 : now - lastArrivalMs;
            largestGapMs = Math.max(largestGapMs, gap);
            maxGapPerSecond.merge(now / 1000, gap, Math::max);
            if (awaitingGapAfterSwap) {
                Swap last = swaps.remove(swaps.size() - 1);
                swaps.add(new Swap(last.atMs(), last.from(), last.to(), last.gapBeforeMs(), gap));
                awaitingGapAfterSwap = false;
            }
            if (rank > newestVersionRank) {
                if (newestVersionRank != Long.MIN_VALUE) {
                    swaps.add(new Swap(now, latestVersion, version, gap, -1));
                    awaitingGapAfterSwap = true;
                }
                newestVersionRank = rank;
                latestVersion = version;
            }
            lastArrivalMs = now;
        }
        onList.accept(list);
    }

    private void recordStage(Stage stage, long nowMs, long micros) {
        stagesPerSecond.get(stage).computeIfAbsent(nowMs / 1000, second -> new Histogram(60_000_000L, 2))
                .recordValue(Math.max(0, Math.min(micros, 60_000_000L)));
    }

    /** Everything seen so far. */
    public synchronized Snapshot snapshot() {
        List<Second> seconds = new ArrayList<>();
        stagesPerSecond.get(Stage.RECEIVED).forEach((second, histogram) -> seconds.add(new Second(second,
                histogram.getTotalCount(), histogram.getValueAtPercentile(99),
                maxGapPerSecond.getOrDefault(second, 0L))));
        return new Snapshot(lists, fallbacks, Map.copyOf(byVersion), latencies.getValueAtPercentile(50),
                latencies.getValueAtPercentile(99), latencies.getMaxValue(), latestVersion, largestGapMs,
                List.copyOf(swaps), seconds, latencies.copy());
    }

    /** Latencies (microseconds) of the lists received in the epoch seconds [{@code from}, {@code to}). */
    public Histogram latenciesBetween(long fromEpochSecond, long toEpochSecond) {
        return latenciesBetween(Stage.RECEIVED, fromEpochSecond, toEpochSecond);
    }

    /**
     * Latencies (microseconds) from the click's event time to {@code stage} of the lists received in the epoch
     * seconds [{@code from}, {@code to}).
     */
    public synchronized Histogram latenciesBetween(Stage stage, long fromEpochSecond, long toEpochSecond) {
        Histogram window = new Histogram(60_000_000L, 2);
        stagesPerSecond.get(stage).forEach((second, histogram) -> {
            if (second >= fromEpochSecond && second < toEpochSecond) {
                window.add(histogram);
            }
        });
        return window;
    }

    /** Latency percentiles (microseconds) over the lists received in the last {@code seconds} whole seconds. */
    public long[] recentPercentiles(int seconds, double... percentiles) {
        long current = System.currentTimeMillis() / 1000;
        Histogram recent = latenciesBetween(current - seconds, current);
        long[] values = new long[percentiles.length];
        for (int i = 0; i < percentiles.length; i++) {
            values[i] = recent.getValueAtPercentile(percentiles[i]);
        }
        return values;
    }

    /** Forgets the latencies seen so far (e.g. after a warm-up), keeping counts and the swap history. */
    public synchronized void resetLatencies() {
        latencies.reset();
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }

    /** Closes the consumer; call from the thread that ran {@link #run()} after it returned, or after close. */
    public void closeConsumer() {
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
