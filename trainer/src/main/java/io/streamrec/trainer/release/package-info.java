/**
 * Model releases as the trainer makes them: {@link io.streamrec.trainer.release.ReleaseBuilder} turns a trained
 * model ({@link io.streamrec.trainer.release.ReleaseRequest}) into a signed {@code ModelRelease}, with its graph
 * inline or in the {@link io.streamrec.trainer.release.ArtifactStore}
 * ({@link io.streamrec.trainer.release.ReleaseSettings}; older releases' files pruned by
 * {@link io.streamrec.trainer.release.ArtifactRetention}),
 * and {@link io.streamrec.trainer.release.Provenance}, {@link io.streamrec.trainer.release.Hyperparameters} and
 * {@link io.streamrec.trainer.release.CodeVersion} for what it records; signing keys
 * ({@link io.streamrec.trainer.release.SigningKeys}, {@code trainer keygen}), which releases are this trainer's
 * own ({@link io.streamrec.trainer.release.OwnReleases}), verification of releases read back
 * ({@link io.streamrec.trainer.release.ReleaseGraphs}) and rollback by republishing
 * ({@link io.streamrec.trainer.release.ReleaseRepublisher}).
 *
 * <p>Invariants: every release the trainer publishes is signed, and the signature covers the graph through its
 * SHA-256, inline or not; files (artifacts, keys, checkpoints) are replaced atomically
 * ({@link io.streamrec.trainer.release.AtomicFiles}), so a reader never sees half of one; a private key never
 * appears in a log or an error. Builders and stores are immutable and thread-safe.
 *
 * <p>Used by the refit service and the benchmark, by the demo, its deployment tests (key generation) and the
 * streams app's scoring benchmark.
 */
package io.streamrec.trainer.release;
