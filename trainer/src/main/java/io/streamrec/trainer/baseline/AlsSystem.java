package io.streamrec.trainer.baseline;

import java.util.Arrays;

/**
 * One row's normal equations {@code (α0 G + Σ v vᵀ + r I) x = Σ v} of {@link ImplicitAls}, accumulated and solved
 * in place by Cholesky. Only the lower triangle of the d×d matrix is kept up to date: the system is symmetric, and
 * the factorisation reads nothing else. A workspace: one per thread, reused row after row, so a solve allocates
 * nothing.
 */
final class AlsSystem {

    private final int d;
    /** Row-major d×d; lower triangle meaningful; after {@link #solveInto} it holds the Cholesky factor L. */
    private final double[] a;
    private final double[] b;

    AlsSystem(int d) {
        this.d = d;
        this.a = new double[d * d];
        this.b = new double[d];
    }

    /** Starts a row: {@code scale · gramian + penalty · I}, right-hand side zero. */
    void reset(double[] gramian, double scale, double penalty) {
        for (int r = 0; r < d; r++) {
            int row = r * d;
            for (int c = 0; c <= r; c++) {
                a[row + c] = scale * gramian[row + c];
            }
            a[row + r] += penalty;
        }
        Arrays.fill(b, 0);
    }

    /**
     * Adds the observed pairs whose other-side vectors are the rows {@code rows[from, to)} of {@code vectors}
     * (d wide), each with target 1. Four rows go through the matrix at a time: the update is bound by loading and
     * storing the matrix, so a rank-4 update costs little more than a rank-1 one.
     */
    void addObserved(double[] vectors, int[] rows, int from, int to) {
        int p = from;
        for (; p + 4 <= to; p += 4) {
            addFour(vectors, rows[p] * d, rows[p + 1] * d, rows[p + 2] * d, rows[p + 3] * d);
        }
        for (; p < to; p++) {
            int offset = rows[p] * d;
            for (int r = 0; r < d; r++) {
                b[r] += vectors[offset + r];
            }
            addOuter(a, vectors, offset, d);
        }
    }

    private void addFour(double[] v, int o0, int o1, int o2, int o3) {
        for (int r = 0; r < d; r++) {
            double x0 = v[o0 + r];
            double x1 = v[o1 + r];
            double x2 = v[o2 + r];
            double x3 = v[o3 + r];
            b[r] += x0 + x1 + x2 + x3;
            int row = r * d;
            for (int c = 0; c <= r; c++) {
                a[row + c] += x0 * v[o0 + c] + x1 * v[o1 + c] + x2 * v[o2 + c] + x3 * v[o3 + c];
            }
        }
    }

    /** Adds v vᵀ, v = {@code vectors[offset, offset + d)}, to the lower triangle of the d×d {@code target}. */
    static void addOuter(double[] target, double[] vectors, int offset, int d) {
        for (int r = 0; r < d; r++) {
            double v = vectors[offset + r];
            int row = r * d;
            for (int c = 0; c <= r; c++) {
                target[row + c] += v * vectors[offset + c];
            }
        }
    }

    /** Solves the system into {@code out[offset, offset + d)}; the matrix is consumed. */
    void solveInto(double[] out, int offset) {
        factor();
        for (int r = 0; r < d; r++) {
            double s = b[r];
            int row = r * d;
            for (int c = 0; c < r; c++) {
                s -= a[row + c] * b[c];
            }
            b[r] = s / a[row + r];
        }
        for (int r = d - 1; r >= 0; r--) {
            double s = b[r];
            for (int c = r + 1; c < d; c++) {
                s -= a[c * d + r] * b[c];
            }
            b[r] = s / a[r * d + r];
        }
        System.arraycopy(b, 0, out, offset, d);
    }

    /** Cholesky–Crout, row by row, so the inner products run along contiguous rows of L. */
    private void factor() {
        for (int r = 0; r < d; r++) {
            int row = r * d;
            for (int c = 0; c <= r; c++) {
                int other = c * d;
                double s = a[row + c];
                for (int k = 0; k < c; k++) {
                    s -= a[row + k] * a[other + k];
                }
                if (c < r) {
                    a[row + c] = s / a[other + c];
                } else if (s > 0) {
                    a[row + r] = Math.sqrt(s);
                } else {
                    throw new IllegalStateException("ALS normal equations not positive definite (pivot " + s + ")");
                }
            }
        }
    }
}
