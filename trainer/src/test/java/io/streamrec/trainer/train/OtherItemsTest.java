package io.streamrec.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.trainer.data.Interactions;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OtherItemsTest {

    /** User 1: items 10..29 (20 items), user 2: items 40, 41. */
    private static Interactions rows() {
        Interactions.Builder builder = new Interactions.Builder(2, 50, 22);
        for (int i = 0; i < 20; i++) {
            builder.add(1, 10 + i, i);
        }
        builder.add(2, 40, 0).add(2, 41, 1);
        return builder.build();
    }

    @Test
    void drawsDistinctOtherItemsOfTheSameUserNeverTheTarget() {
        Interactions data = rows();
        int[] out = new int[8];
        for (int position = data.start(1); position < data.end(1); position++) {
            int target = data.itemAt(position);
            OtherItems.fill(data, 1, position, out, 0, 8, 12345L + position);
            assertThat(out).doesNotContain(0, target);
            assertThat(Arrays.stream(out).allMatch(item -> item >= 10 && item < 30)).isTrue();
            assertThat(Arrays.stream(out).distinct().count()).isEqualTo(8);
        }
    }

    @Test
    void aShortRowGivesAllOtherItemsLeftPadded() {
        Interactions data = rows();
        int[] out = {-1, -1, -1, -1, -1, -1};
        OtherItems.fill(data, 2, data.start(2), out, 1, 4, 7L);
        assertThat(out).containsExactly(-1, 0, 0, 0, 41, -1);
    }

    @Test
    void theDrawChangesWithTheStreamAndIsReproducible() {
        Interactions data = rows();
        Set<String> draws = new HashSet<>();
        int[] first = new int[5];
        int[] again = new int[5];
        for (long state = 0; state < 50; state++) {
            OtherItems.fill(data, 1, data.start(1), first, 0, 5, state);
            OtherItems.fill(data, 1, data.start(1), again, 0, 5, state);
            assertThat(again).containsExactly(first);
            draws.add(Arrays.toString(first));
        }
        assertThat(draws).hasSizeGreaterThan(45);
    }

    @Test
    void everyOtherItemIsDrawnAboutEquallyOften() {
        Interactions data = rows();
        int[] counts = new int[30];
        int[] out = new int[5];
        int draws = 20_000;
        for (long state = 0; state < draws; state++) {
            OtherItems.fill(data, 1, data.start(1), out, 0, 5, state * 7919);
            for (int item : out) {
                counts[item]++;
            }
        }
        double expected = draws * 5 / 19.0; // 19 other items, 5 slots
        for (int item = 11; item < 30; item++) {
            assertThat((double) counts[item]).isBetween(expected * 0.93, expected * 1.07);
        }
        assertThat(counts[10]).isZero(); // the target
    }
}
