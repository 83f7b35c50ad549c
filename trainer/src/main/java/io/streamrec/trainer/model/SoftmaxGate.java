package io.streamrec.trainer.model;

import java.util.Arrays;

/**
 * ANeuMF's attention gate on feature-major batches: {@code a = softmax(W x + b)} over the
 * {@code f} features of each sample, output {@code y = a ⊙ x}. {@code W} is row-major
 * {@code [f][f]}. Because {@code W x = W_p p + W_q q} for {@code x = [p; q]}, the item half of the
 * logits can be precomputed at serving time. Stateless.
 */
public final class SoftmaxGate {

    private SoftmaxGate() {}

    /**
     * Computes the gate and the gated output.
     *
     * @param a   receives the attention weights (feature-major, {@code f * n})
     * @param max scratch of at least {@code 2 * n} floats
     */
    public static void forward(float[] w, int wo, float[] b, int bo, float[] x, int xo, float[] a, int ao,
                               float[] y, int yo, int f, int n, float[] max) {
        Dense.forward(w, wo, b, bo, x, xo, a, ao, f, f, n);
        softmaxOverFeatures(a, ao, f, n, max);
        for (int k = 0; k < f; k++) {
            Kernels.multiply(a, ao + k * n, x, xo + k * n, y, yo + k * n, n);
        }
    }

    /** Softmax across the {@code f} features of every sample, in place. */
    static void softmaxOverFeatures(float[] s, int so, int f, int n, float[] scratch) {
        Arrays.fill(scratch, 0, n, Float.NEGATIVE_INFINITY);
        for (int k = 0; k < f; k++) {
            int row = so + k * n;
            for (int i = 0; i < n; i++) {
                scratch[i] = Math.max(scratch[i], s[row + i]);
            }
        }
        Arrays.fill(scratch, n, 2 * n, 0f);
        for (int k = 0; k < f; k++) {
            int row = so + k * n;
            for (int i = 0; i < n; i++) {
                float e = (float) Math.exp(s[row + i] - scratch[i]);
                s[row + i] = e;
                scratch[n + i] += e;
            }
        }
        for (int i = 0; i < n; i++) {
            scratch[n + i] = 1f / scratch[n + i];
        }
        for (int k = 0; k < f; k++) {
            Kernels.multiply(s, so + k * n, scratch, n, s, so + k * n, n);
        }
    }

    /**
     * Back-propagates {@code dy}: adds {@code dL/dx} to {@code dx} and the parameter gradients to
     * {@code dw}/{@code db}.
     *
     * @param ds      scratch of {@code f * n} floats (receives the logits' gradient)
     * @param scratch at least {@code n * f} floats
     */
    public static void backward(float[] w, int wo, float[] x, int xo, float[] a, int ao, float[] dy, int dyo,
                                float[] dx, int dxo, float[] dw, int dwo, float[] db, int dbo,
                                int f, int n, float[] ds, float[] scratch) {
        // da = dy ⊙ x, dx += dy ⊙ a; ds = a ⊙ (da - <a, da>) per sample.
        Arrays.fill(scratch, 0, n, 0f);
        for (int k = 0; k < f; k++) {
            int row = k * n;
            Kernels.multiply(dy, dyo + row, x, xo + row, ds, row, n);
            Kernels.multiplyAdd(dy, dyo + row, a, ao + row, dx, dxo + row, n);
            Kernels.multiplyAdd(a, ao + row, ds, row, scratch, 0, n);
        }
        for (int k = 0; k < f; k++) {
            int row = k * n;
            for (int i = 0; i < n; i++) {
                ds[row + i] = a[ao + row + i] * (ds[row + i] - scratch[i]);
            }
        }
        Dense.backward(w, wo, x, xo, ds, 0, dx, dxo, dw, dwo, db, dbo, f, f, n, scratch);
    }
}
