/**
 * Training: {@link io.streamrec.trainer.train.Trainer} fits an {@code NcfModel} with the NCF recipe (log loss,
 * sampled negatives, shuffled mini-batches, Adam with lazy embedding-row updates) in parallel shards, with
 * early stopping on a validation split and optional weight averaging; {@link io.streamrec.trainer.train.TrainConfig}
 * holds the hyperparameters, {@link io.streamrec.trainer.train.EpochStats} and
 * {@link io.streamrec.trainer.train.FitResult} what a fit did.
 *
 * <p>Invariants: shard gradients are reduced in a fixed order, and shuffling and sampling depend only on the
 * seed, epoch and position, so a seed and a thread count reproduce the same model bit for bit. A trainer runs
 * one fit at a time and owns its worker threads (close it).
 *
 * <p>Used by the refit service, the release builder's hyperparameters, the benchmark and the demo.
 */
package io.streamrec.trainer.train;
