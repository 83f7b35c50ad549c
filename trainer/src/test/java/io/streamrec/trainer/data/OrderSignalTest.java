package io.streamrec.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class OrderSignalTest {

    /** 300 users who each walk through 3 of 100 fixed ten-item sequences in order: strong order signal. */
    private static Interactions sequences() {
        Interactions.Builder builder = new Interactions.Builder(300, 1000, 9000);
        for (int u = 1; u <= 300; u++) {
            int time = 0;
            for (int k = 0; k < 3; k++) {
                int sequence = (u * 37 + k * 11) % 100;
                for (int step = 0; step < 10; step++) {
                    builder.add(u, 1 + sequence * 10 + step, time++);
                }
            }
        }
        return builder.build();
    }

    @Test
    void sequencesCarrySignalAndTheirShuffleDoesNot() {
        Interactions ordered = sequences();
        OrderSignal signal = OrderSignal.measure(ordered, 1);
        assertThat(signal.ratio()).isGreaterThan(2);
        assertThat(signal.ordered()).isTrue();
        assertThat(signal.describe()).contains("carries signal");

        OrderSignal shuffled = OrderSignal.measure(ordered.shuffledWithinUsers(9), 1);
        assertThat(shuffled.ratio()).isBetween(0.8, 1.2);
        assertThat(shuffled.ordered()).isFalse();
    }

    @Test
    void aShuffleKeepsEveryUsersItemsAndNumbersTheNewOrder() {
        Interactions ordered = sequences();
        Interactions shuffled = ordered.shuffledWithinUsers(3);
        assertThat(shuffled.hasTimeOrder()).isTrue();
        for (int u = 1; u <= ordered.numUsers(); u++) {
            int[] before = ordered.itemsOf(u);
            int[] after = shuffled.itemsOf(u);
            assertThat(after).isNotEqualTo(before);
            Arrays.sort(before);
            Arrays.sort(after);
            assertThat(after).isEqualTo(before);
            for (int p = shuffled.start(u); p < shuffled.end(u); p++) {
                assertThat(shuffled.timestampAt(p)).isEqualTo(p - shuffled.start(u));
            }
        }
        assertThat(ordered.shuffledWithinUsers(3).itemsOf(5)).containsExactly(shuffled.itemsOf(5));
    }

    @Test
    void equalTimestampsAreNoTimeOrder() {
        Interactions flat = new Interactions.Builder(2, 5, 4).add(1, 1, 0).add(1, 2, 0).add(2, 3, 7).build();
        assertThat(flat.hasTimeOrder()).isFalse();
        assertThat(new Interactions.Builder(1, 5, 2).add(1, 1, 0).add(1, 2, 1).build().hasTimeOrder()).isTrue();
    }
}
