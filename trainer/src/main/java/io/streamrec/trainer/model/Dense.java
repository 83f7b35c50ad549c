package io.streamrec.trainer.model;

import java.util.Arrays;

/**
 * A fully connected layer {@code y = W x + b} on feature-major batches.
 *
 * <p>Layout: {@code W} is row-major {@code [out][in]} at {@code w[wo]}, {@code b} is {@code [out]}.
 * Activations are feature-major: feature {@code f} of sample {@code s} of an {@code n}-sample batch
 * lives at {@code x[xo + f * n + s]}, so every inner loop runs over the batch and vectorises.
 * Stateless; thread-safe as long as callers use separate output buffers.
 */
public final class Dense {

    private Dense() {}

    /** {@code y = W x + b}. */
    public static void forward(float[] w, int wo, float[] b, int bo, float[] x, int xo, float[] y, int yo,
                               int in, int out, int n) {
        for (int o = 0; o < out; o++) {
            int yRow = yo + o * n;
            Arrays.fill(y, yRow, yRow + n, b[bo + o]);
            int wRow = wo + o * in;
            int k = 0;
            for (; k + 3 < in; k += 4) {
                float w0 = w[wRow + k];
                float w1 = w[wRow + k + 1];
                float w2 = w[wRow + k + 2];
                float w3 = w[wRow + k + 3];
                int x0 = xo + k * n;
                int x1 = x0 + n;
                int x2 = x1 + n;
                int x3 = x2 + n;
                for (int s = 0; s < n; s++) {
                    y[yRow + s] += w0 * x[x0 + s] + w1 * x[x1 + s] + w2 * x[x2 + s] + w3 * x[x3 + s];
                }
            }
            for (; k < in; k++) {
                Kernels.axpy(w[wRow + k], x, xo + k * n, y, yRow, n);
            }
        }
    }

    /**
     * Back-propagates {@code dy} through {@code y = W x + b}: adds the parameter gradients to
     * {@code dw}/{@code db} and, when {@code dx} is not null, adds {@code W^T dy} to {@code dx}.
     *
     * @param scratch at least {@code n * in} floats, overwritten
     */
    public static void backward(float[] w, int wo, float[] x, int xo, float[] dy, int dyo,
                                float[] dx, int dxo, float[] dw, int dwo, float[] db, int dbo,
                                int in, int out, int n, float[] scratch) {
        for (int o = 0; o < out; o++) {
            db[dbo + o] += Kernels.sum(dy, dyo + o * n, n);
        }
        // dW[o][:] += dy[o][s] * x[:][s]: transposing x to sample-major turns it into axpys over `in`,
        // and samples whose gradient is exactly zero (ReLU-masked) are skipped.
        Kernels.transpose(x, xo, in, n, scratch, 0);
        for (int o = 0; o < out; o++) {
            int dyRow = dyo + o * n;
            int dwRow = dwo + o * in;
            for (int s = 0; s < n; s++) {
                float g = dy[dyRow + s];
                if (g != 0f) {
                    Kernels.axpy(g, scratch, s * in, dw, dwRow, in);
                }
            }
        }
        if (dx == null) {
            return;
        }
        for (int k = 0; k < in; k++) {
            int dxRow = dxo + k * n;
            int o = 0;
            for (; o + 3 < out; o += 4) {
                float w0 = w[wo + o * in + k];
                float w1 = w[wo + (o + 1) * in + k];
                float w2 = w[wo + (o + 2) * in + k];
                float w3 = w[wo + (o + 3) * in + k];
                int d0 = dyo + o * n;
                int d1 = d0 + n;
                int d2 = d1 + n;
                int d3 = d2 + n;
                for (int s = 0; s < n; s++) {
                    dx[dxRow + s] += w0 * dy[d0 + s] + w1 * dy[d1 + s] + w2 * dy[d2 + s] + w3 * dy[d3 + s];
                }
            }
            for (; o < out; o++) {
                Kernels.axpy(w[wo + o * in + k], dy, dyo + o * n, dx, dxRow, n);
            }
        }
    }
}
