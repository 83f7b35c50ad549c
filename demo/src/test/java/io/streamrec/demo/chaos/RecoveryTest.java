package io.streamrec.demo.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RecoveryTest {

    /** p99 (ms) per 2 s bucket, starting at second 0. */
    private static TreeMap<Double, Double> buckets(double... p99) {
        TreeMap<Double, Double> byStart = new TreeMap<>();
        for (int i = 0; i < p99.length; i++) {
            byStart.put(2.0 * i, p99[i]);
        }
        return byStart;
    }

    @Test
    void backUnderIsWhenP99FirstStaysUnderTwiceSteadyAndLaterSpikesOnlyAddSecondsAbove() {
        // steady 100 ms; fault at 10 s; above 200 ms from 10 to 20 s; back from 20 s; a 2 s blip at 32 s.
        TreeMap<Double, Double> p99 = buckets(100, 100, 100, 100, 100, 900, 700, 500, 300, 250, 150, 120, 110, 100,
                110, 100, 400, 100, 100, 100, 100, 100);

        Recovery recovery = Recovery.of(p99, 2, 100, 10);

        assertThat(recovery.backUnderSeconds()).isEqualTo(10);
        assertThat(recovery.secondsAbove()).isEqualTo(12);
    }

    @Test
    void aDipTooShortToStayUnderDoesNotCountAsBack() {
        TreeMap<Double, Double> p99 = buckets(100, 900, 150, 900, 150, 150, 150, 150, 150, 150);

        Recovery recovery = Recovery.of(p99, 2, 100, 2);

        assertThat(recovery.backUnderSeconds()).isEqualTo(6);
    }

    @Test
    void neverBackAndNoFaultAreSaidSo() {
        assertThat(Recovery.of(buckets(100, 900, 900), 2, 100, 2).backUnderSeconds()).isInfinite();
        assertThat(Recovery.of(buckets(100, 100), 2, 100, Double.NaN).backUnderSeconds()).isNaN();
    }
}
