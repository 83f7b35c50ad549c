package io.streamrec.trainer.export;

import java.util.Map;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The user side of the history variant with the recent-item query: one attention and one pooled user vector per
 * request, then the head runs as for a table user ({@link NeuMfHead}).
 *
 * <p>The query is {@code y = W_y k_n + b_y} for the newest valid slot {@code n}, precomputed as an item table
 * {@code V W_y^T} [N+1, K] and a slot table {@code E_slot W_y^T + b_y} [H, K] (both scaled by {@code 1/sqrt(D)}
 * and laid out like the logits' keys, {@link HistoryAttention#queryLayout}), so it is two gathered rows added.
 * Emits, when constructed, {@code newest_slot}, {@code recent_query} [B, 1, K], the attention [B, 1, H] and the
 * pooled {@code gmf_pooled} [B, 1, Dg+1] and {@code mlp_pooled} [B, 1, Dm] (each only with its branch). With an
 * all-padding history every key is masked and the query does not matter.
 */
final class RecentQueryUserSide implements UserSide {

    private final GraphWriter g;
    private final int dm;
    private final ONNXRef<?> pooledGmf;
    private final ONNXRef<?> pooledMlp;

    /** Adds the query, the attention and the pooled user vector to the graph. */
    RecentQueryUserSide(ServingGraph graph, HistoryAttention attention) {
        this.g = graph.g;
        this.dm = graph.dm;
        ONNXRef<?> alpha = attention.attention(query(graph, attention));                      // [B, 1, H]
        this.pooledGmf = graph.dg > 0 ? g.op(ServingOps.MAT_MUL, "gmf_pooled", alpha, attention.gmfValues()) : null;
        this.pooledMlp = dm > 0 ? g.op(ServingOps.MAT_MUL, "mlp_pooled", alpha, attention.mlpValues()) : null;
    }

    /** The query of the newest valid slot, [B, 1, K]. */
    private static ONNXRef<?> query(ServingGraph graph, HistoryAttention attention) {
        GraphWriter g = graph.g;
        int h = graph.config.historyLength();
        int width = graph.width;
        int rows = graph.items + 1;
        float[] slotNumbers = new float[h];
        for (int j = 0; j < h; j++) {
            slotNumbers[j] = j + 1;
        }
        // The newest valid slot: the largest slot number among the valid ones (slot 0 if none is valid, when
        // every key is masked and the query does not matter).
        HistoryAttention.Keys keys = attention.keys();
        ONNXRef<?> newest = g.op(ServingOps.ARG_MAX, "newest_slot", Map.of("axis", 1, "keepdims", 1),
                g.op(ONNXOperators.MUL, "valid_slot_numbers", keys.valid(), g.floats("slot_numbers", slotNumbers,
                        h)));                                                                    // [B, 1]
        ONNXRef<?> newestItem = g.op(ServingOps.GATHER_ELEMENTS, "newest_item", Map.of("axis", 1),
                keys.history(), newest);                                                         // [B, 1]
        float[] queryWeight = graph.values("query_weight");
        float[] positions = TableMath.reversedRows(graph.values("position_embedding"), h, width);
        float[] itemQueries = TableMath.affine(graph.values("history_embedding"), rows, width, 0, queryWeight,
                width, width, 0, width, null);
        float[] slotQueries = TableMath.affine(positions, h, width, 0, queryWeight, width, width, 0, width,
                graph.values("query_bias"));
        int k = attention.queryWidth();
        return g.op(ONNXOperators.ADD, "recent_query",
                g.gather("recent_query_item", g.floats("query_item_table", attention.queryLayout(itemQueries, rows,
                        0f), rows, k), newestItem),
                g.gather("recent_query_slot", g.floats("query_slot_table", attention.queryLayout(slotQueries, h, 1f),
                        h, k), newest));
    }

    @Override
    public ONNXRef<?> gmf() {
        return pooledGmf;
    }

    @Override
    public ONNXRef<?> mlp() {
        return pooledMlp;
    }

    @Override
    public ONNXRef<?> mlpTimes(String name, float[] weight, int outputs) {
        return g.op(ServingOps.MAT_MUL, name, pooledMlp, g.floats(name + "_weight",
                TableMath.transposedBlock(weight, outputs, 2 * dm, 0, dm), dm, outputs));
    }

    @Override
    public ONNXRef<?> mlpTimesColumns(String name, float[] weight, int outputs) {
        return g.op(ServingOps.TRANSPOSE, name + "_columns", Map.of("perm", new int[] {2, 0, 1}),
                mlpTimes(name, weight, outputs));
    }
}
