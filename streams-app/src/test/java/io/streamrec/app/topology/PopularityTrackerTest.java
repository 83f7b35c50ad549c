package io.streamrec.app.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.app.topology.PopularItems.RankedItem;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tracker's list, kept as counts grow, is always the list a full scan of the counts store gives; it is
 * published only when it changed, and a rebuild (a task's start) reads the store once.
 */
class PopularityTrackerTest {

    private static final int LENGTH = 5;

    private KeyValueStore<String, Long> counts;
    private final List<List<RankedItem>> published = new ArrayList<>();

    @BeforeEach
    void openStore() {
        counts = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("counts"), Serdes.String(), Serdes.Long())
                .withLoggingDisabled().build();
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        counts.init(context.getStateStoreContext(), counts);
    }

    @Test
    void theListKeptAsCountsGrowIsTheListAScanGives() {
        PopularityTracker tracker = new PopularityTracker(counts, LENGTH, published::add);
        tracker.rebuild();
        SplittableRandom random = new SplittableRandom(1);
        for (int click = 0; click < 5_000; click++) {
            // Skewed toward low ids so ranks change hands often, with plenty of ties along the way.
            tracker.count("i" + (int) Math.floor(Math.pow(random.nextDouble(), 2) * 40));
            tracker.refresh();
            assertThat(published.get(published.size() - 1)).as("after click %d", click)
                    .containsExactlyElementsOf(PopularityTracker.rank(counts, LENGTH));
        }
    }

    @Test
    void publishesOnlyWhenTheListChanged() {
        PopularityTracker tracker = new PopularityTracker(counts, 2, published::add);
        tracker.rebuild();
        tracker.count("a");
        tracker.count("b");
        tracker.count("a");
        int before = published.size();
        tracker.refresh();
        tracker.refresh();
        assertThat(published).hasSize(before + 1);
        tracker.count("c"); // one click: ranks below a (2) and b (1, earlier id), so the list stays
        tracker.refresh();
        assertThat(published).hasSize(before + 1);
        assertThat(published.get(published.size() - 1)).extracting(RankedItem::itemId).containsExactly("a", "b");
    }

    @Test
    void aRebuildReadsTheCountsTheStoreHolds() {
        counts.put("x", 7L);
        counts.put("y", 9L);
        counts.put("z", 1L);
        PopularityTracker tracker = new PopularityTracker(counts, 2, published::add);
        tracker.rebuild();
        assertThat(published.get(0)).containsExactly(new RankedItem("y", 9), new RankedItem("x", 7));
        assertThat(tracker.top(1, java.util.Set.of("y"))).containsExactly(new RankedItem("x", 7));
    }
}
