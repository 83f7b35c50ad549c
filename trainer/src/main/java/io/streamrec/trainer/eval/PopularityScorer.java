package io.streamrec.trainer.eval;

import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.model.Scorer;

/**
 * The popularity baseline: an item's score is its number of training interactions, whoever asks.
 * Immutable and thread-safe.
 */
public final class PopularityScorer implements Scorer {

    private final float[] counts;

    private PopularityScorer(float[] counts) {
        this.counts = counts;
    }

    /** Counts every interaction in {@code train}. */
    public static PopularityScorer fit(Interactions train) {
        float[] counts = new float[train.numItems() + 1];
        for (int p = 0; p < train.size(); p++) {
            counts[train.itemAt(p)]++;
        }
        return new PopularityScorer(counts);
    }

    @Override
    public int historyLength() {
        return 0;
    }

    @Override
    public void score(int[] users, int[][] histories, int[][] candidates, float[][] out) {
        for (int b = 0; b < candidates.length; b++) {
            int[] c = candidates[b];
            for (int j = 0; j < c.length; j++) {
                out[b][j] = c[j] > 0 && c[j] < counts.length ? counts[c[j]] : 0f;
            }
        }
    }
}
