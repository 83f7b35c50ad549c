package io.streamrec.trainer.export;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The scoring head every variant shares: the GMF term, the MLP tower (first layer plain, gated per item, or gated
 * and factored, {@link FactoredGateLayer}) and the output layer, ending in the {@code scores} output [B, C].
 *
 * <p>{@link #scores} runs the head on one user vector per request ({@link UserSide}); the history variant with the
 * candidate as query ({@link CandidateQueryScores}) forms its own first layer and uses {@link #tower} and
 * {@link #output}. Item-side terms are precomputed tables ({@link ServingGraph#gmfItemTable},
 * {@link ServingGraph#gateItemLogits}, the first layer's item half {@code W_1,q q_m + b_1}) that the head gathers
 * by the clamped candidates or, in catalogue scoring, reads whole: it then scores [B, N+2] (the items 0..N and the
 * out-of-range row) and picks the candidates at the end, so candidates outside {@code 1..N} score as item 0 both
 * ways.
 *
 * <p>In catalogue scoring without a per-item gate the MLP runs on columns [w, B*(N+2)] ({@link #mlpColumns}).
 * Holds the lazily built shape of the scored rows, so one head serves one graph.
 */
final class NeuMfHead {

    private final ServingGraph graph;
    private final GraphWriter g;
    private final boolean factoredGate;
    private ONNXRef<?> rowShape;
    /** The retrieval stage's outputs, set by {@link #gmfTerm}: the user's and the items' GMF halves. */
    private ONNXRef<?> retrievalQuery;
    private ONNXRef<?> retrievalItems;
    private float[] retrievalItemTable;

    /**
     * @param factoredGate whether the gated first layer is {@link FactoredGateLayer}'s
     *                     ({@link FactoredGateLayer#applies})
     */
    NeuMfHead(ServingGraph graph, boolean factoredGate) {
        this.graph = graph;
        this.g = graph.g;
        this.factoredGate = factoredGate;
    }

    /** The scores [B, C] of one user vector per request against the clamped candidates [B, C]. */
    ONNXRef<?> scores(ONNXRef<?> candidates, UserSide side) {
        ONNXRef<?> gmf = graph.dg > 0 ? gmfTerm(candidates, side) : null;
        ONNXRef<?> hidden = graph.dm > 0 ? tower(firstLayer(candidates, side)) : null;
        return output(gmf, hidden, candidates);
    }

    /**
     * {@code [z_g | 1] · [q_g ⊙ w_o,g | b_o]}, [B, 1, C]: [B, 1, Dg+1] x [B, Dg+1, C] (ONNX Runtime folds the
     * transpose into the product), or for the catalogue [B, 1, Dg+1] x [Dg+1, N+2] against the table stored
     * transposed: wide along the items.
     */
    private ONNXRef<?> gmfTerm(ONNXRef<?> candidates, UserSide side) {
        int dg = graph.dg;
        int rows = graph.items + 1;
        ONNXRef<?> gmfItems;
        if (graph.catalogue) {
            ONNXRef<?> table = g.floats("gmf_item_table_t", ServingGraph.transposedWithOutOfRangeRow(
                    graph.gmfItemTable(), rows, dg + 1), dg + 1, rows + 1);
            gmfItems = table;
        } else {
            ONNXRef<?> table = graph.rowsOf("gmf_item_table", graph.gmfItemTable(), rows, dg + 1);
            gmfItems = g.op(ServingOps.TRANSPOSE, "gmf_items_t", Map.of("perm", new int[] {0, 2, 1}),
                    g.gather("gmf_items", table, candidates));
        }
        retrievalItemTable = graph.retrievalItemTable();
        retrievalItems = g.op(ONNXOperators.IDENTITY, "retrieval_item_rows",
                graph.rowsOf("retrieval_item_table", retrievalItemTable, rows, dg + 1));
        ONNXRef<?> user = side.gmf();
        retrievalQuery = graph.flat(user, "retrieval_query_rows", dg + 1);
        return g.op(ServingOps.MAT_MUL, "gmf", user, gmfItems);
    }

    /**
     * The retrieval stage this head offers, after {@link #scores}: the user's {@code [z_g | 1]} [B, Dg+1] and
     * the items' rows [N+2, Dg+1] ({@link ServingGraph#retrievalItemTable}; row i is model index i, row N+1 the
     * out-of-range row), whose inner product is the score's GMF term plus the bias plus the item's MLP term
     * for the unknown user. Empty without a GMF branch.
     */
    Optional<Retrieval> retrieval() {
        return retrievalQuery == null ? Optional.empty()
                : Optional.of(new Retrieval(retrievalQuery, retrievalItems,
                        new RetrievalRows(Arrays.copyOfRange(retrievalItemTable, graph.dg + 1,
                                retrievalItemTable.length), graph.items, graph.dg + 1)));
    }

    /** The two nodes of {@link #retrieval()}, and the item rows the second one holds. */
    record Retrieval(ONNXRef<?> query, ONNXRef<?> items, RetrievalRows rows) {
    }

    /** The first MLP layer after its ReLU: rows [B*C or B*(N+2), w_1], or columns with {@link #mlpColumns}. */
    private ONNXRef<?> firstLayer(ONNXRef<?> candidates, UserSide side) {
        if (factoredGate) {
            return FactoredGateLayer.firstLayer(graph, side);
        }
        return graph.config.gated() ? perItemGateFirstLayer(candidates, side) : plainFirstLayer(candidates, side);
    }

    /** {@code a = softmax([W_a,z z_m] + [W_a,q q_m + b_a])}, {@code h_1 = relu(W_1 (a ⊙ [z_m ; q_m]) + b_1)}. */
    private ONNXRef<?> perItemGateFirstLayer(ONNXRef<?> candidates, UserSide side) {
        int dm = graph.dm;
        int f = 2 * dm;
        int first = graph.layers.get(1);
        ONNXRef<?> gateLogits = g.op(ONNXOperators.ADD, "gate_logits",
                itemRows("gate_items", graph.gateItemLogits(), f, candidates),
                perCandidate(side.mlpTimes("gate_user", graph.values("gate_weight"), f), "gate_user_rows", f));
        ONNXRef<?> gate = g.op(ONNXOperators.SOFTMAX, "gate", Map.of("axis", -1), gateLogits);
        ONNXRef<?> joined = g.op(ONNXOperators.CONCAT, "mlp_input", Map.of("axis", 2),
                perCandidate(side.mlp(), "mlp_user_rows", dm), itemInput(graph.itemMlp(), candidates));
        return g.op(ServingOps.RELU, "mlp_1", g.op(ONNXOperators.GEMM, "mlp_1_linear", Map.of("transB", 1),
                graph.flat(g.op(ONNXOperators.MUL, "gated", gate, joined), "gated_rows", f),
                g.floats("mlp_1_weight", graph.values("mlp_1_weight"), first, f),
                g.floats("mlp_1_bias", graph.values("mlp_1_bias"), first)));
    }

    /** {@code h_1 = relu([W_1,z z_m] + [W_1,q q_m + b_1])}, the item half a precomputed table. */
    private ONNXRef<?> plainFirstLayer(ONNXRef<?> candidates, UserSide side) {
        int dm = graph.dm;
        int first = graph.layers.get(1);
        int rows = graph.items + 1;
        float[] w1 = graph.values("mlp_1_weight");
        float[] itemHalf = TableMath.affine(graph.itemTable, rows, graph.width, graph.dg, w1, first, 2 * dm, dm, dm,
                graph.values("mlp_1_bias"));
        if (mlpColumns()) {
            // [w_1, 1, N+2] + [w_1, B, 1]: the add runs along the items with one scalar of the user half per run.
            ONNXRef<?> linear = g.op(ONNXOperators.ADD, "mlp_1_linear", g.floats("mlp_1_item_columns",
                    ServingGraph.transposedWithOutOfRangeRow(itemHalf, rows, first), first, 1, rows + 1),
                    side.mlpTimesColumns("mlp_1_user", w1, first));
            return g.op(ServingOps.RESHAPE, "mlp_1_columns", g.op(ServingOps.RELU, "mlp_1", linear),
                    g.longs("mlp_1_columns_shape", first, -1L));                                 // [w_1, B*(N+2)]
        }
        ONNXRef<?> linear = g.op(ONNXOperators.ADD, "mlp_1_linear",
                itemRows("mlp_1_items", itemHalf, first, candidates),
                perCandidate(side.mlpTimes("mlp_1_user", w1, first), "mlp_1_user_rows", first));
        return graph.flat(g.op(ServingOps.RELU, "mlp_1", linear), "mlp_1_rows", first);
    }

    /**
     * Whether the MLP runs on columns, [w, B*(N+2)], one per scored (user, item): catalogue scoring. Every
     * pass then runs along the 3,700-odd items instead of along a row of a few dozen features: the first
     * layer's add meets the user half as one scalar per long run (no Expand of the user half first), and
     * each Gemm is a small constant weight matrix times a wide activation matrix rather than a tall
     * activation matrix times a constant only 16 or 8 columns wide. With the one-node index clip it took
     * NeuMF at MovieLens-1M size from 0.33 to 0.22-0.26 ms per call (README, scoring benchmark). A gated
     * first layer gets there by factoring its softmax ({@link FactoredGateLayer}); an unfactored gate
     * (a softmax per item runs fast only along the last axis) and gathered candidates keep rows.
     */
    private boolean mlpColumns() {
        return graph.catalogue && (!graph.config.gated() || factoredGate);
    }

    /**
     * Layers 2.. of the MLP: {@code h_l = relu(W_l h_{l-1} + b_l)}, on [B*C, w] rows (the constant weights
     * the right operand, which ONNX Runtime packs once) or on [w, B*(N+2)] columns ({@link #mlpColumns()});
     * ONNX Runtime fuses each Gemm with its ReLU.
     */
    ONNXRef<?> tower(ONNXRef<?> first) {
        ONNXRef<?> hidden = first;
        for (int l = 2; l < graph.layers.size(); l++) {
            int outputs = graph.layers.get(l);
            ONNXRef<?> weight = g.floats("mlp_" + l + "_weight", graph.values("mlp_" + l + "_weight"), outputs,
                    graph.layers.get(l - 1));
            float[] bias = graph.values("mlp_" + l + "_bias");
            ONNXRef<?> linear = mlpColumns()
                    ? g.op(ONNXOperators.GEMM, "mlp_" + l + "_linear", weight, hidden,
                            g.floats("mlp_" + l + "_bias", bias, outputs, 1))
                    : g.op(ONNXOperators.GEMM, "mlp_" + l + "_linear", Map.of("transB", 1), hidden, weight,
                            g.floats("mlp_" + l + "_bias", bias, outputs));
            hidden = g.op(ServingOps.RELU, "mlp_" + l, linear);
        }
        return hidden;
    }

    /**
     * The output layer and the {@code scores} [B, C]: {@code logit = w_o,m · h + gmf}, the GMF term (which carries
     * the output bias) entering the last Gemm as its C input; or the GMF term alone.
     *
     * @param gmf        the GMF term, any shape with one element per scored (user, item) in order, including
     *                   b_o; null without a GMF branch
     * @param hidden     the last hidden layer, one row per scored (user, item), or one column with
     *                   {@link #mlpColumns()}; null without an MLP branch
     * @param candidates the candidates, clamped: in catalogue scoring they pick the scores of [B, N+2]
     */
    ONNXRef<?> output(ONNXRef<?> gmf, ONNXRef<?> hidden, ONNXRef<?> candidates) {
        ONNXRef<?> logit = hidden == null ? gmf : mlpLogit(gmf, hidden);
        if (!graph.catalogue) {
            return g.op(ServingOps.RESHAPE, "scores", logit, rowShape());
        }
        // A constant shape: the batch follows from the row's length, and no Shape node is needed.
        ONNXRef<?> all = g.op(ServingOps.RESHAPE, "catalogue_scores", logit,                  // [B, N+2]
                g.longs("catalogue_scores_shape", -1L, scoredItems()));
        return g.op(ServingOps.GATHER_ELEMENTS, "scores", Map.of("axis", 1), all, candidates);
    }

    /** {@code w_o,m · h} plus the GMF term (or the output bias), one row of logits [1, B*C]. */
    private ONNXRef<?> mlpLogit(ONNXRef<?> gmf, ONNXRef<?> hidden) {
        int last = graph.config.mlpOutputWidth();
        int dg = graph.dg;
        float[] mlpWeight = Arrays.copyOfRange(graph.values("output_weight"), dg, dg + last);
        ONNXRef<?> addend = gmf == null ? g.floats("output_bias", graph.values("output_bias"), 1)
                : g.op(ServingOps.RESHAPE, "gmf_row", gmf, g.longs("gmf_row_shape", 1L, -1L));
        // [1, w] x [w, B*C]: one row of logits, a product wide along the candidates rather than a
        // [B*C, w] x [w, 1] one only one column wide (hidden rows enter transposed, columns as they are).
        return g.op(ONNXOperators.GEMM, "logit", Map.of("transB", mlpColumns() ? 0 : 1),
                g.floats("output_mlp_weight", mlpWeight, 1, last), hidden, addend);
    }

    /**
     * A [B, 1, w] tensor repeated for each scored item, [B, C, w] (or [B, N+2, w] for the catalogue).
     * Expanding and then adding same-shaped tensors beats a broadcasting Add, which ONNX Runtime runs as
     * one short loop per candidate.
     */
    private ONNXRef<?> perCandidate(ONNXRef<?> rows, String name, int w) {
        ONNXRef<?> shape = g.op(ONNXOperators.CONCAT, name + "_shape", Map.of("axis", 0), rowShape(),
                g.longs(name + "_width", w));
        return g.op(ServingOps.EXPAND, name, rows, shape);
    }

    /** The items scored per user, computed once: [B, C] (the candidates) or [B, N+2] (the catalogue). */
    private ONNXRef<?> rowShape() {
        if (rowShape == null) {
            rowShape = graph.catalogue
                    ? g.op(ONNXOperators.CONCAT, "catalogue_shape", Map.of("axis", 0),
                            g.op(ServingOps.SHAPE, "batch_shape", graph.userInput),
                            g.longs("catalogue_size", scoredItems()))
                    : g.op(ServingOps.SHAPE, "candidate_shape", graph.candidateInput);
        }
        return rowShape;
    }

    /** Rows of the catalogue scoring scores per user: the items 0..N and the out-of-range row. */
    private long scoredItems() {
        return graph.items + 2L;
    }

    /**
     * An item table [N+1, w] as the scored items' rows: the table itself for the catalogue ([N+2, w] with
     * the out-of-range row; it broadcasts against [B, N+2, w]), else its rows gathered by candidate, [B, C, w].
     */
    private ONNXRef<?> itemRows(String name, float[] table, int w, ONNXRef<?> candidates) {
        ONNXRef<?> initializer = graph.rowsOf(name + "_table", table, graph.items + 1, w);
        return graph.catalogue ? initializer : g.gather(name, initializer, candidates);
    }

    /** The items' MLP halves {@code q_m} as the second half of the gated input, [B, C or N+2, Dm]. */
    private ONNXRef<?> itemInput(float[] itemMlp, ONNXRef<?> candidates) {
        ONNXRef<?> rows = itemRows("mlp_items", itemMlp, graph.dm, candidates);
        // A concatenation needs the batch dimension the catalogue table lacks.
        return graph.catalogue ? perCandidate(rows, "mlp_items", graph.dm) : rows;
    }
}
