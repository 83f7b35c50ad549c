package io.streamrec.trainer.export;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The history-attentive variant's attention over the {@code history} input [B, H] (0 = padding, most recent
 * last), shared by both queries ({@link RecentQueryUserSide}, {@link CandidateQueryScores}); see
 * {@code NcfModel}. Emits, when constructed, the history's validity mask and keys {@code k_j = V[h_j] + E[r_j]}
 * per branch, padding keys zeroed, and the logits' keys {@code [k_g | 0 | k_m | β]}: the slot bias rides in the
 * logits' matrix product as a key column against a constant-1 query column, masked to {@link #MASKED_LOGIT} on
 * padding; on demand, the softmax over the slots and the values the attention pools.
 *
 * <p>Invariants: history entries outside {@code 1..N} are padding; the position tables are reversed into slot
 * order once, here (slot j holds the item of recency {@code H - 1 - j}); an all-padding history gets a uniform
 * softmax over zero keys, so it contributes nothing, as in the trainer. Queries have width
 * {@link #queryWidth()} and are laid out by {@link #queryLayout}.
 */
final class HistoryAttention {

    /**
     * The attention logit of a padding slot. Finite, not -inf: with an all-padding history every slot is
     * masked, and -inf would make the softmax NaN; with finite masking it is uniform over keys that are zero.
     */
    static final float MASKED_LOGIT = -1e9f;

    /**
     * The history's keys.
     *
     * @param valid     [B, H] float, 1 on the slots that hold an item of the vocabulary
     * @param history   [B, H] the history with padding and unknown items as 0
     * @param gmfKeys   [B, H, Dg+1] (a trailing zero column, the slot of the pooled values' constant 1), or null
     * @param mlpKeys   [B, H, Dm], or null
     * @param logitKeys [B, H, K], K = {@link #queryWidth()}
     */
    record Keys(ONNXRef<?> valid, ONNXRef<?> history, ONNXRef<?> gmfKeys, ONNXRef<?> mlpKeys,
                ONNXRef<?> logitKeys) {
    }

    private final ServingGraph graph;
    private final GraphWriter g;
    private final int h;
    private final Keys keys;
    private ONNXRef<?> historyUser;

    /** Adds the history's mask and keys to the graph. */
    HistoryAttention(ServingGraph graph) {
        this.graph = graph;
        this.g = graph.g;
        this.h = graph.config.historyLength();
        this.keys = buildKeys();
    }

    Keys keys() {
        return keys;
    }

    /**
     * An upper bound of the spread (max - min) of a pooled user's gate logits {@code W_a,z z_m} (for
     * {@link FactoredGateLayer#applies}): {@code u_k - u_l = (w_k - w_l) · z_m}, and
     * {@code |z_m| <= |p_m| + max |V_m[i] + E_m[r]|} since the attention weights sum to 1.
     */
    static double gateLogitSpreadBound(ServingGraph graph) {
        int f = 2 * graph.dm;
        double ownNorm = graph.config.userEmbedding() ? TableMath.maxRowNorm(graph.values("user_embedding"),
                graph.users + 1, graph.width, graph.dg, graph.width) : 0.0;
        double pooled = ownNorm + TableMath.maxSumNorm(graph.values("history_embedding"), graph.items + 1,
                graph.values("position_embedding"), graph.config.historyLength(), graph.width, graph.dg, graph.width);
        return TableMath.maxRowDistance(graph.values("gate_weight"), f, f, 0, graph.dm) * pooled;
    }

    private Keys buildKeys() {
        ONNXRef<?> historyInput = graph.historyInput;
        ONNXRef<?> zero = g.scalar("zero", 0L);
        ONNXRef<?> positive = g.op(ONNXOperators.GREATER, "history_positive", historyInput, zero);
        ONNXRef<?> inVocabulary = g.op(ONNXOperators.LESS_OR_EQUAL, "history_in_vocabulary", historyInput,
                g.scalar("history_max", (long) graph.items));
        ONNXRef<?> valid = g.op(ServingOps.AND, "history_valid", positive, inVocabulary);       // [B, H]
        ONNXRef<?> history = g.op(ONNXOperators.WHERE, "history_index", valid, historyInput, zero);
        ONNXRef<?> validFloat = g.op(ONNXOperators.CAST, "history_valid_float",
                Map.of("to", OnnxMl.TensorProto.DataType.FLOAT.getNumber()), valid);
        ONNXRef<?> mask = g.op(ONNXOperators.UNSQUEEZE, "history_mask", validFloat, g.longs("axis_2", 2L)); // [B, H, 1]

        // Slot j holds the item of recency r = H - 1 - j: reverse the position tables once, here.
        float[] keysTable = graph.values("history_embedding");
        float[] positions = TableMath.reversedRows(graph.values("position_embedding"), h, graph.width);
        float[] positionBias = TableMath.reversedRows(graph.values("position_bias"), h, 1);
        ONNXRef<?> gmfKeys = graph.dg > 0 ? branchKeys("gmf", keysTable, positions, 0, graph.dg, 1, history, mask)
                : null;
        ONNXRef<?> mlpKeys = graph.dm > 0
                ? branchKeys("mlp", keysTable, positions, graph.dg, graph.width, 0, history, mask) : null;
        ONNXRef<?> slotBias = g.op(ONNXOperators.UNSQUEEZE, "slot_bias", g.op(ONNXOperators.WHERE,
                "slot_bias_masked", valid, g.floats("position_bias_by_slot", positionBias, h),
                g.scalar("masked_logit", MASKED_LOGIT)), g.longs("axis_2", 2L));               // [B, H, 1]
        List<ONNXRef<?>> logitKeyParts = new ArrayList<>();
        if (gmfKeys != null) {
            logitKeyParts.add(gmfKeys);
        }
        if (mlpKeys != null) {
            logitKeyParts.add(mlpKeys);
        }
        logitKeyParts.add(slotBias);
        ONNXRef<?> logitKeys = g.op(ONNXOperators.CONCAT, "logit_keys", Map.of("axis", 2),
                logitKeyParts.toArray(new ONNXRef<?>[0]));                                     // [B, H, K]
        return new Keys(validFloat, history, gmfKeys, mlpKeys, logitKeys);
    }

    /**
     * Keys of one branch's columns {@code [from, to)} plus {@code extra} zero columns:
     * {@code (V[h] + E_slot) ⊙ mask}, [B, H, to - from + extra].
     */
    private ONNXRef<?> branchKeys(String branch, float[] keysTable, float[] positions, int from, int to, int extra,
                                  ONNXRef<?> history, ONNXRef<?> mask) {
        int w = to - from + extra;
        int rows = graph.items + 1;
        float[] itemRows = TableMath.padColumns(TableMath.columns(keysTable, rows, graph.width, from, to), rows,
                to - from, w);
        float[] slots = TableMath.padColumns(TableMath.columns(positions, h, graph.width, from, to), h, to - from, w);
        ONNXRef<?> gathered = g.gather(branch + "_history_rows", g.floats(branch + "_history_table", itemRows,
                rows, w), history);
        ONNXRef<?> positioned = g.op(ONNXOperators.ADD, branch + "_keys_unmasked", gathered,
                g.floats(branch + "_position_by_slot", slots, h, w));
        return g.op(ONNXOperators.MUL, branch + "_keys", positioned, mask);
    }

    /** Softmax over the slots of {@code queries · logitKeys}: [B, Q, K] queries give [B, Q, H] weights. */
    ONNXRef<?> attention(ONNXRef<?> queries) {
        ONNXRef<?> logits = g.op(ServingOps.MAT_MUL, "attention_logits", queries,
                g.op(ServingOps.TRANSPOSE, "logit_keys_t", Map.of("perm", new int[] {0, 2, 1}), keys.logitKeys()));
        return g.op(ONNXOperators.SOFTMAX, "attention", Map.of("axis", -1), logits);
    }

    /**
     * The GMF values the attention pools, [B, H, Dg+1]: the keys plus the user's own embedding (and the GMF's
     * constant 1), added to the values rather than to each pooled vector:
     * {@code p + Σ α_j k_j = Σ α_j (k_j + p)} since the weights sum to 1, also for an all-padding history,
     * whose softmax is uniform over zero keys.
     */
    ONNXRef<?> gmfValues() {
        int dg = graph.dg;
        if (graph.config.userEmbedding()) {
            int rows = graph.users + 1;
            float[] own = TableMath.withColumn(TableMath.columns(graph.values("user_embedding"), rows, graph.width,
                    0, dg), rows, dg, 1f);
            return g.op(ONNXOperators.ADD, "gmf_pool_values", keys.gmfKeys(),
                    g.gather("gmf_user_own", graph.rowsOf("gmf_user_table", own, rows, 1, dg + 1), historyUser()));
        }
        float[] one = new float[dg + 1];
        one[dg] = 1f;
        return g.op(ONNXOperators.ADD, "gmf_pool_values", keys.gmfKeys(), g.floats("gmf_one", one, dg + 1));
    }

    /** The MLP values the attention pools, [B, H, Dm]; see {@link #gmfValues}. */
    ONNXRef<?> mlpValues() {
        if (!graph.config.userEmbedding()) {
            return keys.mlpKeys();
        }
        int rows = graph.users + 1;
        return g.op(ONNXOperators.ADD, "mlp_pool_values", keys.mlpKeys(), g.gather("mlp_user_own",
                graph.rowsOf("mlp_user_table", TableMath.columns(graph.values("user_embedding"), rows, graph.width,
                        graph.dg, graph.width), rows, 1, graph.dm), historyUser()));
    }

    /** The clamped user index of a history model with user embeddings (one node, however often asked). */
    private ONNXRef<?> historyUser() {
        if (historyUser == null) {
            historyUser = graph.clampIndex(graph.userInput, graph.users, "user");
        }
        return historyUser;
    }

    /** Width K of the attention queries: the GMF columns and a zero column, the MLP columns, the bias column. */
    int queryWidth() {
        return (graph.dg > 0 ? graph.dg + 1 : 0) + graph.dm + 1;
    }

    /**
     * Rows of width D scaled as attention queries and laid out like the logit keys: {@code [s y_g | 0 | s y_m
     * | last]} with {@code s = 1/sqrt(D)} (the zero meets the GMF values' constant column, {@code last} the
     * slot bias), [rows, K].
     */
    float[] queryLayout(float[] queries, int rows, float last) {
        int width = graph.width;
        int dg = graph.dg;
        float scale = (float) (1.0 / Math.sqrt(width)); // as NcfModel: a float scale times each query entry
        float[] scaled = TableMath.times(queries, scale);
        int k = queryWidth();
        float[] out = new float[rows * k];
        for (int i = 0; i < rows; i++) {
            int at = i * k;
            if (dg > 0) {
                System.arraycopy(scaled, i * width, out, at, dg);
                at += dg + 1;
            }
            System.arraycopy(scaled, i * width + dg, out, at, graph.dm);
            out[i * k + k - 1] = last;
        }
        return out;
    }
}
