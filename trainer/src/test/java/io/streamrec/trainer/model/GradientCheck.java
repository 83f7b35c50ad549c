package io.streamrec.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/** Central finite differences against analytic gradients. */
final class GradientCheck {

    /** Small enough that perturbations rarely push a ReLU input across zero, large enough for float precision. */
    static final float EPS = 2e-3f;

    private GradientCheck() {}

    static float[] random(int n, SplittableRandom random, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }

    /** Numerical derivative of {@code loss} with respect to {@code param[index]}. */
    static double numeric(DoubleSupplier loss, float[] param, int index) {
        float saved = param[index];
        param[index] = saved + EPS;
        double plus = loss.getAsDouble();
        param[index] = saved - EPS;
        double minus = loss.getAsDouble();
        param[index] = saved;
        return (plus - minus) / (2 * EPS);
    }

    /** Checks every entry (or every {@code stride}-th) of {@code param}. */
    static void checkAll(String what, DoubleSupplier loss, float[] param, float[] analytic, int stride) {
        for (int i = 0; i < param.length; i += stride) {
            check(what + "[" + i + "]", numeric(loss, param, i), analytic[i]);
        }
    }

    static void check(String what, double numeric, double analytic) {
        double tolerance = 2e-3 + 2e-2 * Math.max(Math.abs(numeric), Math.abs(analytic));
        assertThat(Math.abs(numeric - analytic))
                .as("%s: numeric %.6f vs analytic %.6f", what, numeric, analytic)
                .isLessThanOrEqualTo(tolerance);
    }

    /** {@code Σ c_i y_i} in double: a loss whose gradient with respect to y is c. */
    static double weighted(float[] y, float[] c, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) y[i] * c[i];
        }
        return s;
    }
}
