package io.streamrec.trainer.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.parallel.WorkerPool;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Ease} against the closed form computed by hand and by a direct inverse. */
class EaseTest {

    /** Builds interactions from per-user item lists (user u = index + 1), one second apart. */
    static Interactions interactions(int numItems, int[]... rows) {
        Interactions.Builder builder = new Interactions.Builder(rows.length, numItems, 16);
        for (int u = 0; u < rows.length; u++) {
            for (int t = 0; t < rows[u].length; t++) {
                builder.add(u + 1, rows[u][t], t);
            }
        }
        return builder.build();
    }

    /**
     * With two items the regression of item j on item i alone is {@code B[i][j] = co / (n_i + lambda)}: here
     * n_1 = 4, n_2 = 3, co = 2, and the repeated interaction of user 1 counts once.
     */
    @Test
    void twoItemsMatchTheHandFormula() {
        Interactions train = interactions(2, new int[] {1, 2, 1}, new int[] {1}, new int[] {2, 1}, new int[] {2},
                new int[] {1});
        try (WorkerPool pool = new WorkerPool(1)) {
            ItemItemModel model = Ease.fit(train, 1.0, 3, pool);
            assertThat(model.weight(1, 2)).isCloseTo(2f / 5f, within(1e-6f));
            assertThat(model.weight(2, 1)).isCloseTo(2f / 4f, within(1e-6f));
            assertThat(model.weight(1, 1)).isZero();
            assertThat(model.weight(2, 2)).isZero();
            assertThat(model.kind()).isEqualTo(ItemItemModel.Kind.EASE);
            assertThat(model.hyperparameters()).containsEntry("model.lambda", "1.0");
        }
    }

    @Test
    void equalsTheClosedFormByADirectInverseWithAZeroDiagonal() {
        int n = 7;
        double lambda = 2.5;
        Interactions train = randomInteractions(60, n, 11);
        double[][] gram = gram(train, lambda);
        double[][] p = GaussJordan.inverse(gram);
        for (int threads : new int[] {1, 2}) {
            try (WorkerPool pool = new WorkerPool(threads)) {
                ItemItemModel model = Ease.fit(train, lambda, 4, pool);
                for (int i = 1; i <= n; i++) {
                    assertThat(model.weight(i, i)).as("diagonal %d", i).isZero();
                    assertThat(model.weight(0, i)).isZero();
                    assertThat(model.weight(i, 0)).isZero();
                    for (int j = 1; j <= n; j++) {
                        double expected = i == j ? 0 : -p[i - 1][j - 1] / p[j - 1][j - 1];
                        assertThat((double) model.weight(i, j)).as("B[%d][%d] on %d threads", i, j, threads)
                                .isCloseTo(expected, within(1e-6));
                    }
                }
            }
        }
    }

    /**
     * The constrained ridge problem's optimality conditions, a check that needs no inverse:
     * {@code ((X^T X + lambda I) B - X^T X)[i][j] = 0} for every {@code i != j}.
     */
    @Test
    void satisfiesTheOptimalityConditions() {
        int n = 12;
        double lambda = 4.0;
        Interactions train = randomInteractions(200, n, 3);
        double[][] regularised = gram(train, lambda);
        try (WorkerPool pool = new WorkerPool(2)) {
            ItemItemModel model = Ease.fit(train, lambda, 4, pool);
            double worst = 0;
            for (int i = 1; i <= n; i++) {
                for (int j = 1; j <= n; j++) {
                    if (i == j) {
                        continue;
                    }
                    double sum = 0;
                    for (int k = 1; k <= n; k++) {
                        sum += regularised[i - 1][k - 1] * model.weight(k, j);
                    }
                    double gram = regularised[i - 1][j - 1];
                    worst = Math.max(worst, Math.abs(sum - gram) / (1 + Math.abs(gram)));
                }
            }
            assertThat(worst).isLessThan(1e-5);
        }
    }

    @Test
    void refusesBadSettingsAndHugeCatalogues() {
        Interactions train = interactions(2, new int[] {1, 2});
        Interactions huge = interactions(ItemItemModel.MAX_ITEMS + 1, new int[] {1, 2});
        try (WorkerPool pool = new WorkerPool(1)) {
            assertThatThrownBy(() -> Ease.fit(train, 0, 3, pool)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Ease.fit(train, Double.NaN, 3, pool)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Ease.fit(train, Double.POSITIVE_INFINITY, 3, pool))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Ease.fit(train, 1, 0, pool)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Ease.fit(huge, 1, 3, pool)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(Integer.toString(ItemItemModel.MAX_ITEMS + 1));
        }
    }

    /** Users with 1..n/2 random items each, some repeated. */
    static Interactions randomInteractions(int users, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[][] rows = new int[users][];
        for (int u = 0; u < users; u++) {
            rows[u] = random.ints(1 + random.nextInt(n / 2 + 1), 1, n + 1).toArray();
        }
        return interactions(n, rows);
    }

    /** {@code X^T X + lambda I} straight from the definition, item i at index i - 1. */
    static double[][] gram(Interactions train, double lambda) {
        int n = train.numItems();
        double[][] g = new double[n][n];
        for (int u = 1; u <= train.numUsers(); u++) {
            boolean[] has = new boolean[n + 1];
            for (int item : train.itemsOf(u)) {
                has[item] = true;
            }
            for (int i = 1; i <= n; i++) {
                for (int j = 1; j <= n; j++) {
                    g[i - 1][j - 1] += has[i] && has[j] ? 1 : 0;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            g[i][i] += lambda;
        }
        return g;
    }

    /** Gauss-Jordan elimination with partial pivoting: an inverse independent of the library under test. */
    static final class GaussJordan {

        private GaussJordan() {
        }

        static double[][] inverse(double[][] a) {
            int n = a.length;
            double[][] m = new double[n][2 * n];
            for (int i = 0; i < n; i++) {
                System.arraycopy(a[i], 0, m[i], 0, n);
                m[i][n + i] = 1;
            }
            for (int col = 0; col < n; col++) {
                int pivot = col;
                for (int r = col + 1; r < n; r++) {
                    if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                        pivot = r;
                    }
                }
                double[] swap = m[col];
                m[col] = m[pivot];
                m[pivot] = swap;
                double scale = m[col][col];
                for (int c = 0; c < 2 * n; c++) {
                    m[col][c] /= scale;
                }
                for (int r = 0; r < n; r++) {
                    double factor = m[r][col];
                    if (r != col && factor != 0) {
                        for (int c = 0; c < 2 * n; c++) {
                            m[r][c] -= factor * m[col][c];
                        }
                    }
                }
            }
            double[][] inverse = new double[n][n];
            for (int i = 0; i < n; i++) {
                System.arraycopy(m[i], n, inverse[i], 0, n);
            }
            return inverse;
        }
    }
}
