package io.streamrec.trainer.export;

import java.util.Map;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The gated first MLP layer of catalogue scoring without a softmax per item, on columns [w_1, B*(N+2)] (see
 * {@link NeuMfHead}). The gate's logits are a user half plus an item half, {@code l = u + v}, so its numerators
 * factor: {@code e^l = e^u ⊙ e^v}, each shifted by its own maximum (a per-user and a per-item factor that cancel
 * in the ratio). With {@code s = e^u · e^v} and {@code x = [z_m ; q_m]}:
 * <pre>
 *   W_1 (a ⊙ x) = (1 / s) · W_1 diag(e^u ⊙ [z_m ; 1]) · (e^v ⊙ [1 ; q_m])
 * </pre>
 * The right factor depends only on the item (a constant [2Dm, N+2] table, as is {@code e^v} for {@code s}); the
 * left one is a [w_1, 2Dm] matrix per user, built once per request. A request then costs two matrix products
 * wide along the items instead of an exponential per item and feature.
 *
 * <p>Invariant: used only where {@link #applies} holds, so the two shifted exponents cannot add up to less than
 * {@code -GATE_EXPONENT_RANGE}, {@code s >= e^-80}, and nothing underflows. Elsewhere the head keeps a softmax
 * per item, exact at any spread. The graph's {@code streamrec.model.gate_form} metadata says which one it has.
 */
final class FactoredGateLayer {

    /**
     * The largest spread of gate logits (a user's plus an item's, in nats) for which catalogue scoring factors
     * the gate: its factors then multiply to at least {@code e^-80}, above float's smallest normal number, so the
     * gate's normaliser never underflows.
     */
    static final double GATE_EXPONENT_RANGE = 80.0;

    private FactoredGateLayer() {
    }

    /**
     * Whether catalogue scoring uses the factored layer: a gated head whose gate logits, over every user and item
     * the graph can see, spread over at most {@link #GATE_EXPONENT_RANGE} nats, the user's and the item's spreads
     * added (item rows exactly; table users exactly; a history user through a bound on the pooled vector's
     * norm). Reads parameters only; adds nothing to the graph.
     */
    static boolean applies(ServingGraph graph) {
        if (!graph.config.gated() || !graph.catalogue) {
            return false;
        }
        double itemSpread = TableMath.maxRowSpread(graph.gateItemLogits(), graph.items + 1, 2 * graph.dm);
        double userSpread = graph.config.usesHistory() ? HistoryAttention.gateLogitSpreadBound(graph)
                : TableUserSide.gateLogitSpread(graph);
        return itemSpread + userSpread <= GATE_EXPONENT_RANGE;
    }

    /** The first layer's output after its ReLU, as columns [w_1, B*(N+2)] ({@code mlp_1_columns}). */
    static ONNXRef<?> firstLayer(ServingGraph graph, UserSide side) {
        GraphWriter g = graph.g;
        int dm = graph.dm;
        int f = 2 * dm;
        int first = graph.layers.get(1);
        int rows = graph.items + 1;
        float[] itemFactors = TableMath.softmaxFactors(graph.gateItemLogits(), rows, f);
        float[] itemColumns = itemColumns(itemFactors, graph.itemMlp(), rows, dm);
        ONNXRef<?> userLogits = side.mlpTimes("gate_user", graph.values("gate_weight"), f);     // [B, 1, 2Dm]
        ONNXRef<?> shifted = g.op(ONNXOperators.SUB, "gate_user_shifted", userLogits, g.op(ServingOps.REDUCE_MAX,
                "gate_user_max", Map.of("axes", new int[] {-1}, "keepdims", 1), userLogits));
        ONNXRef<?> userFactors = g.op(ServingOps.EXP, "gate_user_factors", shifted);
        ONNXRef<?> zFactors = g.op(ServingOps.SLICE, "gate_user_factors_z", userFactors, g.longs("from_0", 0L),
                g.longs("to_dm", dm), g.longs("axis_2", 2L));
        ONNXRef<?> qFactors = g.op(ServingOps.SLICE, "gate_user_factors_q", userFactors, g.longs("from_dm", dm),
                g.longs("to_f", f), g.longs("axis_2", 2L));
        ONNXRef<?> coefficients = g.op(ONNXOperators.CONCAT, "mlp_1_user_coefficients", Map.of("axis", 2),
                g.op(ONNXOperators.MUL, "gate_user_z", zFactors, side.mlp()), qFactors);   // [B, 1, 2Dm]
        ONNXRef<?> userWeights = g.op(ONNXOperators.MUL, "mlp_1_user_weights",
                g.floats("mlp_1_weight", graph.values("mlp_1_weight"), first, f), coefficients); // [B, w_1, 2Dm]
        ONNXRef<?> numerators = g.op(ServingOps.MAT_MUL, "mlp_1_numerators", userWeights,       // [B, w_1, N+2]
                g.floats("mlp_1_item_factors", ServingGraph.transposedWithOutOfRangeRow(itemColumns, rows, f), f,
                        rows + 1));
        ONNXRef<?> sums = g.op(ServingOps.MAT_MUL, "gate_sums", userFactors,                   // [B, 1, N+2]
                g.floats("gate_item_factors", ServingGraph.transposedWithOutOfRangeRow(itemFactors, rows, f), f,
                        rows + 1));
        ONNXRef<?> linear = g.op(ONNXOperators.ADD, "mlp_1_linear", g.op(ONNXOperators.MUL, "mlp_1_gated",
                numerators, g.op(ServingOps.RECIPROCAL, "gate_sums_inverse", sums)),
                g.floats("mlp_1_bias_column", graph.values("mlp_1_bias"), first, 1));
        ONNXRef<?> columns = g.op(ServingOps.TRANSPOSE, "mlp_1_by_feature", Map.of("perm", new int[] {1, 0, 2}),
                g.op(ServingOps.RELU, "mlp_1", linear));                                       // [w_1, B, N+2]
        return g.op(ServingOps.RESHAPE, "mlp_1_columns", columns, g.longs("mlp_1_columns_shape", first, -1L));
    }

    /** The item factor {@code e^v ⊙ [1 ; q_m]} of every item, [N+1, 2Dm]. */
    private static float[] itemColumns(float[] itemFactors, float[] itemMlp, int rows, int dm) {
        int f = 2 * dm;
        float[] out = itemFactors.clone();
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < dm; c++) {
                out[i * f + dm + c] *= itemMlp[i * dm + c];
            }
        }
        return out;
    }
}
