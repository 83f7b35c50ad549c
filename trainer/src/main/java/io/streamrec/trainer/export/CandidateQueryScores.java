package io.streamrec.trainer.export;

import java.util.Map;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The scores of the history variant with the candidate as the attention query: the user vector depends on the
 * candidate, so the user-side maps run per candidate and everything after the attention works on [B*C, w] rows,
 * one per (user, candidate). Always {@link CandidateScoring#GATHER} (see {@link OnnxExporter#effectiveScoring}).
 *
 * <p>Emits the queries (the candidates' item rows scaled as attention queries, {@code item_query_table} [N+2, K]),
 * the attention [B, C, H], the pooled GMF term against the GMF item table (whose output bias meets the pooled
 * values' constant-1 column) and the gated first MLP layer on the pooled rows (the history variant is ANeuMF: its
 * MLP is always gated); the tower and the output are {@link NeuMfHead}'s.
 */
final class CandidateQueryScores {

    private final ServingGraph graph;
    private final GraphWriter g;
    private final HistoryAttention attention;
    private final NeuMfHead head;

    CandidateQueryScores(ServingGraph graph, HistoryAttention attention, NeuMfHead head) {
        this.graph = graph;
        this.g = graph.g;
        this.attention = attention;
        this.head = head;
    }

    /** The scores [B, C] of the clamped candidates [B, C]. */
    ONNXRef<?> scores(ONNXRef<?> candidates) {
        int rows = graph.items + 1;
        // The candidates' item rows scaled as attention queries (bias column 1), [B, C, K].
        ONNXRef<?> queries = g.gather("queries", graph.rowsOf("item_query_table",
                attention.queryLayout(graph.itemTable, rows, 1f), rows, attention.queryWidth()), candidates);
        ONNXRef<?> alpha = attention.attention(queries);                                        // [B, C, H]
        ONNXRef<?> candidateRows = g.op(ServingOps.RESHAPE, "candidate_rows", candidates, g.longs("flat", -1L));
        ONNXRef<?> gmf = graph.dg > 0 ? gmfTerm(alpha, candidateRows) : null;
        ONNXRef<?> hidden = null;
        if (graph.dm > 0) {
            ONNXRef<?> userMlp = graph.flat(g.op(ServingOps.MAT_MUL, "mlp_pooled", alpha, attention.mlpValues()),
                    "mlp_user_rows", graph.dm);
            hidden = head.tower(gatedFirstLayer(userMlp, candidateRows));
        }
        return head.output(gmf, hidden, candidates);
    }

    /**
     * {@code [z_g | 1] · [q_g ⊙ w_o,g | b_o]} per (user, candidate), [B*C, 1]: the GMF term plus the output bias,
     * which enters the last Gemm as its C input.
     */
    private ONNXRef<?> gmfTerm(ONNXRef<?> alpha, ONNXRef<?> candidateRows) {
        int dg = graph.dg;
        ONNXRef<?> userGmf = graph.flat(g.op(ServingOps.MAT_MUL, "gmf_pooled", alpha, attention.gmfValues()),
                "gmf_user_rows", dg + 1);
        ONNXRef<?> products = g.op(ONNXOperators.MUL, "gmf_products", userGmf, g.gather("gmf_items",
                graph.rowsOf("gmf_item_table", graph.gmfItemTable(), graph.items + 1, dg + 1), candidateRows));
        return g.op(ONNXOperators.REDUCE_SUM, "gmf", Map.of("keepdims", 1), products, g.longs("axis_1", 1L));
    }

    /**
     * The gated first MLP layer on per-candidate user rows [B*C, Dm], as [B*C, w_1]:
     * {@code a = softmax(W_a,z z_m + [W_a,q q_m + b_a])} with the item half as the Gemm's C input,
     * {@code x' = a ⊙ [z_m ; q_m]}, {@code h_1 = relu(W_1 x' + b_1)}.
     */
    private ONNXRef<?> gatedFirstLayer(ONNXRef<?> userMlp, ONNXRef<?> candidateRows) {
        int dm = graph.dm;
        int f = 2 * dm;
        int first = graph.layers.get(1);
        int rows = graph.items + 1;
        float[] wa = graph.values("gate_weight");
        ONNXRef<?> gateLogits = g.op(ONNXOperators.GEMM, "gate_logits", userMlp,
                g.floats("gate_user_weight", TableMath.transposedBlock(wa, f, f, 0, dm), dm, f),
                g.gather("gate_items", graph.rowsOf("gate_item_table", graph.gateItemLogits(), rows, f),
                        candidateRows));
        ONNXRef<?> gate = g.op(ONNXOperators.SOFTMAX, "gate", Map.of("axis", -1), gateLogits);
        ONNXRef<?> joined = g.op(ONNXOperators.CONCAT, "mlp_input", Map.of("axis", 1), userMlp,
                g.gather("mlp_items", graph.rowsOf("mlp_item_table", graph.itemMlp(), rows, dm), candidateRows));
        return g.op(ServingOps.RELU, "mlp_1", g.op(ONNXOperators.GEMM, "mlp_1_linear", Map.of("transB", 1),
                g.op(ONNXOperators.MUL, "gated", gate, joined),
                g.floats("mlp_1_weight", graph.values("mlp_1_weight"), first, f),
                g.floats("mlp_1_bias", graph.values("mlp_1_bias"), first)));
    }
}
