package io.streamrec.trainer.train;

/**
 * Adam (Kingma and Ba) with lazy updates for embedding tables: a row's moments and value change
 * only in steps whose batch touched it, as in TensorFlow's LazyAdam, so a step costs time in
 * proportion to the rows it touched instead of the whole table. Dense parameters get ordinary Adam.
 * Not thread-safe, except that {@link #updateRow} and {@link #updateDense} may run concurrently on
 * disjoint rows / ranges.
 */
final class LazyAdam {

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final float learningRate;
    private final float l2;
    private int step;
    private float stepSize;
    private float secondMomentCorrection;

    LazyAdam(double learningRate, double l2) {
        this.learningRate = (float) learningRate;
        this.l2 = (float) l2;
    }

    /** Advances the step counter; call once per batch before the updates. */
    void nextStep() {
        step++;
        stepSize = (float) (learningRate / (1 - Math.pow(BETA1, step)));
        secondMomentCorrection = (float) (1.0 / (1 - Math.pow(BETA2, step)));
    }

    /** Updates one embedding row from its summed gradient (all arrays indexed from 0, so this vectorises). */
    void updateRow(float[] row, float[] m, float[] v, float[] grad, int width) {
        float a = stepSize;
        float c2 = secondMomentCorrection;
        float decay = l2;
        for (int c = 0; c < width; c++) {
            float g = grad[c] + decay * row[c];
            float mi = BETA1 * m[c] + (1 - BETA1) * g;
            float vi = BETA2 * v[c] + (1 - BETA2) * g * g;
            m[c] = mi;
            v[c] = vi;
            row[c] -= a * mi / ((float) Math.sqrt(vi * c2) + EPSILON);
        }
    }

    /** Updates one embedding row that the batch did not touch (zero gradient; dense Adam only). */
    void updateUntouchedRow(float[] row, float[] m, float[] v, int width) {
        float a = stepSize;
        float c2 = secondMomentCorrection;
        float decay = l2;
        for (int c = 0; c < width; c++) {
            float g = decay * row[c];
            float mi = BETA1 * m[c] + (1 - BETA1) * g;
            float vi = BETA2 * v[c] + (1 - BETA2) * g * g;
            m[c] = mi;
            v[c] = vi;
            row[c] -= a * mi / ((float) Math.sqrt(vi * c2) + EPSILON);
        }
    }

    /** Updates {@code params[from, to)} from {@code grad[from, to)}, without L2. */
    void updateDense(float[] params, float[] m, float[] v, float[] grad, int from, int to) {
        for (int i = from; i < to; i++) {
            update(params, m, v, i, grad[i]);
        }
    }

    private void update(float[] params, float[] m, float[] v, int i, float g) {
        float mi = BETA1 * m[i] + (1 - BETA1) * g;
        float vi = BETA2 * v[i] + (1 - BETA2) * g * g;
        m[i] = mi;
        v[i] = vi;
        params[i] -= stepSize * mi / ((float) Math.sqrt(vi * secondMomentCorrection) + EPSILON);
    }
}
