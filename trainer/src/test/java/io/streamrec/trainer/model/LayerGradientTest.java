package io.streamrec.trainer.model;

import static io.streamrec.trainer.model.GradientCheck.checkAll;
import static io.streamrec.trainer.model.GradientCheck.random;
import static io.streamrec.trainer.model.GradientCheck.weighted;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Finite-difference checks of every layer's backward pass. */
class LayerGradientTest {

    private final SplittableRandom random = new SplittableRandom(7);

    @Test
    void denseBackwardMatchesFiniteDifferences() {
        int in = 7;
        int out = 5;
        int n = 9;
        float[] w = random(in * out, random, 0.5);
        float[] b = random(out, random, 0.5);
        float[] x = random(in * n, random, 1.0);
        float[] c = random(out * n, random, 1.0);
        float[] y = new float[out * n];
        java.util.function.DoubleSupplier loss = () -> {
            Dense.forward(w, 0, b, 0, x, 0, y, 0, in, out, n);
            return weighted(y, c, out * n);
        };
        float[] dw = new float[w.length];
        float[] db = new float[b.length];
        float[] dx = new float[x.length];
        Dense.backward(w, 0, x, 0, c, 0, dx, 0, dw, 0, db, 0, in, out, n, new float[n * in]);
        checkAll("dW", loss, w, dw, 1);
        checkAll("db", loss, b, db, 1);
        checkAll("dx", loss, x, dx, 1);
    }

    @Test
    void denseHonoursOffsets() {
        int in = 4;
        int out = 3;
        int n = 5;
        float[] w = random(in * out + 3, random, 0.5);
        float[] b = random(out + 2, random, 0.5);
        float[] x = random(in * n + 6, random, 1.0);
        float[] c = random(out * n + 1, random, 1.0);
        float[] y = new float[out * n + 4];
        java.util.function.DoubleSupplier loss = () -> {
            Dense.forward(w, 3, b, 2, x, 6, y, 4, in, out, n);
            double s = 0;
            for (int i = 0; i < out * n; i++) {
                s += (double) y[4 + i] * c[1 + i];
            }
            return s;
        };
        float[] dw = new float[w.length];
        float[] db = new float[b.length];
        float[] dx = new float[x.length];
        Dense.backward(w, 3, x, 6, c, 1, dx, 6, dw, 3, db, 2, in, out, n, new float[n * in]);
        checkAll("dW", loss, w, dw, 1);
        checkAll("db", loss, b, db, 1);
        checkAll("dx", loss, x, dx, 1);
    }

    @Test
    void reluBackwardMatchesFiniteDifferences() {
        int n = 40;
        float[] x = random(n, random, 1.0);
        for (int i = 0; i < n; i++) {
            if (Math.abs(x[i]) < 0.05f) {
                x[i] = 0.3f; // keep away from the kink, where the derivative is undefined
            }
        }
        float[] c = random(n, random, 1.0);
        float[] y = new float[n];
        java.util.function.DoubleSupplier loss = () -> {
            System.arraycopy(x, 0, y, 0, n);
            Relu.forward(y, 0, n);
            return weighted(y, c, n);
        };
        loss.getAsDouble();
        float[] dx = c.clone();
        Relu.backward(y, 0, dx, 0, n);
        checkAll("dx", loss, x, dx, 1);
    }

    @Test
    void softmaxGateBackwardMatchesFiniteDifferences() {
        int f = 6;
        int n = 7;
        float[] w = random(f * f, random, 0.7);
        float[] b = random(f, random, 0.5);
        float[] x = random(f * n, random, 1.0);
        float[] c = random(f * n, random, 1.0);
        float[] a = new float[f * n];
        float[] y = new float[f * n];
        float[] scratch = new float[f * n * 2];
        java.util.function.DoubleSupplier loss = () -> {
            SoftmaxGate.forward(w, 0, b, 0, x, 0, a, 0, y, 0, f, n, scratch);
            return weighted(y, c, f * n);
        };
        loss.getAsDouble();
        float[] dw = new float[w.length];
        float[] db = new float[b.length];
        float[] dx = new float[x.length];
        SoftmaxGate.backward(w, 0, x, 0, a, 0, c, 0, dx, 0, dw, 0, db, 0, f, n, new float[f * n], scratch);
        checkAll("dW", loss, w, dw, 1);
        checkAll("db", loss, b, db, 1);
        checkAll("dx", loss, x, dx, 1);
    }

    @Test
    void targetAttentionBackwardMatchesFiniteDifferences() {
        int m = 5;
        int d = 6;
        float scale = 0.8f;
        float[] keys = random(m * d, random, 1.0);
        float[] bias = random(m, random, 0.5);
        float[] q = random(d, random, 1.0);
        float[] c = random(d, random, 1.0);
        float[] base = random(d, random, 1.0);
        float[] keysT = new float[m * d];
        float[] alpha = new float[m];
        float[] z = new float[d];
        java.util.function.DoubleSupplier loss = () -> {
            Kernels.transpose(keys, 0, m, d, keysT, 0);
            System.arraycopy(base, 0, z, 0, d);
            TargetAttention.forward(keys, 0, keysT, 0, bias, 0, q, 0, scale, m, d, alpha, 0, z, 0);
            return weighted(z, c, d);
        };
        loss.getAsDouble();
        float[] dq = new float[d];
        float[] dKeys = new float[m * d];
        float[] dBias = new float[m];
        TargetAttention.backward(keys, 0, keysT, 0, q, 0, scale, m, d, alpha, 0, c, 0, dq, 0, dKeys, 0, dBias, 0,
                new float[m]);
        checkAll("dq", loss, q, dq, 1);
        checkAll("dKeys", loss, keys, dKeys, 1);
        checkAll("dBias", loss, bias, dBias, 1);
    }

    @Test
    void logLossGradientMatchesFiniteDifferences() {
        int n = 12;
        float[] logit = random(n, random, 3.0);
        float[] label = new float[n];
        for (int i = 0; i < n; i += 2) {
            label[i] = 1f;
        }
        float[] grad = new float[n];
        java.util.function.DoubleSupplier loss = () -> LogLoss.forwardBackward(logit, label, new float[n], n, 1f);
        LogLoss.forwardBackward(logit, label, grad, n, 1f);
        checkAll("dLogit", loss, logit, grad, 1);
    }
}
