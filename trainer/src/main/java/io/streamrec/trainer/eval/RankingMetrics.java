package io.streamrec.trainer.eval;

/**
 * Top-K ranking quality averaged over held-out (user, target) pairs.
 *
 * @param k       cut-off
 * @param hitRate HR@K for the sampled protocol, Recall@K for the full-catalogue one
 * @param ndcg    NDCG@K
 * @param count   number of pairs (sampled) or users (full catalogue) averaged
 */
public record RankingMetrics(int k, double hitRate, double ndcg, int count) {

    /**
     * Whether these figures rank above {@code other} for model selection: the higher HR@K, NDCG@K breaking ties
     * (what early stopping and the tuning of baselines both choose by).
     */
    public boolean beats(RankingMetrics other) {
        return hitRate > other.hitRate || (hitRate == other.hitRate && ndcg > other.ndcg);
    }

    @Override
    public String toString() {
        return String.format("HR@%d=%.4f NDCG@%d=%.4f (n=%d)", k, hitRate, k, ndcg, count);
    }
}
