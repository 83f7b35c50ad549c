package io.streamrec.trainer.model;

import java.util.Arrays;

/**
 * ANeuMF's attention gate on feature-major batches: {@code a = softmax(W x + b)} over the
 * {@code f} features of each sample, output {@code y = a ⊙ x}. {@code W} is row-major
 * {@code [f][f]}. Because {@code W x = W_p p + W_q q} for {@code x = [p; q]}, the item half of the
 * logits can be precomputed at serving time. Stateless.
 */
final class SoftmaxGate {

    private SoftmaxGate() {}

    /**
     * Computes the gate and the gated output.
     *
     * @param a       receives the attention weights (rows {@code a[0..f)})
     * @param scratch two rows of at least {@code n} floats
     */
    static void forward(float[] w, int wo, float[] b, int bo, float[][] x, int x0, float[][] a,
                               float[][] y, int f, int n, float[][] scratch) {
        Dense.forward(w, wo, b, bo, x, x0, a, 0, f, f, n);
        softmaxOverFeatures(a, f, n, scratch[0], scratch[1]);
        for (int k = 0; k < f; k++) {
            Kernels.multiply(a[k], x[x0 + k], y[k], n);
        }
    }

    /** Softmax across the {@code f} feature rows of every sample, in place. */
    static void softmaxOverFeatures(float[][] s, int f, int n, float[] max, float[] total) {
        Arrays.fill(max, 0, n, Float.NEGATIVE_INFINITY);
        for (int k = 0; k < f; k++) {
            float[] row = s[k];
            for (int i = 0; i < n; i++) {
                max[i] = Math.max(max[i], row[i]);
            }
        }
        Arrays.fill(total, 0, n, 0f);
        for (int k = 0; k < f; k++) {
            float[] row = s[k];
            for (int i = 0; i < n; i++) {
                float e = (float) Math.exp(row[i] - max[i]);
                row[i] = e;
                total[i] += e;
            }
        }
        for (int i = 0; i < n; i++) {
            total[i] = 1f / total[i];
        }
        for (int k = 0; k < f; k++) {
            Kernels.multiply(s[k], total, s[k], n);
        }
    }

    /**
     * Back-propagates {@code dy}: adds {@code dL/dx} to the rows {@code dx[dx0 + k]} and the
     * parameter gradients to {@code dw} rows / {@code db[dbo..]}.
     *
     * @param ds  scratch: {@code f} rows (receives the logits' gradient)
     * @param dot scratch: one row of {@code n}
     * @param xT  scratch for {@link Dense#backward}
     */
    static void backward(float[] w, int wo, float[][] x, int x0, float[][] a, float[][] dy,
                                float[][] dx, int dx0, float[][] dw, float[] db, int dbo,
                                int f, int n, float[][] ds, float[] dot, float[][] xT) {
        // da = dy ⊙ x, dx += dy ⊙ a; ds = a ⊙ (da - <a, da>) per sample.
        Arrays.fill(dot, 0, n, 0f);
        for (int k = 0; k < f; k++) {
            Kernels.multiply(dy[k], x[x0 + k], ds[k], n);
            Kernels.multiplyAdd(dy[k], a[k], dx[dx0 + k], n);
            Kernels.multiplyAdd(a[k], ds[k], dot, n);
        }
        for (int k = 0; k < f; k++) {
            float[] d = ds[k];
            float[] ak = a[k];
            for (int i = 0; i < n; i++) {
                d[i] = ak[i] * (d[i] - dot[i]);
            }
        }
        Dense.backward(w, wo, x, x0, ds, 0, dx, dx0, dw, db, dbo, f, f, n, xT);
    }
}
