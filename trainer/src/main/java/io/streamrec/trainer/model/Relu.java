package io.streamrec.trainer.model;

/** The rectifier {@code max(0, x)}, in place, on feature rows. Stateless. */
public final class Relu {

    private Relu() {}

    /** {@code y = max(0, y)} over {@code y[0, n)}. */
    public static void forward(float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = Math.max(y[i], 0f);
        }
    }

    /** Zeroes {@code dy} where the layer's output {@code y} is not positive (derivative taken as 0 at 0). */
    public static void backward(float[] y, float[] dy, int n) {
        for (int i = 0; i < n; i++) {
            dy[i] = y[i] > 0f ? dy[i] : 0f;
        }
    }
}
