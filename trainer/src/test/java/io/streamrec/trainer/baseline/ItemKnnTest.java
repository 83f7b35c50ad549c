package io.streamrec.trainer.baseline;

import static io.streamrec.trainer.baseline.EaseTest.interactions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.parallel.WorkerPool;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@link ItemKnn}'s similarities, truncation and shrinkage on matrices small enough to work out by hand. */
class ItemKnnTest {

    /**
     * Users {1, 2}, {1, 2, 3}, {2, 3}, {1} (user 1 repeats item 1, which counts once): n_1 = 3, n_2 = 3, n_3 = 2;
     * co(1, 2) = 2, co(1, 3) = 1, co(2, 3) = 2.
     */
    private static final Interactions SMALL = interactions(4, new int[] {1, 2, 1}, new int[] {1, 2, 3},
            new int[] {2, 3}, new int[] {1});

    private static ItemItemModel fit(Interactions train, int neighbours, double shrinkage) {
        try (WorkerPool pool = new WorkerPool(2)) {
            return ItemKnn.fit(train, neighbours, shrinkage, 5, pool);
        }
    }

    @Test
    void cosineSimilaritiesByHand() {
        ItemItemModel model = fit(SMALL, 10, 0);
        assertThat(model.weight(1, 2)).isCloseTo((float) (2 / 3.0), within(1e-7f));
        assertThat(model.weight(2, 1)).isCloseTo((float) (2 / 3.0), within(1e-7f));
        assertThat(model.weight(1, 3)).isCloseTo((float) (1 / Math.sqrt(6)), within(1e-7f));
        assertThat(model.weight(3, 1)).isCloseTo((float) (1 / Math.sqrt(6)), within(1e-7f));
        assertThat(model.weight(2, 3)).isCloseTo((float) (2 / Math.sqrt(6)), within(1e-7f));
        for (int i = 0; i <= 4; i++) {
            assertThat(model.weight(i, i)).as("no item is its own neighbour").isZero();
            assertThat(model.weight(i, 4)).as("item 4 has no users").isZero();
            assertThat(model.weight(4, i)).isZero();
        }
        assertThat(model.kind()).isEqualTo(ItemItemModel.Kind.ITEM_KNN);
        assertThat(model.hyperparameters()).containsEntry("model.neighbours", "10")
                .containsEntry("model.shrinkage", "0.0");
    }

    @Test
    void shrinkageAddsToTheDenominator() {
        ItemItemModel model = fit(SMALL, 10, 1.5);
        assertThat(model.weight(1, 2)).isCloseTo((float) (2 / (3 + 1.5)), within(1e-7f));
        assertThat(model.weight(2, 3)).isCloseTo((float) (2 / (Math.sqrt(6) + 1.5)), within(1e-7f));
    }

    /** With one neighbour each item keeps only its most similar: 1 → 2, 2 → 3, 3 → 2, so W is not symmetric. */
    @Test
    void eachItemKeepsItsTopNeighbours() {
        ItemItemModel model = fit(SMALL, 1, 0);
        assertThat(nonZeroColumns(model, 1)).containsExactly(2);
        assertThat(nonZeroColumns(model, 2)).containsExactly(3);
        assertThat(nonZeroColumns(model, 3)).containsExactly(2);
        float[][] out = new float[1][3];
        model.score(new int[1], new int[][] {{0, 0, 0, 1, 3}}, new int[][] {{1, 2, 3}}, out);
        assertThat(out[0]).as("history items vote for their own neighbours")
                .containsExactly(0f, (float) (2 / 3.0) + (float) (2 / Math.sqrt(6)), 0f);
    }

    /** Items 2 and 3 are equally similar to item 1 (each co-occurs with it once and has one user): ties go low. */
    @Test
    void tiesKeepTheLowerItem() {
        Interactions train = interactions(3, new int[] {1, 2}, new int[] {1, 3});
        assertThat(nonZeroColumns(fit(train, 1, 0), 1)).containsExactly(2);
        assertThat(nonZeroColumns(fit(train, 2, 0), 1)).containsExactly(2, 3);
    }

    /**
     * Item 1 has 10 users; item 3 shares 1 of them and has no other, item 2 shares 4 and has 20 others. Plain
     * cosine prefers the thinly supported item 3 (1/sqrt(10) = 0.316 over 4/sqrt(240) = 0.258); shrinkage 10 turns
     * that round (0.076 against 0.157).
     */
    @Test
    void shrinkageFavoursWellSupportedNeighbours() {
        int[][] rows = new int[30][];
        for (int u = 0; u < 30; u++) {
            boolean one = u < 10;
            boolean two = u < 4 || u >= 10;
            boolean three = u == 0;
            rows[u] = IntStream.of(one ? 1 : 0, two ? 2 : 0, three ? 3 : 0).filter(i -> i > 0).toArray();
        }
        Interactions train = interactions(3, rows);
        assertThat(nonZeroColumns(fit(train, 1, 0), 1)).containsExactly(3);
        assertThat(nonZeroColumns(fit(train, 1, 10), 1)).containsExactly(2);
    }

    @Test
    void parallelAndSerialFitsAgree() {
        Interactions train = EaseTest.randomInteractions(300, 70, 4);
        ItemItemModel parallel = fit(train, 5, 2);
        try (WorkerPool pool = new WorkerPool(1)) {
            ItemItemModel serial = ItemKnn.fit(train, 5, 2, 5, pool);
            assertThat(parallel.weights()).isEqualTo(serial.weights());
        }
        for (int i = 1; i <= 70; i++) {
            assertThat(nonZeroColumns(parallel, i).length).isLessThanOrEqualTo(5);
        }
    }

    @Test
    void refusesBadSettings() {
        try (WorkerPool pool = new WorkerPool(1)) {
            assertThatThrownBy(() -> ItemKnn.fit(SMALL, 0, 0, 5, pool)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ItemKnn.fit(SMALL, 5, -1, 5, pool)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ItemKnn.fit(SMALL, 5, Double.NaN, 5, pool))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ItemKnn.fit(SMALL, 5, 0, 0, pool)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static int[] nonZeroColumns(ItemItemModel model, int item) {
        float[] row = model.row(item);
        return IntStream.range(0, row.length).filter(j -> row[j] != 0f).toArray();
    }
}
