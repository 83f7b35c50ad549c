package io.streamrec.trainer.export;

import ai.onnx.proto.OnnxMl;
import io.streamrec.schemas.model.ServingSignature;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.model.NcfModel;
import io.streamrec.trainer.model.ParameterTensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Exports any member of the model family ({@link NcfModel}) to an ONNX graph (opset 13) with the one serving
 * signature of {@link ServingSignature}: {@code user} int64 [B], {@code history} int64 [B, H] (0 = padding, most
 * recent last), {@code candidates} int64 [B, C] to {@code scores} float [B, C], the model's raw logits.
 *
 * <h2>What the graph precomputes</h2>
 * Every linear map applied to {@code [user ; item]} splits into a user half and an item half
 * ({@code W[p;q] = W_p p + W_q q}), so the item halves are evaluated once, here, for every item and stored as
 * tables the graph gathers by candidate:
 * <ul>
 *   <li>GMF: {@code [q_g ⊙ w_o,g | b_o]} (the output layer's GMF weights and its bias folded into the item),
 *       so the GMF term plus the bias is one dot product with {@code [z_g | 1]};</li>
 *   <li>MLP and NeuMF: {@code W_1,q q_m + b_1}, the item half of the first layer plus its bias; per candidate
 *       only an add and a ReLU remain before the second layer (about 700 multiply-adds per candidate for GMF
 *       32, MLP [64, 32, 16, 8]);</li>
 *   <li>ANeuMF (gated): {@code W_a,q q_m + b_a}, the item half of the gate's logits; the gated vector
 *       {@code a ⊙ [z_m ; q_m]} depends on both halves and is formed per candidate, or, in catalogue scoring,
 *       the gate's softmax is factored into a user and an item part ({@code factoredGateFirstLayer}: the item
 *       tables hold the item's exponentiated gate logits, alone and times {@code q_m});</li>
 *   <li>history-attentive: the item table pre-scaled by {@code 1/sqrt(D)} (attention queries), position
 *       embeddings and biases pre-reversed into history-slot order, and the GMF and gate item tables above;
 *       with the recent-item query, the query map applied to every item and slot.</li>
 * </ul>
 * For the plain variants the user side is a table row too, so its terms are precomputed per user
 * ({@code [z_g | 1]}, {@code W_1,z z_m}, {@code W_a,z z_m}); a request gathers them and does no user-side
 * arithmetic. The history variant with the recent-item query pools one user vector per request and then runs
 * the same head. With the candidate as query the user vector depends on the candidate, so its user-side maps
 * run per candidate; the rest of that graph works on one row per (user, candidate). The MLP's last layer runs as
 * {@code [1, w] x [w, B*C]}, wide along the candidates. In catalogue scoring the towers run entirely on columns
 * (features x scored items), see {@code mlpColumns}.
 *
 * <h2>Inputs outside the vocabulary</h2>
 * As in {@link NcfModel#score}: a user outside {@code 0..U} is scored as the unknown user 0, history entries
 * outside {@code 1..N} are padding, candidates outside {@code 1..N} score as item 0. The graph clamps them
 * itself, so no input can make a gather fail: user and candidate indices are clipped to {@code -1 .. max + 1}
 * and every table they pick from carries a copy of its row 0 as an extra last row, which both ends read
 * (item tables have N+2 rows, user tables U+2). Padding slots are masked out of the attention softmax; an
 * all-padding history contributes nothing, as in the trainer.
 *
 * <h2>Signature details</h2>
 * Variants without history still declare the {@code history} input (the serving signature is one for all),
 * with width {@link #NON_HISTORY_WIDTH}, and ignore it; a history model without user embeddings ignores
 * {@code user}. The ONNX metadata carries the model name, variant, version, history length, item and user
 * counts under the {@code ServingSignature.META_*} keys, the description, and every hyperparameter and
 * provenance entry under {@link #META_HYPERPARAMETER_PREFIX} and {@link #META_PROVENANCE_PREFIX}.
 *
 * <p>Stateless and thread-safe; reads the model's parameters, so do not export while the model trains.
 */
public final class OnnxExporter {

    /** Width of the (ignored) {@code history} input of variants without history; the loader needs H >= 1. */
    public static final int NON_HISTORY_WIDTH = 1;

    /** Metadata key prefix of each hyperparameter. */
    public static final String META_HYPERPARAMETER_PREFIX = "streamrec.hyperparameter.";

    /** Metadata key prefix of each provenance entry. */
    public static final String META_PROVENANCE_PREFIX = "streamrec.provenance.";

    /** Metadata key of the model's one-line description ({@link ModelConfig#describe()}). */
    public static final String META_DESCRIPTION = "streamrec.model.description";

    /** Metadata key of the graph's {@link CandidateScoring}, e.g. {@code catalogue}. */
    public static final String META_CANDIDATE_SCORING = "streamrec.model.candidate_scoring";

    /**
     * Metadata key, gated variants only: how the graph forms the gate, {@code factored} (catalogue scoring whose
     * gate logits spread little enough, see {@code factoredGate}) or {@code per-item} (a softmax per scored item).
     */
    public static final String META_GATE_FORM = "streamrec.model.gate_form";

    /** The default: the streams app ranks the whole catalogue on every click. */
    public static final CandidateScoring DEFAULT_SCORING = CandidateScoring.CATALOGUE;

    /**
     * The attention logit of a padding slot. Finite, not -inf: with an all-padding history every slot is
     * masked, and -inf would make the softmax NaN; with finite masking it is uniform over keys that are zero.
     */
    static final float MASKED_LOGIT = -1e9f;

    private OnnxExporter() {
    }

    /** The history width H a release of this model carries and its graph declares. */
    public static int servingHistoryLength(ModelConfig config) {
        return config.usesHistory() ? config.historyLength() : NON_HISTORY_WIDTH;
    }

    /** The number of users with a learned embedding the graph serves (0 when it ignores {@code user}). */
    public static int servingUserCount(NcfModel model) {
        return model.config().userEmbedding() ? model.numUsers() : 0;
    }

    /** The scoring a graph of this model gets when {@code requested} is asked for (see {@link CandidateScoring}). */
    public static CandidateScoring effectiveScoring(ModelConfig config, CandidateScoring requested) {
        return config.usesHistory() && !config.userSideQuery() ? CandidateScoring.GATHER : requested;
    }

    /**
     * The largest spread of gate logits (a user's plus an item's, in nats) for which catalogue scoring factors
     * the gate (see {@code factoredGate}): its factors then multiply to at least {@code e^-80}, above float's
     * smallest normal number, so the gate's normaliser never underflows.
     */
    static final double GATE_EXPONENT_RANGE = 80.0;

    /** Exports the model's current parameters with the {@link #DEFAULT_SCORING}. */
    public static ExportedModel export(NcfModel model, ExportMetadata metadata) {
        return export(model, metadata, DEFAULT_SCORING);
    }

    /** Exports the model's current parameters. */
    public static ExportedModel export(NcfModel model, ExportMetadata metadata, CandidateScoring requested) {
        ModelConfig config = model.config();
        int historyLength = servingHistoryLength(config);
        int userCount = servingUserCount(model);
        CandidateScoring scoring = effectiveScoring(config, requested);
        GraphWriter writer = new GraphWriter("streamrec_" + config.variant().label().replace('-', '_'));
        Graph graph = new Graph(model, writer, scoring);
        ONNXRef<?> scores = graph.scores();

        List<GraphWriter.Port> inputs = List.of(
                new GraphWriter.Port(ServingSignature.USER, OnnxMl.TensorProto.DataType.INT64, List.of("batch")),
                new GraphWriter.Port(ServingSignature.HISTORY, OnnxMl.TensorProto.DataType.INT64,
                        List.of("batch", historyLength)),
                new GraphWriter.Port(ServingSignature.CANDIDATES, OnnxMl.TensorProto.DataType.INT64,
                        List.of("batch", "candidates")));
        GraphWriter.Port output = new GraphWriter.Port(ServingSignature.SCORES, OnnxMl.TensorProto.DataType.FLOAT,
                List.of("batch", "candidates"));
        Map<String, String> meta = metadata(config, metadata, historyLength, model.numItems(), userCount, scoring);
        if (config.gated()) {
            meta.put(META_GATE_FORM, graph.factoredGate() ? "factored" : "per-item");
        }
        byte[] bytes = writer.finish(scores, inputs, output, meta, config.describe(), metadata.codeVersion(),
                metadata.version());
        return new ExportedModel(bytes, config.variant(), historyLength, model.numItems(), userCount, scoring);
    }

    private static Map<String, String> metadata(ModelConfig config, ExportMetadata metadata, int historyLength,
                                                int itemCount, int userCount, CandidateScoring scoring) {
        Map<String, String> out = new HashMap<>();
        metadata.hyperparameters().forEach((key, value) -> out.put(META_HYPERPARAMETER_PREFIX + key, value));
        metadata.provenance().forEach((key, value) -> out.put(META_PROVENANCE_PREFIX + key, value));
        out.put(ServingSignature.META_MODEL_NAME, metadata.modelName());
        out.put(ServingSignature.META_VARIANT, config.variant().label());
        out.put(ServingSignature.META_VERSION, Long.toString(metadata.version()));
        out.put(ServingSignature.META_HISTORY_LENGTH, Integer.toString(historyLength));
        out.put(ServingSignature.META_ITEM_COUNT, Integer.toString(itemCount));
        out.put(ServingSignature.META_USER_COUNT, Integer.toString(userCount));
        out.put(META_DESCRIPTION, config.describe());
        out.put(META_CANDIDATE_SCORING, scoring.label());
        return out;
    }

    /** The graph of one model: parameters by name, sizes, the shared inputs and constants. */
    private static final class Graph {

        private final GraphWriter g;
        private final ModelConfig config;
        private final Map<String, ParameterTensor> params = new HashMap<>();
        private final int items;
        private final int users;
        private final int width;
        private final int dg;
        private final int dm;
        private final List<Integer> layers;

        private final ONNXPlaceholder userInput;
        private final ONNXPlaceholder historyInput;
        private final ONNXPlaceholder candidateInput;
        private final float[] itemTable;
        /** Score the whole catalogue and pick the candidates at the end (plain variants only). */
        private final boolean catalogue;
        private ONNXRef<?> rowShape;
        private ONNXRef<?> historyUser;
        private Boolean factoredGate;
        private float[] gateItemLogits;

        Graph(NcfModel model, GraphWriter writer, CandidateScoring scoring) {
            this.g = writer;
            this.catalogue = scoring == CandidateScoring.CATALOGUE;
            this.config = model.config();
            model.parameterTensors().forEach(t -> params.put(t.name(), t));
            this.items = model.numItems();
            this.users = model.numUsers();
            this.width = config.embeddingWidth();
            this.dg = config.gmfFactors();
            this.dm = config.mlpFactors();
            this.layers = config.mlpLayers();
            this.userInput = g.input(ServingSignature.USER);
            this.historyInput = g.input(ServingSignature.HISTORY);
            this.candidateInput = g.input(ServingSignature.CANDIDATES);
            this.itemTable = values("item_embedding");
        }

        private float[] values(String name) {
            ParameterTensor tensor = params.get(name);
            if (tensor == null) {
                throw new IllegalStateException("the model has no parameter '" + name + "'; NcfModel and the"
                        + " exporter disagree on the parameter list");
            }
            return tensor.values();
        }

        /** The scores [B, C]. */
        ONNXRef<?> scores() {
            ONNXRef<?> candidates = clampIndex(candidateInput, items, "candidate");              // [B, C]
            if (!config.usesHistory()) {
                return headScores(candidates, tableUserSide());
            }
            HistoryKeys keys = historyKeys();
            return config.userSideQuery() ? headScores(candidates, recentQueryUserSide(keys))
                    : historyScores(keys, candidates);
        }

        /**
         * {@code x} clipped to {@code -1 .. max + 1}, one node: indices in {@code 0..max} stay, every other one
         * lands on row {@code max + 1} of the table it picks from, which {@link #rowsOf} fills with a copy of row
         * 0 and which {@code -1} reads too (Gather counts negative indices from the end). Cheaper than a
         * compare-and-select, which takes three passes.
         */
        private ONNXRef<?> clampIndex(ONNXRef<?> input, int max, String name) {
            return g.op(ServingOps.CLIP, name + "_index", input, g.scalar(name + "_min", -1L),
                    g.scalar(name + "_max", (long) max + 1));
        }

        /**
         * A float initializer of shape [rows + 1, rowShape...] that a Gather picks rows from by a clamped index
         * ({@link #clampIndex}): the table's rows, then a copy of row 0 for indices outside the vocabulary.
         */
        private ONNXRef<?> rowsOf(String name, float[] table, int rows, int... rowShape) {
            int[] shape = new int[rowShape.length + 1];
            shape[0] = rows + 1;
            System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
            return g.floats(name, TableMath.withOutOfRangeRow(table, rows), shape);
        }

        /** A [rows, w] table with its out-of-range row ({@link #rowsOf}) as [w, rows + 1]. */
        private static float[] transposedWithOutOfRangeRow(float[] table, int rows, int w) {
            return TableMath.transposedBlock(TableMath.withOutOfRangeRow(table, rows), rows + 1, w, 0, w);
        }

        private ONNXRef<?> flat(ONNXRef<?> tensor, String name, int w) {
            return g.op(ServingOps.RESHAPE, name, tensor, g.longs(name + "_shape", -1L, w));
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
                rowShape = catalogue
                        ? g.op(ONNXOperators.CONCAT, "catalogue_shape", Map.of("axis", 0),
                                g.op(ServingOps.SHAPE, "batch_shape", userInput), g.longs("catalogue_size", scoredItems()))
                        : g.op(ServingOps.SHAPE, "candidate_shape", candidateInput);
            }
            return rowShape;
        }

        /** Rows of the catalogue scoring scores per user: the items 0..N and the out-of-range row. */
        private long scoredItems() {
            return items + 2L;
        }

        /**
         * An item table [N+1, w] as the scored items' rows: the table itself for the catalogue ([N+2, w] with
         * the out-of-range row; it broadcasts against [B, N+2, w]), else its rows gathered by candidate, [B, C, w].
         */
        private ONNXRef<?> itemRows(String name, float[] table, int w, ONNXRef<?> candidates) {
            ONNXRef<?> initializer = rowsOf(name + "_table", table, items + 1, w);
            return catalogue ? initializer : g.gather(name, initializer, candidates);
        }

        /**
         * The output layer and the scores: {@code logit = w_o,m · h + gmf}, the GMF term (which carries the
         * output bias) entering the last Gemm as its C input; or the GMF term alone. Reshaped to [B, C].
         *
         * @param gmf        the GMF term, any shape with one element per scored (user, item) in order, including
         *                   b_o; null without a GMF branch
         * @param hidden     the last hidden layer, one row per scored (user, item), or one column with
         *                   {@link #mlpColumns()}; null without an MLP branch
         * @param candidates the candidates, clamped: in catalogue scoring they pick the scores of [B, N+2]
         */
        private ONNXRef<?> output(ONNXRef<?> gmf, ONNXRef<?> hidden, ONNXRef<?> candidates) {
            ONNXRef<?> logit;
            if (hidden == null) {
                logit = gmf;
            } else {
                int last = config.mlpOutputWidth();
                float[] mlpWeight = java.util.Arrays.copyOfRange(values("output_weight"), dg, dg + last);
                ONNXRef<?> addend = gmf == null ? g.floats("output_bias", values("output_bias"), 1)
                        : g.op(ServingOps.RESHAPE, "gmf_row", gmf, g.longs("gmf_row_shape", 1L, -1L));
                // [1, w] x [w, B*C]: one row of logits, a product wide along the candidates rather than a
                // [B*C, w] x [w, 1] one only one column wide (hidden rows enter transposed, columns as they are).
                logit = g.op(ONNXOperators.GEMM, "logit", Map.of("transB", mlpColumns() ? 0 : 1),
                        g.floats("output_mlp_weight", mlpWeight, 1, last), hidden, addend);
            }
            if (!catalogue) {
                return g.op(ServingOps.RESHAPE, "scores", logit, rowShape());
            }
            // A constant shape: the batch follows from the row's length, and no Shape node is needed.
            ONNXRef<?> all = g.op(ServingOps.RESHAPE, "catalogue_scores", logit,                  // [B, N+2]
                    g.longs("catalogue_scores_shape", -1L, scoredItems()));
            return g.op(ServingOps.GATHER_ELEMENTS, "scores", Map.of("axis", 1), all, candidates);
        }

        /**
         * The GMF item table {@code [q_g ⊙ w_o,g | b_o]}: dotted with {@code [z_g | 1]} it gives the GMF term
         * plus the output bias.
         */
        private float[] gmfItemTable() {
            float[] weighted = TableMath.scaledColumns(itemTable, items + 1, width, 0, dg, values("output_weight"), 0);
            return TableMath.withColumn(weighted, items + 1, dg, values("output_bias")[0]);
        }

        /**
         * The head on one user vector per request: GMF, MLP, NeuMF and ANeuMF (a table row, {@link
         * #tableUserSide()}) and the history variant with the recent-item query (pooled from the history, {@link
         * #recentQueryUserSide}). The user's terms are [B, 1, w] rows, ready to meet [B, C, w] item rows.
         */
        private ONNXRef<?> headScores(ONNXRef<?> candidates, UserSide side) {
            ONNXRef<?> gmf = null;
            if (dg > 0) {
                // [B, 1, Dg+1] x [B, Dg+1, C] (ONNX Runtime folds the transpose into the product), or for the
                // catalogue [B, 1, Dg+1] x [Dg+1, N+2] against the table stored transposed: wide along the items.
                ONNXRef<?> gmfItems = catalogue
                        ? g.floats("gmf_item_table_t", transposedWithOutOfRangeRow(gmfItemTable(), items + 1, dg + 1),
                                dg + 1, items + 2)
                        : g.op(ServingOps.TRANSPOSE, "gmf_items_t", Map.of("perm", new int[] {0, 2, 1}),
                                g.gather("gmf_items", rowsOf("gmf_item_table", gmfItemTable(), items + 1, dg + 1),
                                        candidates));
                gmf = g.op(ServingOps.MAT_MUL, "gmf", side.gmf(), gmfItems);                     // [B, 1, C]
            }
            ONNXRef<?> hidden = null;
            if (dm > 0) {
                int f = 2 * dm;
                int first = layers.get(1);
                float[] w1 = values("mlp_1_weight");
                float[] b1 = values("mlp_1_bias");
                ONNXRef<?> firstLayer;
                if (factoredGate()) {
                    firstLayer = factoredGateFirstLayer(side);
                } else if (config.gated()) {
                    // a = softmax([W_a,z z_m] + [W_a,q q_m + b_a]), x' = a ⊙ [z_m ; q_m].
                    float[] wa = values("gate_weight");
                    ONNXRef<?> gateLogits = g.op(ONNXOperators.ADD, "gate_logits",
                            itemRows("gate_items", gateItemLogits(), f, candidates),
                            perCandidate(side.mlpTimes("gate_user", wa, f), "gate_user_rows", f));
                    ONNXRef<?> gate = g.op(ONNXOperators.SOFTMAX, "gate", Map.of("axis", -1), gateLogits);
                    ONNXRef<?> joined = g.op(ONNXOperators.CONCAT, "mlp_input", Map.of("axis", 2),
                            perCandidate(side.mlp(), "mlp_user_rows", dm),
                            itemInput(itemMlp(), candidates));
                    firstLayer = g.op(ServingOps.RELU, "mlp_1", g.op(ONNXOperators.GEMM, "mlp_1_linear",
                            Map.of("transB", 1), flat(g.op(ONNXOperators.MUL, "gated", gate, joined), "gated_rows", f),
                            g.floats("mlp_1_weight", w1, first, f), g.floats("mlp_1_bias", b1, first)));
                } else {
                    // h_1 = relu([W_1,z z_m] + [W_1,q q_m + b_1]).
                    float[] itemHalf = TableMath.affine(itemTable, items + 1, width, dg, w1, first, f, dm, dm, b1);
                    if (mlpColumns()) {
                        // [w_1, 1, N+2] + [w_1, B, 1]: the add runs along the items with one scalar of the user
                        // half per run.
                        ONNXRef<?> linear = g.op(ONNXOperators.ADD, "mlp_1_linear", g.floats("mlp_1_item_columns",
                                transposedWithOutOfRangeRow(itemHalf, items + 1, first), first, 1, items + 2),
                                side.mlpTimesColumns("mlp_1_user", w1, first));
                        firstLayer = g.op(ServingOps.RESHAPE, "mlp_1_columns", g.op(ServingOps.RELU, "mlp_1", linear),
                                g.longs("mlp_1_columns_shape", first, -1L));                         // [w_1, B*(N+2)]
                    } else {
                        ONNXRef<?> linear = g.op(ONNXOperators.ADD, "mlp_1_linear",
                                itemRows("mlp_1_items", itemHalf, first, candidates),
                                perCandidate(side.mlpTimes("mlp_1_user", w1, first), "mlp_1_user_rows", first));
                        firstLayer = flat(g.op(ServingOps.RELU, "mlp_1", linear), "mlp_1_rows", first);
                    }
                }
                hidden = tower(firstLayer);
            }
            return output(gmf, hidden, candidates);
        }

        /**
         * The gated first layer for the whole catalogue without a softmax per item, on columns [w_1, B*(N+2)].
         * The gate's logits are a user half plus an item half, {@code l = u + v}, so its numerators factor:
         * {@code e^l = e^u ⊙ e^v}, each shifted by its own maximum (a per-user and a per-item factor that cancel
         * in the ratio). With {@code s = e^u · e^v} and {@code x = [z_m ; q_m]}:
         * <pre>
         *   W_1 (a ⊙ x) = (1 / s) · W_1 diag(e^u ⊙ [z_m ; 1]) · (e^v ⊙ [1 ; q_m])
         * </pre>
         * The right factor depends only on the item (a constant [2Dm, N+2] table, as is {@code e^v} for
         * {@code s}); the left one is a [w_1, 2Dm] matrix per user, built once per request. A request then costs
         * two matrix products wide along the items instead of an exponential per item and feature. Used only
         * when the two shifted exponents cannot add up to less than {@code -GATE_EXPONENT_RANGE}
         * ({@link #factoredGate()}), so {@code s >= e^-80} and nothing underflows.
         */
        private ONNXRef<?> factoredGateFirstLayer(UserSide side) {
            int f = 2 * dm;
            int first = layers.get(1);
            float[] wa = values("gate_weight");
            float[] itemFactors = TableMath.softmaxFactors(gateItemLogits(), items + 1, f);
            float[] itemMlp = itemMlp();
            float[] itemColumns = itemFactors.clone();                                  // e^v ⊙ [1 ; q_m]
            for (int i = 0; i <= items; i++) {
                for (int c = 0; c < dm; c++) {
                    itemColumns[i * f + dm + c] *= itemMlp[i * dm + c];
                }
            }
            ONNXRef<?> userLogits = side.mlpTimes("gate_user", wa, f);                          // [B, 1, 2Dm]
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
                    g.floats("mlp_1_weight", values("mlp_1_weight"), first, f), coefficients);  // [B, w_1, 2Dm]
            ONNXRef<?> numerators = g.op(ServingOps.MAT_MUL, "mlp_1_numerators", userWeights,       // [B, w_1, N+2]
                    g.floats("mlp_1_item_factors", transposedWithOutOfRangeRow(itemColumns, items + 1, f), f,
                            items + 2));
            ONNXRef<?> sums = g.op(ServingOps.MAT_MUL, "gate_sums", userFactors,                   // [B, 1, N+2]
                    g.floats("gate_item_factors", transposedWithOutOfRangeRow(itemFactors, items + 1, f), f,
                            items + 2));
            ONNXRef<?> linear = g.op(ONNXOperators.ADD, "mlp_1_linear", g.op(ONNXOperators.MUL, "mlp_1_gated",
                    numerators, g.op(ServingOps.RECIPROCAL, "gate_sums_inverse", sums)),
                    g.floats("mlp_1_bias_column", values("mlp_1_bias"), first, 1));
            ONNXRef<?> columns = g.op(ServingOps.TRANSPOSE, "mlp_1_by_feature", Map.of("perm", new int[] {1, 0, 2}),
                    g.op(ServingOps.RELU, "mlp_1", linear));                                       // [w_1, B, N+2]
            return g.op(ServingOps.RESHAPE, "mlp_1_columns", columns, g.longs("mlp_1_columns_shape", first, -1L));
        }

        /**
         * Whether catalogue scoring uses {@link #factoredGateFirstLayer}: a gated head whose gate logits, over
         * every user and item the graph can see, spread over at most {@code GATE_EXPONENT_RANGE} nats, the user's
         * and the item's spreads added (item rows exactly; table users exactly; a history user through a bound on
         * the pooled vector's norm). Otherwise the graph keeps one softmax per item, exact at any spread.
         */
        private boolean factoredGate() {
            if (!config.gated() || !catalogue) {
                return false;
            }
            if (factoredGate == null) {
                int f = 2 * dm;
                float[] wa = values("gate_weight");
                double itemSpread = TableMath.maxRowSpread(gateItemLogits(), items + 1, f);
                double userSpread;
                if (!config.usesHistory()) {
                    float[] userMlp = TableMath.columns(values("user_embedding"), users + 1, width, dg, width);
                    userSpread = TableMath.maxRowSpread(TableMath.affine(userMlp, users + 1, dm, 0, wa, f, f, 0, dm,
                            null), users + 1, f);
                } else {
                    // u_k - u_l = (w_k - w_l) · z_m, and |z_m| <= |p_m| + max |V_m[i] + E_m[r]| (the attention
                    // weights sum to 1).
                    double pooled = (config.userEmbedding() ? TableMath.maxRowNorm(values("user_embedding"), users + 1,
                            width, dg, width) : 0.0) + TableMath.maxSumNorm(values("history_embedding"), items + 1,
                            values("position_embedding"), config.historyLength(), width, dg, width);
                    userSpread = TableMath.maxRowDistance(wa, f, f, 0, dm) * pooled;
                }
                factoredGate = itemSpread + userSpread <= GATE_EXPONENT_RANGE;
            }
            return factoredGate;
        }

        /**
         * {@code W_a,q q_m + b_a} for every item: the item half of the gate's logits, [N+1, 2Dm]. Computed once,
         * for the gate's item table and for the factored gate's tables and spread check.
         */
        private float[] gateItemLogits() {
            if (gateItemLogits == null) {
                int f = 2 * dm;
                gateItemLogits = TableMath.affine(itemTable, items + 1, width, dg, values("gate_weight"), f, f, dm, dm,
                        values("gate_bias"));
            }
            return gateItemLogits;
        }

        /** {@code q_m} for every item, [N+1, Dm]. */
        private float[] itemMlp() {
            return TableMath.columns(itemTable, items + 1, width, dg, width);
        }

        /** The user side of the head: one vector {@code z = [z_g ; z_m]} per request. */
        private interface UserSide {
            /** {@code [z_g | 1]}, [B, 1, Dg+1]. */
            ONNXRef<?> gmf();

            /** {@code z_m}, [B, 1, Dm]. */
            ONNXRef<?> mlp();

            /** {@code W[:, 0:Dm] z_m} for a row-major [outputs, 2Dm] weight, as [B, 1, outputs]. */
            ONNXRef<?> mlpTimes(String name, float[] weight, int outputs);

            /** The same as [outputs, B, 1]. */
            ONNXRef<?> mlpTimesColumns(String name, float[] weight, int outputs);
        }

        /**
         * GMF, MLP, NeuMF, ANeuMF: the user side is a table row, so its terms are precomputed per user too
         * ({@code [p_g | 1]}, {@code W_1,z p_m}, {@code W_a,z p_m}) and a request only gathers them.
         */
        private UserSide tableUserSide() {
            ONNXRef<?> user = clampIndex(userInput, users, "user");
            float[] userTable = values("user_embedding");
            int u = users + 1;
            float[] userMlp = TableMath.columns(userTable, u, width, dg, width);
            return new UserSide() {
                @Override
                public ONNXRef<?> gmf() {
                    float[] own = TableMath.withColumn(TableMath.columns(userTable, u, width, 0, dg), u, dg, 1f);
                    return g.gather("gmf_user", rowsOf("gmf_user_table", own, u, 1, dg + 1), user);
                }

                @Override
                public ONNXRef<?> mlp() {
                    return g.gather("mlp_user", rowsOf("mlp_user_table", userMlp, u, 1, dm), user);
                }

                @Override
                public ONNXRef<?> mlpTimes(String name, float[] weight, int outputs) {
                    return g.gather(name, rowsOf(name + "_table", product(weight, outputs), u, 1, outputs), user);
                }

                @Override
                public ONNXRef<?> mlpTimesColumns(String name, float[] weight, int outputs) {
                    // The table stored transposed, [outputs, U+2, 1], picked along axis 1.
                    return g.op(ONNXOperators.GATHER, name, Map.of("axis", 1), g.floats(name + "_columns",
                            transposedWithOutOfRangeRow(product(weight, outputs), u, outputs), outputs, u + 1, 1), user);
                }

                private float[] product(float[] weight, int outputs) {
                    return TableMath.affine(userMlp, u, dm, 0, weight, outputs, 2 * dm, 0, dm, null);
                }
            };
        }

        /** The items' MLP halves {@code q_m} as the second half of the gated input, [B, C or N+2, Dm]. */
        private ONNXRef<?> itemInput(float[] itemMlp, ONNXRef<?> candidates) {
            ONNXRef<?> rows = itemRows("mlp_items", itemMlp, dm, candidates);
            // A concatenation needs the batch dimension the catalogue table lacks.
            return catalogue ? perCandidate(rows, "mlp_items", dm) : rows;
        }

        /**
         * Whether the MLP runs on columns, [w, B*(N+2)], one per scored (user, item): catalogue scoring. Every
         * pass then runs along the 3,700-odd items instead of along a row of a few dozen features: the first
         * layer's add meets the user half as one scalar per long run (no Expand of the user half first), and
         * each Gemm is a small constant weight matrix times a wide activation matrix rather than a tall
         * activation matrix times a constant only 16 or 8 columns wide. With the one-node index clip it took
         * NeuMF at MovieLens-1M size from 0.33 to 0.22-0.26 ms per call (README, scoring benchmark). A gated
         * first layer gets there by factoring its softmax ({@link #factoredGateFirstLayer}); an unfactored gate
         * (a softmax per item runs fast only along the last axis) and gathered candidates keep rows.
         */
        private boolean mlpColumns() {
            return catalogue && (!config.gated() || factoredGate());
        }

        /**
         * Layers 2.. of the MLP: {@code h_l = relu(W_l h_{l-1} + b_l)}, on [B*C, w] rows (the constant weights
         * the right operand, which ONNX Runtime packs once) or on [w, B*(N+2)] columns ({@link #mlpColumns()});
         * ONNX Runtime fuses each Gemm with its ReLU.
         */
        private ONNXRef<?> tower(ONNXRef<?> first) {
            ONNXRef<?> hidden = first;
            for (int l = 2; l < layers.size(); l++) {
                ONNXRef<?> weight = g.floats("mlp_" + l + "_weight", values("mlp_" + l + "_weight"), layers.get(l),
                        layers.get(l - 1));
                float[] bias = values("mlp_" + l + "_bias");
                ONNXRef<?> linear = mlpColumns()
                        ? g.op(ONNXOperators.GEMM, "mlp_" + l + "_linear", weight, hidden,
                                g.floats("mlp_" + l + "_bias", bias, layers.get(l), 1))
                        : g.op(ONNXOperators.GEMM, "mlp_" + l + "_linear", Map.of("transB", 1), hidden, weight,
                                g.floats("mlp_" + l + "_bias", bias, layers.get(l)));
                hidden = g.op(ServingOps.RELU, "mlp_" + l, linear);
            }
            return hidden;
        }

        /**
         * The history's keys, shared by both attention queries (see {@link NcfModel}): {@code k_j = V[h_j] +
         * E[r_j]} with padding keys zeroed, as [B, H, w] per branch, and the logits' keys {@code [k_g | 0 | k_m |
         * β]}: the slot bias rides in the logits' matrix product as a key column against a constant-1 query
         * column, masked to {@link #MASKED_LOGIT} on padding.
         *
         * @param valid     [B, H] float, 1 on the slots that hold an item of the vocabulary
         * @param history   [B, H] the history with padding and unknown items as 0
         * @param gmfKeys   [B, H, Dg+1] (a trailing zero column, the slot of the pooled values' constant 1), or null
         * @param mlpKeys   [B, H, Dm], or null
         * @param logitKeys [B, H, K], K = {@link #queryWidth()}
         */
        private record HistoryKeys(ONNXRef<?> valid, ONNXRef<?> history, ONNXRef<?> gmfKeys, ONNXRef<?> mlpKeys,
                                   ONNXRef<?> logitKeys) {
        }

        private HistoryKeys historyKeys() {
            int h = config.historyLength();
            ONNXRef<?> zero = g.scalar("zero", 0L);
            ONNXRef<?> positive = g.op(ONNXOperators.GREATER, "history_positive", historyInput, zero);
            ONNXRef<?> inVocabulary = g.op(ONNXOperators.LESS_OR_EQUAL, "history_in_vocabulary", historyInput,
                    g.scalar("history_max", (long) items));
            ONNXRef<?> valid = g.op(ServingOps.AND, "history_valid", positive, inVocabulary);       // [B, H]
            ONNXRef<?> history = g.op(ONNXOperators.WHERE, "history_index", valid, historyInput, zero);
            ONNXRef<?> validFloat = g.op(ONNXOperators.CAST, "history_valid_float",
                    Map.of("to", OnnxMl.TensorProto.DataType.FLOAT.getNumber()), valid);
            ONNXRef<?> mask = g.op(ONNXOperators.UNSQUEEZE, "history_mask", validFloat, g.longs("axis_2", 2L)); // [B, H, 1]

            // Slot j holds the item of recency r = H - 1 - j: reverse the position tables once, here.
            float[] keysTable = values("history_embedding");
            float[] positions = TableMath.reversedRows(values("position_embedding"), h, width);
            float[] positionBias = TableMath.reversedRows(values("position_bias"), h, 1);
            ONNXRef<?> gmfKeys = dg > 0 ? keys("gmf", keysTable, positions, 0, dg, 1, history, mask) : null;
            ONNXRef<?> mlpKeys = dm > 0 ? keys("mlp", keysTable, positions, dg, width, 0, history, mask) : null;
            ONNXRef<?> slotBias = g.op(ONNXOperators.UNSQUEEZE, "slot_bias", g.op(ONNXOperators.WHERE,
                    "slot_bias_masked", valid, g.floats("position_bias_by_slot", positionBias, h),
                    g.scalar("masked_logit", MASKED_LOGIT)), g.longs("axis_2", 2L));               // [B, H, 1]
            List<ONNXRef<?>> logitKeyParts = new java.util.ArrayList<>();
            if (gmfKeys != null) {
                logitKeyParts.add(gmfKeys);
            }
            if (mlpKeys != null) {
                logitKeyParts.add(mlpKeys);
            }
            logitKeyParts.add(slotBias);
            ONNXRef<?> logitKeys = g.op(ONNXOperators.CONCAT, "logit_keys", Map.of("axis", 2),
                    logitKeyParts.toArray(new ONNXRef<?>[0]));                                     // [B, H, K]
            return new HistoryKeys(validFloat, history, gmfKeys, mlpKeys, logitKeys);
        }

        /** Softmax over the slots of {@code queries · logitKeys}: [B, Q, K] queries give [B, Q, H] weights. */
        private ONNXRef<?> attention(HistoryKeys keys, ONNXRef<?> queries) {
            ONNXRef<?> logits = g.op(ServingOps.MAT_MUL, "attention_logits", queries,
                    g.op(ServingOps.TRANSPOSE, "logit_keys_t", Map.of("perm", new int[] {0, 2, 1}), keys.logitKeys()));
            return g.op(ONNXOperators.SOFTMAX, "attention", Map.of("axis", -1), logits);
        }

        /**
         * The values the attention pools, [B, H, Dg+1] and [B, H, Dm]: the keys plus the user's own embedding
         * (and the GMF's constant 1), added to the values rather than to each pooled vector:
         * {@code p + Σ α_j k_j = Σ α_j (k_j + p)} since the weights sum to 1, also for an all-padding history,
         * whose softmax is uniform over zero keys.
         */
        private ONNXRef<?> gmfValues(HistoryKeys keys) {
            if (config.userEmbedding()) {
                float[] own = TableMath.withColumn(TableMath.columns(values("user_embedding"), users + 1, width, 0, dg),
                        users + 1, dg, 1f);
                return g.op(ONNXOperators.ADD, "gmf_pool_values", keys.gmfKeys(),
                        g.gather("gmf_user_own", rowsOf("gmf_user_table", own, users + 1, 1, dg + 1), historyUser()));
            }
            float[] one = new float[dg + 1];
            one[dg] = 1f;
            return g.op(ONNXOperators.ADD, "gmf_pool_values", keys.gmfKeys(), g.floats("gmf_one", one, dg + 1));
        }

        /** See {@link #gmfValues}. */
        private ONNXRef<?> mlpValues(HistoryKeys keys) {
            if (!config.userEmbedding()) {
                return keys.mlpKeys();
            }
            return g.op(ONNXOperators.ADD, "mlp_pool_values", keys.mlpKeys(), g.gather("mlp_user_own",
                    rowsOf("mlp_user_table", TableMath.columns(values("user_embedding"), users + 1, width, dg, width),
                            users + 1, 1, dm), historyUser()));
        }

        /** The clamped user index of a history model with user embeddings (one node, however often asked). */
        private ONNXRef<?> historyUser() {
            if (historyUser == null) {
                historyUser = clampIndex(userInput, users, "user");
            }
            return historyUser;
        }

        /**
         * The history variant with the candidate as query: a user vector per candidate, so everything after
         * the attention works on [B*C, w] rows, one per (user, candidate); the GMF values' constant-1 column
         * meets the output bias in the GMF item table, and the GMF term enters the last Gemm as its C input.
         */
        private ONNXRef<?> historyScores(HistoryKeys keys, ONNXRef<?> candidates) {
            ONNXRef<?> queries = g.gather("queries", rowsOf("item_query_table", queryTable(),
                    items + 1, queryWidth()), candidates);                                           // [B, C, K]
            ONNXRef<?> alpha = attention(keys, queries);                                            // [B, C, H]
            ONNXRef<?> candidateRows = g.op(ServingOps.RESHAPE, "candidate_rows", candidates, g.longs("flat", -1L));

            ONNXRef<?> gmf = null;
            if (dg > 0) {
                ONNXRef<?> userGmf = flat(g.op(ServingOps.MAT_MUL, "gmf_pooled", alpha, gmfValues(keys)),
                        "gmf_user_rows", dg + 1);
                ONNXRef<?> products = g.op(ONNXOperators.MUL, "gmf_products", userGmf, g.gather("gmf_items",
                        rowsOf("gmf_item_table", gmfItemTable(), items + 1, dg + 1), candidateRows));
                gmf = g.op(ONNXOperators.REDUCE_SUM, "gmf", Map.of("keepdims", 1), products,       // [B*C, 1]
                        g.longs("axis_1", 1L));
            }
            ONNXRef<?> hidden = null;
            if (dm > 0) {
                ONNXRef<?> userMlp = flat(g.op(ServingOps.MAT_MUL, "mlp_pooled", alpha, mlpValues(keys)),
                        "mlp_user_rows", dm);
                hidden = tower(historyFirstLayer(userMlp, candidateRows));
            }
            return output(gmf, hidden, candidates);
        }

        /**
         * The history variant with the recent-item query: {@code y = W_y k_n + b_y} for the newest valid slot
         * {@code n}, precomputed as an item table {@code V W_y^T} and a slot table {@code E_slot W_y^T + b_y}
         * (both scaled by {@code 1/sqrt(D)} and laid out like the logits' keys), so the query is two gathered
         * rows added. One attention and one pooled user vector per request; the head then runs as for a
         * table user ({@link #headScores}).
         */
        private UserSide recentQueryUserSide(HistoryKeys keys) {
            int h = config.historyLength();
            float[] slotNumbers = new float[h];
            for (int j = 0; j < h; j++) {
                slotNumbers[j] = j + 1;
            }
            // The newest valid slot: the largest slot number among the valid ones (slot 0 if none is valid, when
            // every key is masked and the query does not matter).
            ONNXRef<?> newest = g.op(ServingOps.ARG_MAX, "newest_slot", Map.of("axis", 1, "keepdims", 1),
                    g.op(ONNXOperators.MUL, "valid_slot_numbers", keys.valid(), g.floats("slot_numbers", slotNumbers,
                            h)));                                                                    // [B, 1]
            ONNXRef<?> newestItem = g.op(ServingOps.GATHER_ELEMENTS, "newest_item", Map.of("axis", 1),
                    keys.history(), newest);                                                         // [B, 1]
            float[] queryWeight = values("query_weight");
            float[] positions = TableMath.reversedRows(values("position_embedding"), h, width);
            float[] itemQueries = TableMath.affine(values("history_embedding"), items + 1, width, 0, queryWeight,
                    width, width, 0, width, null);
            float[] slotQueries = TableMath.affine(positions, h, width, 0, queryWeight, width, width, 0, width,
                    values("query_bias"));
            ONNXRef<?> query = g.op(ONNXOperators.ADD, "recent_query",
                    g.gather("recent_query_item", g.floats("query_item_table", queryLayout(itemQueries, items + 1, 0f),
                            items + 1, queryWidth()), newestItem),
                    g.gather("recent_query_slot", g.floats("query_slot_table", queryLayout(slotQueries, h, 1f), h,
                            queryWidth()), newest));                                                 // [B, 1, K]
            ONNXRef<?> alpha = attention(keys, query);                                              // [B, 1, H]
            ONNXRef<?> pooledGmf = dg > 0 ? g.op(ServingOps.MAT_MUL, "gmf_pooled", alpha, gmfValues(keys)) : null;
            ONNXRef<?> pooledMlp = dm > 0 ? g.op(ServingOps.MAT_MUL, "mlp_pooled", alpha, mlpValues(keys)) : null;
            return new UserSide() {
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
            };
        }

        /** The first MLP layer on per-candidate user rows [B*C, Dm]: [B*C, w_1]. */
        private ONNXRef<?> historyFirstLayer(ONNXRef<?> userMlp, ONNXRef<?> candidateRows) {
            int f = 2 * dm;
            int first = layers.get(1);
            float[] w1 = values("mlp_1_weight");
            float[] b1 = values("mlp_1_bias");
            if (!config.gated()) {
                // h_1 = relu(W_1,z z_m + [W_1,q q_m + b_1]): the gathered item half is the Gemm's C input.
                return g.op(ServingOps.RELU, "mlp_1", g.op(ONNXOperators.GEMM, "mlp_1_linear", userMlp,
                        g.floats("mlp_1_user_weight", TableMath.transposedBlock(w1, first, f, 0, dm), dm, first),
                        g.gather("mlp_1_items", rowsOf("mlp_1_item_table", TableMath.affine(itemTable, items + 1, width,
                                dg, w1, first, f, dm, dm, b1), items + 1, first), candidateRows)));
            }
            // a = softmax(W_a,z z_m + [W_a,q q_m + b_a]) with the item half as the Gemm's C input;
            // x' = a ⊙ [z_m ; q_m]; h_1 = relu(W_1 x' + b_1).
            float[] wa = values("gate_weight");
            ONNXRef<?> gateLogits = g.op(ONNXOperators.GEMM, "gate_logits", userMlp,
                    g.floats("gate_user_weight", TableMath.transposedBlock(wa, f, f, 0, dm), dm, f),
                    g.gather("gate_items", rowsOf("gate_item_table", gateItemLogits(), items + 1, f), candidateRows));
            ONNXRef<?> gate = g.op(ONNXOperators.SOFTMAX, "gate", Map.of("axis", -1), gateLogits);
            ONNXRef<?> joined = g.op(ONNXOperators.CONCAT, "mlp_input", Map.of("axis", 1), userMlp,
                    g.gather("mlp_items", rowsOf("mlp_item_table", itemMlp(), items + 1, dm), candidateRows));
            return g.op(ServingOps.RELU, "mlp_1", g.op(ONNXOperators.GEMM, "mlp_1_linear", Map.of("transB", 1),
                    g.op(ONNXOperators.MUL, "gated", gate, joined), g.floats("mlp_1_weight", w1, first, f),
                    g.floats("mlp_1_bias", b1, first)));
        }

        /** Width of the attention queries: the GMF columns and a zero column, the MLP columns, the bias column. */
        private int queryWidth() {
            return (dg > 0 ? dg + 1 : 0) + dm + 1;
        }

        /** Item rows scaled as attention queries ({@link #queryLayout}, the bias column 1). */
        private float[] queryTable() {
            return queryLayout(itemTable, items + 1, 1f);
        }

        /**
         * Rows of width D scaled as attention queries and laid out like the logit keys: {@code [s y_g | 0 | s y_m
         * | last]} with {@code s = 1/sqrt(D)} (the zero meets the GMF values' constant column, {@code last} the
         * slot bias).
         */
        private float[] queryLayout(float[] queries, int rows, float last) {
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
                System.arraycopy(scaled, i * width + dg, out, at, dm);
                out[i * k + k - 1] = last;
            }
            return out;
        }

        /**
         * Keys of one branch's columns {@code [from, to)} plus {@code extra} zero columns:
         * {@code (V[h] + E_slot) ⊙ mask}, [B, H, to - from + extra].
         */
        private ONNXRef<?> keys(String branch, float[] keysTable, float[] positions, int from, int to, int extra,
                                ONNXRef<?> history, ONNXRef<?> mask) {
            int h = config.historyLength();
            int w = to - from + extra;
            float[] rows = TableMath.padColumns(TableMath.columns(keysTable, items + 1, width, from, to), items + 1,
                    to - from, w);
            float[] slots = TableMath.padColumns(TableMath.columns(positions, h, width, from, to), h, to - from, w);
            ONNXRef<?> gathered = g.gather(branch + "_history_rows", g.floats(branch + "_history_table", rows,
                    items + 1, w), history);
            ONNXRef<?> positioned = g.op(ONNXOperators.ADD, branch + "_keys_unmasked", gathered,
                    g.floats(branch + "_position_by_slot", slots, h, w));
            return g.op(ONNXOperators.MUL, branch + "_keys", positioned, mask);
        }
    }
}
