package io.streamrec.trainer.model;

/**
 * Attention over a user's history with the candidate item as query (NAIS/DIN style), for one
 * (history, candidate) pair.
 *
 * <p>Given keys {@code k_j} (one per non-padding history slot, row-major {@code [m][d]} plus its
 * transpose {@code [d][m]}), per-slot biases {@code β_j} and the query {@code q}:
 * <pre>
 *   s_j = β_j + scale · (q · k_j)        α = softmax(s) over the m slots        z += Σ_j α_j k_j
 * </pre>
 * With no slots ({@code m = 0}) nothing is added. Stateless.
 */
public final class TargetAttention {

    private TargetAttention() {}

    /**
     * Forward pass.
     *
     * @param alpha receives the {@code m} attention weights at {@code alpha[ao]}
     * @param z     the pooled keys are added to {@code z[zo, zo + d)}
     */
    public static void forward(float[] keys, int ko, float[] keysT, int kto, float[] slotBias, int bo,
                               float[] q, int qo, float scale, int m, int d,
                               float[] alpha, int ao, float[] z, int zo) {
        if (m == 0) {
            return;
        }
        System.arraycopy(slotBias, bo, alpha, ao, m);
        for (int c = 0; c < d; c++) {
            Kernels.axpy(scale * q[qo + c], keysT, kto + c * m, alpha, ao, m);
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < m; j++) {
            max = Math.max(max, alpha[ao + j]);
        }
        float total = 0;
        for (int j = 0; j < m; j++) {
            float e = (float) Math.exp(alpha[ao + j] - max);
            alpha[ao + j] = e;
            total += e;
        }
        float inv = 1f / total;
        for (int j = 0; j < m; j++) {
            alpha[ao + j] *= inv;
            Kernels.axpy(alpha[ao + j], keys, ko + j * d, z, zo, d);
        }
    }

    /**
     * Backward pass for the gradient {@code dz} of the pooled vector.
     *
     * @param dq        {@code dL/dq} is added at {@code dq[dqo]}
     * @param dKeys     {@code dL/dk_j} is added at {@code dKeys[dko + j * d]}
     * @param dSlotBias {@code dL/dβ_j} is added at {@code dSlotBias[dbo + j]}
     * @param scratch   at least {@code m} floats
     */
    public static void backward(float[] keys, int ko, float[] keysT, int kto, float[] q, int qo, float scale,
                                int m, int d, float[] alpha, int ao, float[] dz, int dzo,
                                float[] dq, int dqo, float[] dKeys, int dko, float[] dSlotBias, int dbo,
                                float[] scratch) {
        if (m == 0) {
            return;
        }
        java.util.Arrays.fill(scratch, 0, m, 0f);
        for (int c = 0; c < d; c++) {
            Kernels.axpy(dz[dzo + c], keysT, kto + c * m, scratch, 0, m);
        }
        float mean = Kernels.dot(alpha, ao, scratch, 0, m);
        for (int j = 0; j < m; j++) {
            float a = alpha[ao + j];
            float ds = a * (scratch[j] - mean);
            dSlotBias[dbo + j] += ds;
            Kernels.axpy(scale * ds, keys, ko + j * d, dq, dqo, d);
            Kernels.axpy(scale * ds, q, qo, dKeys, dko + j * d, d);
            Kernels.axpy(a, dz, dzo, dKeys, dko + j * d, d);
        }
    }
}
