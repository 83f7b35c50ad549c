package io.streamrec.trainer.model;

/**
 * Small dense kernels written so that HotSpot's C2 compiler vectorises them: every hot loop is an
 * element-wise "axpy" over contiguous memory, never a floating-point reduction (which C2 keeps
 * scalar to preserve the summation order). Stateless.
 */
public final class Kernels {

    private Kernels() {}

    /** {@code y[yo + i] += a * x[xo + i]} for {@code i < n}. */
    public static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] += a * x[xo + i];
        }
    }

    /** {@code y[yo + i] = x[xo + i] * z[zo + i]} for {@code i < n}. */
    public static void multiply(float[] x, int xo, float[] z, int zo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] = x[xo + i] * z[zo + i];
        }
    }

    /** {@code y[yo + i] += x[xo + i] * z[zo + i]} for {@code i < n}. */
    public static void multiplyAdd(float[] x, int xo, float[] z, int zo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] += x[xo + i] * z[zo + i];
        }
    }

    /** {@code y[yo + i] += x[xo + i]} for {@code i < n}. */
    public static void add(float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] += x[xo + i];
        }
    }

    /**
     * Sum of {@code x[xo, xo + n)} in a fixed order (four interleaved partial sums, then combined),
     * used only where the vector is short relative to the surrounding work.
     */
    public static float sum(float[] x, int xo, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += x[xo + i];
            s1 += x[xo + i + 1];
            s2 += x[xo + i + 2];
            s3 += x[xo + i + 3];
        }
        for (; i < n; i++) {
            s0 += x[xo + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Dot product in the same fixed order as {@link #sum}. */
    public static float dot(float[] x, int xo, float[] y, int yo, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += x[xo + i] * y[yo + i];
            s1 += x[xo + i + 1] * y[yo + i + 1];
            s2 += x[xo + i + 2] * y[yo + i + 2];
            s3 += x[xo + i + 3] * y[yo + i + 3];
        }
        for (; i < n; i++) {
            s0 += x[xo + i] * y[yo + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Transposes a row-major {@code rows x cols} block at {@code src[so]} into a row-major
     * {@code cols x rows} block at {@code dst[dOff]}.
     */
    public static void transpose(float[] src, int so, int rows, int cols, float[] dst, int dOff) {
        for (int r = 0; r < rows; r++) {
            int s = so + r * cols;
            for (int c = 0; c < cols; c++) {
                dst[dOff + c * rows + r] = src[s + c];
            }
        }
    }
}
