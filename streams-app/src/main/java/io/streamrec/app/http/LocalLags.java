package io.streamrec.app.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.LagInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's copies of store partitions (active, restoring and standby) and how far each trails the end of
 * its changelog, from {@link KafkaStreams#allLocalStorePartitionLags()}. That call asks the brokers for the
 * changelogs' end offsets, too costly per request, so lookups read a snapshot that one background thread
 * refreshes at most every {@link #REFRESH_AFTER}, and only while lookups keep asking: a lookup that finds the
 * snapshot older starts a refresh and answers from what it has. A snapshot older than {@link #USABLE_FOR} (the
 * refresh failed, or nobody asked for a while) is not used at all, so no answer relies on lags measured long
 * ago: the lookup waits up to {@link #WAIT_FOR_READ} for the refresh it started, and failing that the copy's lag
 * is unknown and the router does not answer from it.
 *
 * <p>Thread-safe. Lifetime: {@link #close()} stops the refresh thread; lookups then answer from the last
 * snapshot until it is too old.
 */
final class LocalLags implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalLags.class);

    /** How old a snapshot may get before a lookup starts a refresh. */
    static final Duration REFRESH_AFTER = Duration.ofSeconds(1);
    /**
     * How old a snapshot may be and still answer: a few refresh periods, so a refresh that takes a moment
     * (the admin call) does not leave lookups without lags, while a standby that stopped following its
     * changelog is noticed within seconds.
     */
    static final Duration USABLE_FOR = Duration.ofSeconds(3);
    /**
     * How long the first lookup after a quiet spell waits for the lags: the admin call usually answers in
     * milliseconds, and a request should not wait for brokers that do not answer.
     */
    static final Duration WAIT_FOR_READ = Duration.ofMillis(500);

    /**
     * One local copy's position in its changelog.
     *
     * @param currentOffset the offset the copy has reached
     * @param endOffset     the changelog's end offset when read
     * @param offsetLag     how many records the copy trails by (0 for an active task in RUNNING)
     */
    record Lag(long currentOffset, long endOffset, long offsetLag) { }

    /**
     * The lags of every local copy at one moment.
     *
     * @param byStore     store name, then partition, then its lag (sorted, so views list them in order)
     * @param readAt      when they were read
     * @param readAtNanos the same in {@link System#nanoTime()} terms, for its age
     */
    record Snapshot(Map<String, Map<Integer, Lag>> byStore, Instant readAt, long readAtNanos) {

        Snapshot {
            TreeMap<String, Map<Integer, Lag>> sorted = new TreeMap<>();
            byStore.forEach((store, partitions) -> sorted.put(store,
                    Collections.unmodifiableMap(new TreeMap<>(partitions))));
            byStore = Collections.unmodifiableMap(sorted);
        }

        OptionalLong offsetLag(String store, int partition) {
            Lag lag = byStore.getOrDefault(store, Map.of()).get(partition);
            return lag == null ? OptionalLong.empty() : OptionalLong.of(lag.offsetLag());
        }
    }

    /** Reads the lags now; throws when the client cannot tell (not started, closed, brokers unreachable). */
    @FunctionalInterface
    interface Source {
        Map<String, Map<Integer, Lag>> read();

        static Source of(KafkaStreams streams) {
            return () -> {
                Map<String, Map<Integer, Lag>> lags = new TreeMap<>();
                for (Map.Entry<String, Map<Integer, LagInfo>> store : streams.allLocalStorePartitionLags().entrySet()) {
                    Map<Integer, Lag> partitions = new TreeMap<>();
                    store.getValue().forEach((partition, info) -> partitions.put(partition,
                            new Lag(info.currentOffsetPosition(), info.endOffsetPosition(), info.offsetLag())));
                    lags.put(store.getKey(), partitions);
                }
                return lags;
            };
        }
    }

    private final Source source;
    private final Executor refresher;
    private final Runnable stopRefresher;
    private final LongSupplier nanoTime;
    private final Clock clock;
    private final Duration waitForRead;
    private volatile Snapshot snapshot;
    private CompletableFuture<Void> inFlight; // guarded by 'this'
    /** When the next refresh may start, in {@link #nanoTime} terms: at most one per period, failed ones too. */
    private long nextRefreshNanos; // guarded by 'this'

    /**
     * @param refresher   runs the refreshes (tests pass a direct executor, or one that holds them)
     * @param nanoTime    {@link System#nanoTime()} or a test's clock
     * @param waitForRead how long a lookup that finds no usable snapshot waits for the refresh it started
     */
    LocalLags(Source source, Executor refresher, Runnable stopRefresher, LongSupplier nanoTime, Clock clock,
              Duration waitForRead) {
        this.source = source;
        this.refresher = refresher;
        this.stopRefresher = stopRefresher;
        this.nanoTime = nanoTime;
        this.clock = clock;
        this.waitForRead = waitForRead;
        this.nextRefreshNanos = nanoTime.getAsLong();
    }

    /** Lags of the client's local stores, refreshed on a daemon thread of their own. */
    static LocalLags of(KafkaStreams streams) {
        ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread refresh = new Thread(runnable, "streamrec-http-lags");
            refresh.setDaemon(true);
            return refresh;
        });
        return new LocalLags(Source.of(streams), thread, () -> {
            thread.shutdownNow();
            try {
                thread.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, System::nanoTime, Clock.systemUTC(), WAIT_FOR_READ);
    }

    /**
     * The lag of this instance's copy of a store partition; empty when it has none, or none is known recently
     * enough (see the class comment).
     */
    OptionalLong offsetLag(String store, int partition) {
        return current().map(lags -> lags.offsetLag(store, partition)).orElse(OptionalLong.empty());
    }

    /**
     * The latest snapshot, if recent enough to use. Starts a refresh when one is due; when the snapshot is not
     * usable at all (the first lookup after a quiet spell), waits up to the read wait for that refresh.
     */
    Optional<Snapshot> current() {
        long now = nanoTime.getAsLong();
        Snapshot seen = snapshot;
        if (seen == null || now - seen.readAtNanos() >= REFRESH_AFTER.toNanos()) {
            CompletableFuture<Void> refresh = refresh(now);
            if (refresh != null && !usable(seen, now)) {
                awaitQuietly(refresh);
                now = nanoTime.getAsLong();
            }
            seen = snapshot; // whatever a refresh that finished meanwhile read
        }
        return usable(seen, now) ? Optional.of(seen) : Optional.empty();
    }

    private static boolean usable(Snapshot snapshot, long now) {
        return snapshot != null && now - snapshot.readAtNanos() < USABLE_FOR.toNanos();
    }

    private void awaitQuietly(CompletableFuture<Void> refresh) {
        try {
            refresh.get(waitForRead.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // answered without lags: the copy does not answer this time
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The refresh under way, or a new one if one is due; null when neither. */
    private synchronized CompletableFuture<Void> refresh(long now) {
        if (inFlight != null) {
            return inFlight;
        }
        if (now - nextRefreshNanos < 0) {
            return null;
        }
        nextRefreshNanos = now + REFRESH_AFTER.toNanos();
        CompletableFuture<Void> refresh = new CompletableFuture<>();
        inFlight = refresh;
        try {
            refresher.execute(() -> read(refresh));
        } catch (RejectedExecutionException e) { // closed
            finish(refresh);
        }
        return refresh;
    }

    private void read(CompletableFuture<Void> refresh) {
        try {
            long readAtNanos = nanoTime.getAsLong();
            Instant readAt = clock.instant();
            snapshot = new Snapshot(source.read(), readAt, readAtNanos);
        } catch (RuntimeException e) {
            // Not started, closed or rebalancing, or the brokers are unreachable: the old snapshot ages out.
            log.debug("event=store_lags_unavailable error=\"{}\"", e.toString());
        } finally {
            finish(refresh);
        }
    }

    private synchronized void finish(CompletableFuture<Void> refresh) {
        if (inFlight == refresh) {
            inFlight = null;
        }
        refresh.complete(null);
    }

    @Override
    public void close() {
        stopRefresher.run();
    }
}
