package io.streamrec.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The lag cache reads Kafka Streams' lags at most once per refresh period whatever the number of lookups, only
 * while lookups ask, and stops answering from a reading that has grown too old.
 */
class LocalLagsTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicLong standbyLag = new AtomicLong(40);
    private final List<Runnable> pending = new ArrayList<>();

    private LocalLags lags(boolean refreshAtOnce) {
        LocalLags.Source source = () -> {
            reads.incrementAndGet();
            if (standbyLag.get() < 0) {
                throw new IllegalStateException("brokers unreachable");
            }
            return Map.of("user-history", Map.of(0, new LocalLags.Lag(500, 500, 0),
                    1, new LocalLags.Lag(460, 460 + standbyLag.get(), standbyLag.get())));
        };
        return new LocalLags(source, refreshAtOnce ? Runnable::run : pending::add, () -> { }, now::get,
                Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC), Duration.ofMillis(50));
    }

    private void advance(Duration duration) {
        now.addAndGet(duration.toNanos());
    }

    @Test
    void lookupsReadAtMostOncePerRefreshPeriod() {
        LocalLags lags = lags(true);
        for (int i = 0; i < 100; i++) {
            assertThat(lags.offsetLag("user-history", 1)).hasValue(40);
        }
        assertThat(lags.offsetLag("user-history", 0)).hasValue(0);
        assertThat(lags.offsetLag("user-history", 7)).as("no copy of that partition here").isEmpty();
        assertThat(lags.offsetLag("item-counts", 1)).isEmpty();
        assertThat(reads.get()).isEqualTo(1);

        standbyLag.set(90);
        advance(LocalLags.REFRESH_AFTER.minusMillis(1));
        assertThat(lags.offsetLag("user-history", 1)).as("not yet refreshed").hasValue(40);
        advance(Duration.ofMillis(1));
        assertThat(lags.offsetLag("user-history", 1)).hasValue(90);
        assertThat(reads.get()).isEqualTo(2);
    }

    @Test
    void aReadingTooOldIsNotUsedAndAFailedRefreshLetsItAgeOut() {
        LocalLags lags = lags(true);
        assertThat(lags.offsetLag("user-history", 1)).hasValue(40);
        standbyLag.set(-1); // the next reads fail
        advance(LocalLags.REFRESH_AFTER);
        assertThat(lags.offsetLag("user-history", 1)).as("the last reading, still recent").hasValue(40);
        assertThat(lags.offsetLag("user-history", 1)).as("a failed refresh is not retried at once").hasValue(40);
        assertThat(reads.get()).isEqualTo(2);
        advance(LocalLags.USABLE_FOR);
        assertThat(lags.offsetLag("user-history", 1)).isEmpty();
        assertThat(lags.current()).isEmpty();
        assertThat(reads.get()).isEqualTo(3);
        standbyLag.set(10);
        advance(LocalLags.REFRESH_AFTER);
        assertThat(lags.offsetLag("user-history", 1)).as("read again once the brokers answer").hasValue(10);
    }

    @Test
    void aRefreshRunsInTheBackgroundOneAtATimeAndLookupsUseWhatTheyHaveMeanwhile() {
        LocalLags lags = lags(false);
        long start = System.nanoTime();
        assertThat(lags.offsetLag("user-history", 1)).as("nothing read yet").isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("waited for the refresh, briefly")
                .isBetween(Duration.ofMillis(50), Duration.ofSeconds(2));
        assertThat(lags.offsetLag("user-history", 1)).isEmpty();
        assertThat(pending).as("one refresh under way, not two").hasSize(1);
        pending.remove(0).run();
        assertThat(lags.offsetLag("user-history", 1)).isEqualTo(OptionalLong.of(40));
        LocalLags.Snapshot snapshot = lags.current().orElseThrow();
        assertThat(snapshot.readAt()).isEqualTo(Instant.parse("2026-12-07T12:00:00Z"));
        assertThat(snapshot.byStore().get("user-history").keySet()).containsExactly(0, 1);
    }
}
