package io.streamrec.trainer.model;

/**
 * A fully connected layer {@code y = W x + b} on feature-major batches.
 *
 * <p>Layout: {@code W} is row-major {@code [out][in]} at {@code w[wo]}, {@code b} is {@code [out]}
 * at {@code b[bo]}. Activations are feature-major rows: feature {@code k} of the batch is the
 * array {@code x[x0 + k]}, with sample {@code s} at index {@code s}, so every inner loop runs over
 * the batch and vectorises (see {@link Kernels}). Stateless.
 */
final class Dense {

    private Dense() {}

    /** {@code y = W x + b} for the first {@code n} samples. */
    static void forward(float[] w, int wo, float[] b, int bo, float[][] x, int x0, float[][] y, int y0,
                               int in, int out, int n) {
        for (int o = 0; o < out; o++) {
            java.util.Arrays.fill(y[y0 + o], 0, n, b[bo + o]);
        }
        accumulate(w, wo, in, x, x0, y, y0, in, out, n);
    }

    /**
     * {@code y += W x} without a bias, where row {@code o} of {@code W} starts at {@code w[wo + o * stride]}: with a
     * stride wider than {@code in} this multiplies by a block of columns of a wider matrix (one half of a layer
     * whose input is a concatenation).
     */
    static void accumulate(float[] w, int wo, int stride, float[][] x, int x0, float[][] y, int y0, int in,
                                  int out, int n) {
        for (int o = 0; o < out; o++) {
            float[] yr = y[y0 + o];
            int wRow = wo + o * stride;
            int k = 0;
            for (; k + 3 < in; k += 4) {
                float w0 = w[wRow + k];
                float w1 = w[wRow + k + 1];
                float w2 = w[wRow + k + 2];
                float w3 = w[wRow + k + 3];
                float[] a0 = x[x0 + k];
                float[] a1 = x[x0 + k + 1];
                float[] a2 = x[x0 + k + 2];
                float[] a3 = x[x0 + k + 3];
                for (int s = 0; s < n; s++) {
                    yr[s] += w0 * a0[s] + w1 * a1[s] + w2 * a2[s] + w3 * a3[s];
                }
            }
            for (; k < in; k++) {
                Kernels.axpy(w[wRow + k], x[x0 + k], yr, n);
            }
        }
    }

    /**
     * Back-propagates {@code dy} through {@code y = W x + b}: adds the weight gradient to the rows
     * {@code dw[o][k]}, the bias gradient to {@code db[dbo + o]} and, when {@code dx} is not null,
     * {@code W^T dy} to the rows {@code dx[dx0 + k]}.
     *
     * @param xT scratch: at least {@code n} rows of at least {@code in} floats, overwritten
     */
    static void backward(float[] w, int wo, float[][] x, int x0, float[][] dy, int dy0,
                                float[][] dx, int dx0, float[][] dw, float[] db, int dbo,
                                int in, int out, int n, float[][] xT) {
        for (int o = 0; o < out; o++) {
            db[dbo + o] += Kernels.sum(dy[dy0 + o], n);
        }
        Kernels.transpose(x, x0, in, n, xT, 0);
        weightGradient(dy, dy0, xT, 0, in, out, n, dw);
        if (dx != null) {
            inputGradient(w, wo, in, dy, dy0, dx, dx0, in, out, n);
        }
    }

    /**
     * {@code dw[o][off + k] += sum_s dy[dy0 + o][s] * rows[s][off + k]} for {@code k < in}: the weight gradient
     * from SAMPLE-major input rows (a feature-major input is transposed first, see {@link #backward}). The
     * gradient rows use the inputs' offset {@code off}, so every array in the inner loop is indexed alike and
     * the loop vectorises; inputs that already are sample-major rows (embedding rows, one half of them at an
     * offset) need no copy.
     */
    static void weightGradient(float[][] dy, int dy0, float[][] rows, int off, int in, int out, int n,
                                      float[][] dw) {
        int end = off + in;
        int s = 0;
        // Four samples per pass, and the samples outermost: their four input rows stay in L1 while every
        // output's gradient row takes them in, where outputs outermost would stream all n rows from memory once
        // per output.
        for (; s + 3 < n; s += 4) {
            float[] a0 = rows[s];
            float[] a1 = rows[s + 1];
            float[] a2 = rows[s + 2];
            float[] a3 = rows[s + 3];
            for (int o = 0; o < out; o++) {
                float[] g = dy[dy0 + o];
                float g0 = g[s];
                float g1 = g[s + 1];
                float g2 = g[s + 2];
                float g3 = g[s + 3];
                if (g0 == 0f && g1 == 0f && g2 == 0f && g3 == 0f) {
                    continue; // common behind a ReLU
                }
                float[] dwRow = dw[o];
                for (int k = off; k < end; k++) {
                    dwRow[k] += g0 * a0[k] + g1 * a1[k] + g2 * a2[k] + g3 * a3[k];
                }
            }
        }
        for (; s < n; s++) {
            float[] a = rows[s];
            for (int o = 0; o < out; o++) {
                float gs = dy[dy0 + o][s];
                if (gs != 0f) {
                    float[] dwRow = dw[o];
                    for (int k = off; k < end; k++) {
                        dwRow[k] += gs * a[k];
                    }
                }
            }
        }
    }

    /**
     * {@code dx[dx0 + k] += sum_o W[o][k] dy[dy0 + o]} for {@code k < in}, rows of {@code W} starting at
     * {@code w[wo + o * stride]} (see {@link #accumulate}).
     */
    static void inputGradient(float[] w, int wo, int stride, float[][] dy, int dy0, float[][] dx, int dx0,
                                     int in, int out, int n) {
        for (int k = 0; k < in; k++) {
            float[] d = dx[dx0 + k];
            int o = 0;
            for (; o + 3 < out; o += 4) {
                float w0 = w[wo + o * stride + k];
                float w1 = w[wo + (o + 1) * stride + k];
                float w2 = w[wo + (o + 2) * stride + k];
                float w3 = w[wo + (o + 3) * stride + k];
                float[] g0 = dy[dy0 + o];
                float[] g1 = dy[dy0 + o + 1];
                float[] g2 = dy[dy0 + o + 2];
                float[] g3 = dy[dy0 + o + 3];
                for (int s = 0; s < n; s++) {
                    d[s] += w0 * g0[s] + w1 * g1[s] + w2 * g2[s] + w3 * g3[s];
                }
            }
            for (; o < out; o++) {
                Kernels.axpy(w[wo + o * stride + k], dy[dy0 + o], d, n);
            }
        }
    }

    /**
     * Adds the gradient columns {@code dw[o][off + k]}, {@code k < cols}, into the flat array at
     * {@code flat[fo + o * stride + k]} and clears them (see {@link #weightGradient}'s offset).
     */
    static void flushColumns(float[][] dw, int off, float[] flat, int fo, int stride, int cols, int out) {
        for (int o = 0; o < out; o++) {
            float[] row = dw[o];
            int base = fo + o * stride - off;
            for (int k = off; k < off + cols; k++) {
                flat[base + k] += row[k];
                row[k] = 0f;
            }
        }
    }

    /** Adds weight-gradient rows {@code dw[o][k]} into the flat array at {@code flat[fo + o * in + k]} and clears them. */
    static void flush(float[][] dw, float[] flat, int fo, int in, int out) {
        flushColumns(dw, 0, flat, fo, in, in, out);
    }
}
