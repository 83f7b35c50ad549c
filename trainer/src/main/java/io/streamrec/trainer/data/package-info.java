/**
 * Interaction data as the trainer learns from it: {@link io.streamrec.trainer.data.Interactions} in
 * compressed sparse rows (each user's row oldest first), {@link io.streamrec.trainer.data.Vocabulary}
 * mapping external ids to model indices, held-out targets with sampled negatives
 * ({@link io.streamrec.trainer.data.HeldOut}) and the splits that make them
 * ({@link io.streamrec.trainer.data.Splits}); readers for public datasets (MovieLens, the NCF paper's split,
 * Last.fm) and a {@link io.streamrec.trainer.data.SyntheticGenerator} for corpora with realistic structure.
 *
 * <p>Invariants: index 0 is reserved (unknown user, padding item) and real entries occupy {@code 1..size}, the
 * index convention of the ONNX release contract; data is held in primitive arrays, never boxed per
 * interaction. The data types are immutable and thread-safe once built (their builders belong to one thread);
 * accessors that return arrays return copies.
 *
 * <p>Used throughout the trainer, by the demo (synthetic corpora for its runs and benchmarks) and by the
 * streams app's scoring benchmark.
 */
package io.streamrec.trainer.data;
