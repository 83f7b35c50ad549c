package io.streamrec.trainer.model;

/** The rectifier {@code max(0, x)}, in place. Stateless. */
public final class Relu {

    private Relu() {}

    /** {@code y = max(0, y)} over {@code y[yo, yo + len)}. */
    public static void forward(float[] y, int yo, int len) {
        for (int i = 0; i < len; i++) {
            y[yo + i] = Math.max(y[yo + i], 0f);
        }
    }

    /**
     * Masks {@code dy} where the layer's output {@code y} is not positive (the derivative of the
     * rectifier, taken as 0 at 0).
     */
    public static void backward(float[] y, int yo, float[] dy, int dyo, int len) {
        for (int i = 0; i < len; i++) {
            dy[dyo + i] = y[yo + i] > 0f ? dy[dyo + i] : 0f;
        }
    }
}
