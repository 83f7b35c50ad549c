/**
 * Baselines the model family is measured against, each a {@link io.streamrec.trainer.model.Scorer} like the family:
 * the item-to-item models ({@link io.streamrec.trainer.baseline.ItemItemModel}, fitted by
 * {@link io.streamrec.trainer.baseline.Ease} or {@link io.streamrec.trainer.baseline.ItemKnn} and exported to ONNX
 * with the one serving signature by {@link io.streamrec.trainer.baseline.ItemItemExporter}, variants {@code ease}
 * and {@code item-knn}), and {@link io.streamrec.trainer.baseline.ImplicitAls}, matrix factorisation by alternating
 * least squares.
 *
 * <p>Invariants: feedback is binary (a repeated interaction counts once); item 0 is padding and contributes nothing
 * (an item-item model's row and column 0 are zero); history entries outside {@code 1..N} are padding and candidates
 * outside {@code 1..N} score 0, in Java and in the exported graph alike (parity within 1e-5); a fitted model is
 * immutable and thread-safe; a fit's result does not depend on the pool's thread count, up to float rounding in
 * EASE's inverse. Item-item models are dense, {@code (N+1)^2} floats, so they refuse catalogues over
 * {@link io.streamrec.trainer.baseline.ItemItemModel#MAX_ITEMS} (20,000) items.
 *
 * <p>The linear algebra library, EJML ({@code org.ejml:ejml-ddense}), was chosen by timing the Cholesky-based
 * inverse EASE needs at MovieLens-1M size (2026-12-07): {@code G = X^T X + 500 I} of a synthetic 6,040 x 3,706 binary matrix
 * with 165 Zipf-drawn items per user, on the 2-core development machine while other jobs loaded it (load average 2
 * to 11, so the figures are upper bounds; 7 runs each on 2 threads, in three sessions that ran both libraries back to
 * back under the same load):
 * <table>
 *   <caption>Inverting a 3,706 x 3,706 SPD matrix, seconds, best (median) of the runs</caption>
 *   <tr><th>library</th><th>call</th><th>2 threads</th><th>1 thread</th></tr>
 *   <tr><td>EJML 0.46.1</td><td>{@code LinearSolverFactory_MT_DDRM.chol(n).invert}</td>
 *       <td>11.8 (23.9)</td><td>16.8 (17.5)</td></tr>
 *   <tr><td>ojAlgo 56.2.1</td><td>{@code Cholesky.R064.make(a).decompose(a); getInverse()}</td>
 *       <td>33.6 (44.6)</td><td>32.8 (39.7)</td></tr>
 *   <tr><td>Commons Math 3.6.1</td><td>{@code new CholeskyDecomposition(m).getSolver().getInverse()}</td>
 *       <td>single-threaded</td><td>50.5 (one run)</td></tr>
 * </table>
 * EJML was the faster in every session, by 1.4 to 4.5 times run for run; all three reach
 * {@code max |G P - I| < 2e-14}. Command (a scratch program, with the jars from the local Maven repository):
 * {@code java -Xmx4g -cp ejml-ddense-0.46.1.jar:ejml-core-0.46.1.jar:ojalgo-56.2.1.jar:commons-math3-3.6.1.jar
 * InvertBench.java 3706 6040 165 ejml|ojalgo|cm3 THREADS RUNS}. EJML is also small (ejml-ddense and ejml-core,
 * 0.7 MB, nothing further). On the real MovieLens-1M NCF split (2 threads, load average 9) EASE with
 * {@code lambda} 500 and H = 50 fits in 23.5 s and reaches sampled HR@10 0.697, item-kNN (100 neighbours,
 * shrinkage 10) fits in 0.8 s for 0.634, popularity 0.453; the EASE graph is 55 MB.
 */
package io.streamrec.trainer.baseline;
