/**
 * One read of the compacted interactions topic into a training corpus
 * ({@link io.streamrec.trainer.snapshot.InteractionSnapshotReader},
 * {@link io.streamrec.trainer.snapshot.InteractionSnapshot}):
 * the latest state of every (user, item) pair up to the end offsets taken when the read started, read committed,
 * with tombstones forgetting pairs so a forgotten user leaves training.
 *
 * <p>Invariants: records that cannot be decoded are skipped and counted, never fatal; pairs are kept in
 * primitive arrays so large topics fit. One read per reader call, with a consumer it creates and closes.
 * Used by the refit service only.
 */
package io.streamrec.trainer.snapshot;
