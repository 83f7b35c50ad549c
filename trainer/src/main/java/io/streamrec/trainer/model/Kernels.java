package io.streamrec.trainer.model;

/**
 * Small dense kernels written so that HotSpot's C2 compiler vectorises them.
 *
 * <p>Two rules make that happen on JDK 17: every hot loop is element-wise ("axpy" style), never a
 * floating-point reduction (which C2 keeps scalar to preserve summation order); and every array in
 * a loop is indexed by the same expression from 0, because C2 before JDK 22 only vectorises a loop
 * when it can prove that all float-array accesses share one alignment. That is why activations are
 * stored as one {@code float[]} per feature row rather than as offsets into one big array.
 * Stateless.
 */
public final class Kernels {

    private Kernels() {}

    /** {@code y[i] += a * x[i]} for {@code i < n}. */
    static void axpy(float a, float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] += a * x[i];
        }
    }

    /** {@code y[i] = a * x[i]} for {@code i < n}. */
    static void scale(float a, float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = a * x[i];
        }
    }

    /** {@code y[i] = x[i] * z[i]} for {@code i < n}. */
    static void multiply(float[] x, float[] z, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = x[i] * z[i];
        }
    }

    /** {@code y[i] += x[i] * z[i]} for {@code i < n}. */
    static void multiplyAdd(float[] x, float[] z, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] += x[i] * z[i];
        }
    }

    /** {@code y[i] += x[i]} for {@code i < n}. */
    public static void add(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] += x[i];
        }
    }

    /**
     * Sum of {@code x[0, n)} in a fixed order (four interleaved partial sums, then combined), used
     * only where the vector is short relative to the surrounding work.
     */
    static float sum(float[] x, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += x[i];
            s1 += x[i + 1];
            s2 += x[i + 2];
            s3 += x[i + 3];
        }
        for (; i < n; i++) {
            s0 += x[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Dot product of {@code x[0, n)} and {@code y[0, n)} in the same fixed order as {@link #sum}. */
    static float dot(float[] x, float[] y, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += x[i] * y[i];
            s1 += x[i + 1] * y[i + 1];
            s2 += x[i + 2] * y[i + 2];
            s3 += x[i + 3] * y[i + 3];
        }
        for (; i < n; i++) {
            s0 += x[i] * y[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Transposes rows {@code src[s0 .. s0 + rows)} (each at least {@code cols} long) into
     * {@code dst[d0 + c][r] = src[s0 + r][c]}.
     */
    static void transpose(float[][] src, int s0, int rows, int cols, float[][] dst, int d0) {
        for (int r = 0; r < rows; r++) {
            float[] row = src[s0 + r];
            for (int c = 0; c < cols; c++) {
                dst[d0 + c][r] = row[c];
            }
        }
    }
}
