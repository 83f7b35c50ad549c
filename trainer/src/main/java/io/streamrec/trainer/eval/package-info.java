/**
 * Offline ranking evaluation of any {@link io.streamrec.trainer.model.Scorer}:
 * {@link io.streamrec.trainer.eval.Evaluator} computes HR@K and NDCG@K on the sampled (NCF) protocol and
 * Recall@K and NDCG@K on the full catalogue, {@link io.streamrec.trainer.eval.PopularityScorer} is the baseline.
 *
 * <p>Invariant: ties count against the model, so a model that scores everything alike earns nothing. Stateless;
 * work is spread over a {@link io.streamrec.trainer.parallel.WorkerPool} the caller owns. Used by training (early
 * stopping), the refit's publish gate and the benchmark; internal to the trainer.
 */
package io.streamrec.trainer.eval;
