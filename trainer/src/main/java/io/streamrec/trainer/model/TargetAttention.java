package io.streamrec.trainer.model;

/**
 * Attention over a user's history for one query: the candidate item (NAIS/DIN style, one pass per
 * (history, candidate) pair) or the recent-item query (one pass per history); see {@link AttentionQuery}.
 *
 * <p>Given keys {@code k_j} (one row per non-padding history slot, {@code keys[j]}, and optionally
 * the transpose {@code keysT[c][j]}), per-slot biases {@code β_j} and the query {@code q}:
 * <pre>
 *   s_j = β_j + scale · (q · k_j)        α = softmax(s) over the m slots        z += Σ_j α_j k_j
 * </pre>
 * With no slots ({@code m = 0}) nothing is added. The products {@code q · k_j} run as vectorised updates
 * over the transposed keys when they are given, which pays when several queries share one set of keys (the
 * candidate query); without them ({@code keysT == null}) as one dot product per key, cheaper than
 * transposing the keys for a single query. Stateless.
 */
final class TargetAttention {

    private TargetAttention() {}

    /**
     * Forward pass.
     *
     * @param alpha receives the {@code m} attention weights
     * @param z     the pooled keys are added to {@code z[0, d)}
     */
    static void forward(float[][] keys, float[][] keysT, float[] slotBias, float[] q, float scale,
                               int m, int d, float[] alpha, float[] z) {
        if (m == 0) {
            return;
        }
        if (keysT == null) {
            for (int j = 0; j < m; j++) {
                alpha[j] = slotBias[j] + scale * Kernels.dot(q, keys[j], d);
            }
        } else {
            System.arraycopy(slotBias, 0, alpha, 0, m);
            for (int c = 0; c < d; c++) {
                Kernels.axpy(scale * q[c], keysT[c], alpha, m);
            }
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < m; j++) {
            max = Math.max(max, alpha[j]);
        }
        float total = 0;
        for (int j = 0; j < m; j++) {
            float e = (float) Math.exp(alpha[j] - max);
            alpha[j] = e;
            total += e;
        }
        float inv = 1f / total;
        for (int j = 0; j < m; j++) {
            alpha[j] *= inv;
            Kernels.axpy(alpha[j], keys[j], z, d);
        }
    }

    /**
     * Backward pass for the gradient {@code dz} of the pooled vector.
     *
     * @param dq        {@code dL/dq} is added here
     * @param dKeys     {@code dL/dk_j} is added to row {@code j}
     * @param dSlotBias {@code dL/dβ_j} is added at {@code j}
     * @param scratch   at least {@code m} floats
     */
    static void backward(float[][] keys, float[][] keysT, float[] q, float scale, int m, int d,
                                float[] alpha, float[] dz, float[] dq, float[][] dKeys, float[] dSlotBias,
                                float[] scratch) {
        if (m == 0) {
            return;
        }
        if (keysT == null) {
            for (int j = 0; j < m; j++) {
                scratch[j] = Kernels.dot(dz, keys[j], d);
            }
        } else {
            java.util.Arrays.fill(scratch, 0, m, 0f);
            for (int c = 0; c < d; c++) {
                Kernels.axpy(dz[c], keysT[c], scratch, m);
            }
        }
        float mean = Kernels.dot(alpha, scratch, m);
        for (int j = 0; j < m; j++) {
            float a = alpha[j];
            float ds = a * (scratch[j] - mean);
            dSlotBias[j] += ds;
            Kernels.axpy(scale * ds, keys[j], dq, d);
            float[] dk = dKeys[j];
            float g = scale * ds;
            for (int c = 0; c < d; c++) {
                dk[c] += g * q[c] + a * dz[c];
            }
        }
    }
}
