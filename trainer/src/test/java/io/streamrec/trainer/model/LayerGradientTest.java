package io.streamrec.trainer.model;

import static io.streamrec.trainer.model.GradientCheck.checkAll;
import static io.streamrec.trainer.model.GradientCheck.random;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Finite-difference checks of every layer's backward pass. */
class LayerGradientTest {

    private final SplittableRandom random = new SplittableRandom(7);

    private float[][] rows(int count, int n, double scale) {
        float[][] r = new float[count][];
        for (int i = 0; i < count; i++) {
            r[i] = random(n, random, scale);
        }
        return r;
    }

    private static double weighted(float[][] y, float[][] c, int n) {
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += GradientCheck.weighted(y[i], c[i], n);
        }
        return s;
    }

    /** Checks every entry of every row. */
    private static void checkRows(String what, DoubleSupplier loss, float[][] param, float[][] analytic) {
        for (int i = 0; i < param.length; i++) {
            checkAll(what + "[" + i + "]", loss, param[i], analytic[i], 1);
        }
    }

    @Test
    void denseBackwardMatchesFiniteDifferences() {
        int in = 7;
        int out = 5;
        int n = 9;
        float[] w = random(in * out + 3, random, 0.5);
        float[] b = random(out + 2, random, 0.5);
        float[][] x = rows(in + 1, n, 1.0);
        float[][] c = rows(out, n, 1.0);
        float[][] y = new float[out + 2][n];
        DoubleSupplier loss = () -> {
            Dense.forward(w, 3, b, 2, x, 1, y, 2, in, out, n);
            double s = 0;
            for (int o = 0; o < out; o++) {
                s += GradientCheck.weighted(y[2 + o], c[o], n);
            }
            return s;
        };
        float[][] dw = new float[out][in];
        float[] flatDw = new float[w.length];
        float[] db = new float[b.length];
        float[][] dx = new float[in + 1][n];
        Dense.backward(w, 3, x, 1, c, 0, dx, 1, dw, db, 2, in, out, n, new float[n][in]);
        Dense.flush(dw, flatDw, 3, in, out);
        checkAll("dW", loss, w, flatDw, 1);
        checkAll("db", loss, b, db, 1);
        checkRows("dx", loss, x, dx);
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
        DoubleSupplier loss = () -> {
            System.arraycopy(x, 0, y, 0, n);
            Relu.forward(y, n);
            return GradientCheck.weighted(y, c, n);
        };
        loss.getAsDouble();
        float[] dx = c.clone();
        Relu.backward(y, dx, n);
        checkAll("dx", loss, x, dx, 1);
    }

    @Test
    void reluBackwardPassesEveryPositiveOutputAndStopsZeros() {
        float[] y = {0f, Float.MIN_VALUE, 3 * Float.MIN_VALUE, Float.MIN_NORMAL, 1e-30f, 0.5f, 1f, 1e30f, Float.MAX_VALUE,
            Float.POSITIVE_INFINITY};
        float[] dy = new float[y.length];
        java.util.Arrays.fill(dy, -2.5f);
        Relu.backward(y, dy, y.length);
        org.assertj.core.api.Assertions.assertThat(dy[0]).isZero();
        for (int i = 1; i < y.length; i++) {
            org.assertj.core.api.Assertions.assertThat(dy[i]).as("y = %s", y[i]).isEqualTo(-2.5f);
        }
    }

    @Test
    void softmaxGateBackwardMatchesFiniteDifferences() {
        int f = 6;
        int n = 7;
        float[] w = random(f * f, random, 0.7);
        float[] b = random(f, random, 0.5);
        float[][] x = rows(f + 2, n, 1.0);
        float[][] c = rows(f, n, 1.0);
        float[][] a = new float[f][n];
        float[][] y = new float[f][n];
        float[][] scratch = new float[2][n];
        DoubleSupplier loss = () -> {
            SoftmaxGate.forward(w, 0, b, 0, x, 2, a, y, f, n, scratch);
            return weighted(y, c, n);
        };
        loss.getAsDouble();
        float[][] dw = new float[f][f];
        float[] flatDw = new float[w.length];
        float[] db = new float[b.length];
        float[][] dx = new float[f + 2][n];
        SoftmaxGate.backward(w, 0, x, 2, a, c, dx, 2, dw, db, 0, f, n, new float[f][n], new float[n], new float[n][f]);
        Dense.flush(dw, flatDw, 0, f, f);
        checkAll("dW", loss, w, flatDw, 1);
        checkAll("db", loss, b, db, 1);
        checkRows("dx", loss, x, dx);
    }

    /** Both ways of forming the products {@code q · k_j}: over the transposed keys, and as one dot per key. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void targetAttentionBackwardMatchesFiniteDifferences(boolean transposedKeys) {
        int m = 5;
        int d = 6;
        float scale = 0.8f;
        float[][] keys = rows(m, d, 1.0);
        float[] bias = random(m, random, 0.5);
        float[] q = random(d, random, 1.0);
        float[] c = random(d, random, 1.0);
        float[] base = random(d, random, 1.0);
        float[][] keysT = transposedKeys ? new float[d][m] : null;
        float[] alpha = new float[m];
        float[] z = new float[d];
        DoubleSupplier loss = () -> {
            if (transposedKeys) {
                Kernels.transpose(keys, 0, m, d, keysT, 0);
            }
            System.arraycopy(base, 0, z, 0, d);
            TargetAttention.forward(keys, keysT, bias, q, scale, m, d, alpha, z);
            return GradientCheck.weighted(z, c, d);
        };
        loss.getAsDouble();
        float[] dq = new float[d];
        float[][] dKeys = new float[m][d];
        float[] dBias = new float[m];
        TargetAttention.backward(keys, keysT, q, scale, m, d, alpha, c, dq, dKeys, dBias, new float[m]);
        checkAll("dq", loss, q, dq, 1);
        checkRows("dKeys", loss, keys, dKeys);
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
        DoubleSupplier loss = () -> LogLoss.forwardBackward(logit, label, new float[n], n, 1f);
        LogLoss.forwardBackward(logit, label, grad, n, 1f);
        checkAll("dLogit", loss, logit, grad, 1);
    }
}
