package io.streamrec.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamrec.trainer.data.HeldOut;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.model.Scorer;
import io.streamrec.trainer.parallel.WorkerPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

    private static final WorkerPool POOL = new WorkerPool(2);

    @AfterAll
    static void close() {
        POOL.close();
    }

    /** Scores item i as -i (lower index ranks higher), or a constant. */
    private static Scorer byIndex(boolean constant) {
        return new Scorer() {
            @Override
            public int historyLength() {
                return 0;
            }

            @Override
            public void score(int[] users, int[][] histories, int[][] candidates, float[][] out) {
                for (int b = 0; b < candidates.length; b++) {
                    for (int c = 0; c < candidates[b].length; c++) {
                        out[b][c] = constant ? 1f : -candidates[b][c];
                    }
                }
            }
        };
    }

    private static HeldOut heldOut(int target, int... negatives) {
        return new HeldOut.Builder(1).targets(1, target).negatives(1, negatives).build();
    }

    private static final Interactions TRAIN = new Interactions.Builder(1, 30, 1).add(1, 30, 0).build();

    @Test
    void rankCountsNegativesScoringAtLeastAsHigh() {
        // target 5 among negatives 1..4 (score higher) and 6..9: rank 4 (0-based), NDCG 1/log2(6)
        RankingMetrics m = Evaluator.sampled(byIndex(false), TRAIN, heldOut(5, 1, 2, 3, 4, 6, 7, 8, 9), 10, POOL);
        assertThat(m.hitRate()).isEqualTo(1.0);
        assertThat(m.ndcg()).isCloseTo(1 / (Math.log(6) / Math.log(2)), within(1e-9));
        RankingMetrics top3 = Evaluator.sampled(byIndex(false), TRAIN, heldOut(5, 1, 2, 3, 4, 6), 3, POOL);
        assertThat(top3.hitRate()).isZero();
    }

    @Test
    void tiesCountAgainstTheModel() {
        RankingMetrics m = Evaluator.sampled(byIndex(true), TRAIN, heldOut(5, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11), 10, POOL);
        assertThat(m.hitRate()).isZero();
        assertThat(m.ndcg()).isZero();
    }

    @Test
    void fullCatalogueExcludesTrainingItemsAndHandlesSeveralTargets() {
        Interactions train = new Interactions.Builder(1, 30, 3).add(1, 1, 0).add(1, 2, 0).build();
        HeldOut targets = new HeldOut.Builder(1).targets(1, 3, 20).build();
        RankingMetrics m = Evaluator.fullCatalogue(byIndex(false), train, targets, 10, POOL);
        // items 1 and 2 are excluded, so 3 ranks first; 20 ranks 17th: recall 1/2, DCG 1, IDCG 1 + 1/log2(3)
        assertThat(m.hitRate()).isCloseTo(0.5, within(1e-9));
        assertThat(m.ndcg()).isCloseTo(1 / (1 + 1 / (Math.log(3) / Math.log(2))), within(1e-9));
    }
}
