package io.streamrec.trainer.baseline;

import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.parallel.WorkerPool;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_MT_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019): the item-item matrix {@code B}
 * that best reconstructs each user's binary item row from the user's other items,
 * {@code min ||X - XB||^2 + lambda ||B||^2} subject to {@code diag(B) = 0}, in closed form:
 * <pre>
 *   G = X^T X + lambda I      (X: users x items, 1 where the user has the item, repeats counted once)
 *   P = G^-1
 *   B = I - P diag(1 / diag(P)),  i.e. B[i][j] = -P[i][j] / P[j][j] off the diagonal, 0 on it
 * </pre>
 * {@code B} becomes the model's {@code W}. {@code G} is counted on the pool ({@link Cooccurrence}) and inverted
 * by EJML's Cholesky solver, since {@code G} is symmetric positive definite for any {@code lambda > 0}.
 *
 * <p>Cost: about {@code N^3} multiply-adds for the factorisation and the inverse, and three to four {@code N x N}
 * double matrices at once ({@code G}, the solver's block-format copies, {@code P}) beside the float {@code W}: about
 * 0.5 GB at MovieLens-1M's 3,706 items (timings in the package documentation), 14 GB at 20,000. Stateless.
 */
public final class Ease {

    private Ease() {
    }

    /**
     * Fits EASE on the distinct (user, item) pairs of {@code train}.
     *
     * @param lambda        the L2 penalty, {@code > 0} (Steck's ML-20M value is 500; it grows with the data)
     * @param historyLength the H the model serves with: the last H items stand in for the user's row
     * @param pool          counts {@code G} and forms {@code B}; with more than one thread the inverse runs on
     *                      EJML's concurrent Cholesky, which uses EJML's own process-wide fork-join pool (this
     *                      class leaves EJML's global thread setting alone, as other code in the JVM may rely on it)
     * @throws IllegalArgumentException on a bad setting or a catalogue over {@link ItemItemModel#MAX_ITEMS}
     */
    public static ItemItemModel fit(Interactions train, double lambda, int historyLength, WorkerPool pool) {
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be positive and finite, got " + lambda);
        }
        if (historyLength < 1) {
            throw new IllegalArgumentException("history length must be >= 1, got " + historyLength);
        }
        int numItems = train.numItems();
        ItemItemModel.requireSupportedSize(numItems);
        DMatrixRMaj inverse = invert(gram(BinaryPairs.of(train), lambda, pool), pool.threads() > 1);
        float[] weights = weights(inverse, numItems, pool);
        return new ItemItemModel(ItemItemModel.Kind.EASE, Map.of("lambda", ItemItemModel.number(lambda)), numItems,
                historyLength, weights);
    }

    /** {@code X^T X + lambda I}, item {@code i} at row and column {@code i - 1}. */
    private static DMatrixRMaj gram(BinaryPairs pairs, double lambda, WorkerPool pool) {
        int n = pairs.numItems;
        DMatrixRMaj gram = new DMatrixRMaj(n, n);
        double[] g = gram.data;
        Cooccurrence.byRowBlocks(pairs, pool, (first, rows, counts) -> {
            for (int r = 0; r < rows; r++) {
                int row = (first + r - 1) * n;
                for (int j = 1; j <= n; j++) {
                    g[row + j - 1] = counts[r * (n + 1) + j];
                }
                g[row + first + r - 1] += lambda;
            }
        });
        return gram;
    }

    private static DMatrixRMaj invert(DMatrixRMaj gram, boolean concurrent) {
        int n = gram.numRows;
        LinearSolverDense<DMatrixRMaj> solver = concurrent ? LinearSolverFactory_MT_DDRM.chol(n)
                : LinearSolverFactory_DDRM.chol(n);
        if (!solver.setA(gram)) {
            throw new IllegalStateException("the Cholesky factorisation of X^T X + lambda I failed: it is positive"
                    + " definite in exact arithmetic, so lambda is too small for the floating-point range");
        }
        DMatrixRMaj inverse = new DMatrixRMaj(n, n);
        solver.invert(inverse);
        return inverse;
    }

    /** {@code B} as the model's {@code (N+1)^2} float {@code W}, padding row and column 0 left zero. */
    private static float[] weights(DMatrixRMaj inverse, int n, WorkerPool pool) {
        double[] p = inverse.data;
        double[] diagonal = new double[n];
        for (int j = 0; j < n; j++) {
            diagonal[j] = p[j * n + j];
        }
        int width = n + 1;
        float[] weights = new float[width * width];
        int tasks = (n + Cooccurrence.ROWS_PER_TASK - 1) / Cooccurrence.ROWS_PER_TASK;
        pool.run(tasks, task -> {
            int to = Math.min(n, (task + 1) * Cooccurrence.ROWS_PER_TASK);
            for (int i = task * Cooccurrence.ROWS_PER_TASK; i < to; i++) {
                for (int j = 0; j < n; j++) {
                    weights[(i + 1) * width + j + 1] = i == j ? 0f : (float) (-p[i * n + j] / diagonal[j]);
                }
            }
        });
        return weights;
    }
}
