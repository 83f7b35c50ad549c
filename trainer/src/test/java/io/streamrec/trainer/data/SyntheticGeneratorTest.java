package io.streamrec.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticGeneratorTest {

    private final SyntheticConfig config = SyntheticConfig.defaults();
    private final Corpus corpus = SyntheticGenerator.generate(config);

    @Test
    void isDeterministicForASeed() {
        Interactions again = SyntheticGenerator.generate(config).interactions();
        assertThat(again.itemsCopy()).isEqualTo(corpus.interactions().itemsCopy());
        assertThat(SyntheticGenerator.generate(config.withSeed(43)).interactions().itemsCopy())
                .isNotEqualTo(corpus.interactions().itemsCopy());
    }

    @Test
    void hasALongTailOfPopularity() {
        Interactions data = corpus.interactions();
        int[] counts = new int[data.numItems() + 1];
        for (int p = 0; p < data.size(); p++) {
            counts[data.itemAt(p)]++;
        }
        int[] sorted = Arrays.stream(counts, 1, counts.length).sorted().toArray();
        long top = 0;
        for (int i = sorted.length - sorted.length / 10; i < sorted.length; i++) {
            top += sorted[i];
        }
        assertThat((double) top / data.size()).as("share of the top 10%% of items").isGreaterThan(0.3);
        assertThat(data.size()).isBetween(2000 * 30, 2000 * 50);
    }

    @Test
    void usersNeverRepeatItemsAndMeetTheMinimumLength() {
        Interactions data = corpus.interactions();
        for (int u = 1; u <= data.numUsers(); u++) {
            int[] items = data.itemsOf(u);
            assertThat(items.length).isGreaterThanOrEqualTo(config.minLength());
            assertThat(items).doesNotHaveDuplicates();
        }
    }

    @Test
    void consecutiveItemsFollowHabitsFarMoreOftenThanChance() {
        // Count how often a transition a -> b recurs across users: habits make pairs repeat.
        Interactions data = corpus.interactions();
        java.util.Map<Long, Integer> pairs = new java.util.HashMap<>();
        int transitions = 0;
        for (int u = 1; u <= data.numUsers(); u++) {
            for (int p = data.start(u) + 1; p < data.end(u); p++) {
                pairs.merge((long) data.itemAt(p - 1) * 1_000_003L + data.itemAt(p), 1, Integer::sum);
                transitions++;
            }
        }
        long repeated = pairs.values().stream().filter(c -> c >= 3).mapToLong(c -> c).sum();
        assertThat((double) repeated / transitions).as("share of transitions seen at least 3 times").isGreaterThan(0.25);
    }
}
