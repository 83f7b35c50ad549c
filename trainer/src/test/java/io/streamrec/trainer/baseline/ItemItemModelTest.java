package io.streamrec.trainer.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.trainer.parallel.WorkerPool;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The {@link io.streamrec.trainer.model.Scorer} contract of {@link ItemItemModel} on weights set by hand. */
class ItemItemModelTest {

    /** Items 1..3, H = 3; W[i][j] = 10 i + j, so every sum names its rows. Row and column 0 are given junk. */
    private static ItemItemModel handModel() {
        int width = 4;
        float[] w = new float[width * width];
        for (int i = 0; i < width; i++) {
            for (int j = 0; j < width; j++) {
                w[i * width + j] = i == 0 || j == 0 ? 99f : 10 * i + j;
            }
        }
        return new ItemItemModel(ItemItemModel.Kind.EASE, Map.of("lambda", "1.0"), 3, 3, w);
    }

    private static float[][] score(ItemItemModel model, int[][] histories, int[][] candidates) {
        float[][] out = new float[candidates.length][];
        for (int b = 0; b < out.length; b++) {
            out[b] = new float[candidates[b].length];
        }
        model.score(new int[candidates.length], histories, candidates, out);
        return out;
    }

    @Test
    void aScoreIsTheSumOfTheHistoryRows() {
        float[][] out = score(handModel(), new int[][] {{1, 2, 3}, {0, 0, 2}, {0, 2, 2}},
                new int[][] {{1, 2, 3}, {1, 3, 2}, {3}});
        assertThat(out[0]).containsExactly(11 + 21 + 31, 12 + 22 + 32, 13 + 23 + 33);
        assertThat(out[1]).containsExactly(21, 23, 22);
        assertThat(out[2]).as("a repeated history item votes twice").containsExactly(2 * 23);
    }

    @Test
    void paddingAndOutOfRangeHistoryEntriesAddNothing() {
        float[][] out = score(handModel(), new int[][] {{0, 0, 0}, {-1, 4, 1}, {Integer.MIN_VALUE, 1000, 0}},
                new int[][] {{1, 2, 3}, {1, 2, 3}, {1, 2, 3}});
        assertThat(out[0]).containsExactly(0f, 0f, 0f);
        assertThat(out[1]).containsExactly(11f, 12f, 13f);
        assertThat(out[2]).containsExactly(0f, 0f, 0f);
    }

    @Test
    void candidatesOutsideTheCatalogueScoreZero() {
        float[][] out = score(handModel(), new int[][] {{1, 2, 3}}, new int[][] {{0, -3, 4, 1, Integer.MAX_VALUE}});
        assertThat(out[0]).containsExactly(0f, 0f, 0f, 11 + 21 + 31, 0f);
    }

    @Test
    void nullHistoriesAreAllPaddingAndWrongLengthsAreRefused() {
        ItemItemModel model = handModel();
        float[][] out = new float[1][2];
        model.score(new int[1], null, new int[][] {{1, 2}}, out);
        assertThat(out[0]).containsExactly(0f, 0f);
        assertThatThrownBy(() -> model.score(new int[1], new int[][] {{1, 2}}, new int[][] {{1}}, new float[1][1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 3");
    }

    @Test
    void theFewCandidateAndTheCataloguePathsGiveTheSameFloats() {
        int n = 200;
        int h = 7;
        ItemItemModel model = randomModel(n, h, 5);
        SplittableRandom random = new SplittableRandom(6);
        int[][] histories = new int[40][h];
        for (int[] history : histories) {
            for (int j = 0; j < h; j++) {
                history[j] = random.nextInt(n + 6) - 3;
            }
        }
        int[] catalogue = new int[n + 4];
        for (int c = 0; c < catalogue.length; c++) {
            catalogue[c] = c - 2;
        }
        int[][] all = new int[histories.length][];
        int[][] few = new int[histories.length][];
        for (int b = 0; b < histories.length; b++) {
            all[b] = catalogue;
            few[b] = new int[] {catalogue[random.nextInt(catalogue.length)], 1 + random.nextInt(n)};
        }
        float[][] whole = score(model, histories, all);
        float[][] picked = score(model, histories, few);
        for (int b = 0; b < histories.length; b++) {
            for (int c = 0; c < few[b].length; c++) {
                assertThat(picked[b][c]).isEqualTo(whole[b][few[b][c] + 2]);
            }
            assertThat(whole[b][0]).isZero();
        }
    }

    @Test
    void concurrentCallsScoreAsOneCall() {
        ItemItemModel model = randomModel(150, 4, 8);
        int[][] histories = new int[64][];
        int[][] candidates = new int[64][];
        SplittableRandom random = new SplittableRandom(9);
        for (int b = 0; b < 64; b++) {
            histories[b] = random.ints(4, 0, 151).toArray();
            candidates[b] = random.ints(b % 2 == 0 ? 3 : 150, 0, 151).toArray();
        }
        float[][] expected = score(model, histories, candidates);
        float[][] actual = new float[64][];
        try (WorkerPool pool = new WorkerPool(4)) {
            pool.run(64, b -> actual[b] = score(model, new int[][] {histories[b]}, new int[][] {candidates[b]})[0]);
        }
        assertThat(actual).isDeepEqualTo(expected);
    }

    @Test
    void paddingRowAndColumnAreZeroAndCopiesAreCopies() {
        ItemItemModel model = handModel();
        assertThat(model.row(0)).containsOnly(0f);
        for (int i = 1; i <= 3; i++) {
            assertThat(model.weight(i, 0)).isZero();
            assertThat(model.weight(0, i)).isZero();
        }
        assertThat(model.weight(2, 3)).isEqualTo(23f);
        assertThat(model.weight(2, 4)).isZero();
        float[] weights = model.weights();
        assertThat(weights).hasSize(16);
        assertThat(weights[2 * 4 + 3]).isEqualTo(23f);
        weights[2 * 4 + 3] = -1f;
        model.row(2)[3] = -1f;
        assertThat(model.weight(2, 3)).isEqualTo(23f);
        assertThatThrownBy(() -> model.row(4)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void describesItself() {
        ItemItemModel model = handModel();
        assertThat(model.kind().label()).isEqualTo("ease");
        assertThat(ItemItemModel.Kind.ITEM_KNN.label()).isEqualTo("item-knn");
        assertThat(model.numItems()).isEqualTo(3);
        assertThat(model.historyLength()).isEqualTo(3);
        assertThat(model.hyperparameters()).containsExactly(Map.entry("model.variant", "ease"),
                Map.entry("model.history_length", "3"), Map.entry("model.lambda", "1.0"));
        assertThat(model.describe()).isEqualTo("ease lambda=1.0 H=3");
        assertThatThrownBy(() -> model.hyperparameters().put("x", "y"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void refusesCataloguesADenseMatrixCannotHold() {
        assertThatThrownBy(() -> ItemItemModel.requireSupportedSize(ItemItemModel.MAX_ITEMS + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dense").hasMessageContaining("20000").hasMessageContaining("20001");
        assertThatThrownBy(() -> new ItemItemModel(ItemItemModel.Kind.EASE, Map.of(), 3, 3, new float[15]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ItemItemModel(ItemItemModel.Kind.EASE, Map.of(), 3, 0, new float[16]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A model with Gaussian weights, for tests that need a catalogue larger than a hand-made one. */
    static ItemItemModel randomModel(int n, int h, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] w = new float[(n + 1) * (n + 1)];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        return new ItemItemModel(ItemItemModel.Kind.ITEM_KNN, Map.of("neighbours", Integer.toString(n)), n, h, w);
    }
}
