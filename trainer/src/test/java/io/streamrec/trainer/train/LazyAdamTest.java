package io.streamrec.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LazyAdamTest {

    @Test
    void rowAndDenseUpdatesFollowAdam() {
        LazyAdam adam = new LazyAdam(0.1, 0);
        float[] row = {1f, -2f};
        float[] m = new float[2];
        float[] v = new float[2];
        float[] dense = {1f, -2f};
        float[] dm = new float[2];
        float[] dv = new float[2];
        double[] expected = {1, -2};
        double[] em = new double[2];
        double[] ev = new double[2];
        float[][] grads = {{0.5f, -0.25f}, {0.1f, 0.3f}, {-0.2f, 0.05f}};
        for (int t = 1; t <= grads.length; t++) {
            adam.nextStep();
            adam.updateRow(row, m, v, grads[t - 1], 2);
            adam.updateDense(dense, dm, dv, grads[t - 1], 0, 2);
            for (int i = 0; i < 2; i++) {
                double g = grads[t - 1][i];
                em[i] = 0.9 * em[i] + 0.1 * g;
                ev[i] = 0.999 * ev[i] + 0.001 * g * g;
                double mHat = em[i] / (1 - Math.pow(0.9, t));
                double vHat = ev[i] / (1 - Math.pow(0.999, t));
                expected[i] -= 0.1 * mHat / (Math.sqrt(vHat) + 1e-8);
            }
        }
        for (int i = 0; i < 2; i++) {
            assertThat((double) row[i]).isCloseTo(expected[i], within(1e-5));
            assertThat((double) dense[i]).isCloseTo(expected[i], within(1e-5));
        }
    }

    @Test
    void sparseRowsSumPerRowInEntryOrder() {
        SparseRows rows = new SparseRows(10, 2, 5);
        rows.assign(new int[] {7, 3, 7, -1, 3}, 5);
        assertThat(rows.distinct).isEqualTo(2);
        float[][] grads = {{1, 2}, {10, 20}, {100, 200}, {5, 5}, {1000, 2000}};
        float[] sum = new float[2];
        assertThat(rows.rows[0]).isEqualTo(7);
        rows.sum(0, grads, sum);
        assertThat(sum).containsExactly(101, 202);
        rows.sum(1, grads, sum);
        assertThat(sum).containsExactly(1010, 2020);
        rows.reset();
        rows.assign(new int[] {3, 5, 3, 3}, 4);
        assertThat(rows.rows[0]).isEqualTo(3);
        assertThat(rows.rows[1]).isEqualTo(5);
        float[][] next = {{1, 0}, {2, 0}, {3, 0}, {4, 0}};
        rows.sum(0, next, sum);
        assertThat(sum).containsExactly(8, 0);
        rows.sum(1, next, sum);
        assertThat(sum).containsExactly(2, 0);
        assertThat(rows.slotOf(5)).isEqualTo(1);
        assertThat(rows.slotOf(7)).isEqualTo(-1);
    }
}
