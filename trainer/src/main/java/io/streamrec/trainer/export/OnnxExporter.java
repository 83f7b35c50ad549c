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
 * tables the graph gathers by candidate. The raw item embedding never enters the graph:
 * <ul>
 *   <li>GMF: {@code q_g ⊙ w_o,g} (the output layer's GMF weights folded into the item), so the GMF logit is
 *       one dot product with the user's GMF half;</li>
 *   <li>MLP and NeuMF: {@code W_1,q q_m + b_1}, the item half of the first layer plus its bias; per candidate
 *       only an add and a ReLU remain before the second layer;</li>
 *   <li>ANeuMF (gated): {@code W_a,q q_m + b_a}, the item half of the gate's logits; the gated vector itself
 *       depends on both halves and is formed per candidate;</li>
 *   <li>history-attentive: the item table pre-scaled by {@code 1/sqrt(D)} (attention queries), position
 *       embeddings and biases pre-reversed into history-slot order.</li>
 * </ul>
 * The user side is computed once per row of the batch (plain variants) or per candidate (the history variant,
 * whose user vector depends on the candidate through attention).
 *
 * <h2>Inputs outside the vocabulary</h2>
 * As in {@link NcfModel#score}: a user outside {@code 0..U} is scored as the unknown user 0, history entries
 * outside {@code 1..N} are padding, candidates outside {@code 1..N} score as item 0. The graph clamps them
 * itself, so no input can make a gather fail. Padding slots are masked out of the attention softmax; an
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

    /** Exports the model's current parameters. */
    public static ExportedModel export(NcfModel model, ExportMetadata metadata) {
        ModelConfig config = model.config();
        int historyLength = servingHistoryLength(config);
        int userCount = servingUserCount(model);
        GraphWriter writer = new GraphWriter("streamrec_" + config.variant().label().replace('-', '_'));
        ONNXRef<?> scores = new Graph(model, writer).scores();

        List<GraphWriter.Port> inputs = List.of(
                new GraphWriter.Port(ServingSignature.USER, OnnxMl.TensorProto.DataType.INT64, List.of("batch")),
                new GraphWriter.Port(ServingSignature.HISTORY, OnnxMl.TensorProto.DataType.INT64,
                        List.of("batch", historyLength)),
                new GraphWriter.Port(ServingSignature.CANDIDATES, OnnxMl.TensorProto.DataType.INT64,
                        List.of("batch", "candidates")));
        GraphWriter.Port output = new GraphWriter.Port(ServingSignature.SCORES, OnnxMl.TensorProto.DataType.FLOAT,
                List.of("batch", "candidates"));
        byte[] bytes = writer.finish(scores, inputs, output,
                metadata(config, metadata, historyLength, model.numItems(), userCount),
                config.describe(), metadata.codeVersion(), metadata.version());
        return new ExportedModel(bytes, config.variant(), historyLength, model.numItems(), userCount);
    }

    private static Map<String, String> metadata(ModelConfig config, ExportMetadata metadata, int historyLength,
                                                int itemCount, int userCount) {
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
        private final ONNXRef<?> zero;
        private final ONNXRef<?> axis1;
        private final ONNXRef<?> axis2;
        private final float[] itemTable;

        Graph(NcfModel model, GraphWriter writer) {
            this.g = writer;
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
            this.zero = g.scalar("zero", 0L);
            this.axis1 = g.longs("axis_1", 1L);
            this.axis2 = g.longs("axis_2", 2L);
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
            Side side = config.usesHistory() ? historySide(candidates) : embeddingSide(candidates);
            ONNXRef<?> gmf = dg > 0 ? gmfLogit(side) : null;                                   // [B*C, 1]
            ONNXRef<?> total;
            if (dm > 0) {
                ONNXRef<?> mlp = mlpLogit(side);                                               // [B*C, 1], with b_o
                total = gmf == null ? mlp : g.op(ONNXOperators.ADD, "logit", gmf, mlp);
            } else {
                total = g.op(ONNXOperators.ADD, "logit", gmf, g.scalar("output_bias", values("output_bias")[0]));
            }
            return g.op(ServingOps.RESHAPE, "scores", total, g.op(ServingOps.SHAPE, "scores_shape", candidateInput));
        }

        /** {@code x} where {@code 0 <= x <= max}, else 0: out-of-vocabulary indices become unknown / padding. */
        private ONNXRef<?> clampIndex(ONNXRef<?> input, int max, String name) {
            ONNXRef<?> nonNegative = g.op(ServingOps.MAX, name + "_non_negative", input, zero);
            ONNXRef<?> tooLarge = g.op(ONNXOperators.GREATER, name + "_too_large", input, g.scalar(name + "_max",
                    (long) max));
            return g.op(ONNXOperators.WHERE, name + "_index", tooLarge, zero, nonNegative);
        }

        /**
         * The user side and how candidates meet it. Plain variants: {@code gmf} / {@code mlp} are one row per
         * user, [B, Dg] / [B, Dm], and item tables are gathered as [B, C, w] to broadcast against them. The
         * history variant: the user vector depends on the candidate, so both are flat rows [B*C, w], one per
         * (user, candidate), and item tables are gathered by the flattened candidates.
         */
        private record Side(ONNXRef<?> gmf, ONNXRef<?> mlp, boolean perCandidate, ONNXRef<?> itemIndex) {
        }

        /** An item table gathered by candidate: [B, C, w] or [B*C, w] (see {@link Side}). */
        private ONNXRef<?> items(Side side, String name, float[] table, int w) {
            return g.gather(name, g.floats(name + "_table", table, items + 1, w), side.itemIndex());
        }

        private ONNXRef<?> rows(ONNXRef<?> tensor, String name, int w) {
            return g.op(ServingOps.RESHAPE, name, tensor, g.longs(name + "_shape", -1L, w));
        }

        private Side embeddingSide(ONNXRef<?> candidates) {
            ONNXRef<?> user = clampIndex(userInput, users, "user");
            float[] table = values("user_embedding");
            ONNXRef<?> gmf = dg > 0 ? g.gather("user_gmf",
                    g.floats("user_gmf_table", TableMath.columns(table, users + 1, width, 0, dg), users + 1, dg), user)
                    : null;
            ONNXRef<?> mlp = dm > 0 ? g.gather("user_mlp",
                    g.floats("user_mlp_table", TableMath.columns(table, users + 1, width, dg, width), users + 1, dm),
                    user) : null;
            return new Side(gmf, mlp, false, candidates);
        }

        /**
         * Target attention over the history (see {@link NcfModel}): keys {@code k_j = V[h_j] + E[r_j]} with
         * padding keys zeroed, logits {@code β[r_j] + q·k_j / sqrt(D)} with padding masked, softmax over the
         * slots, pooled keys plus the user's own embedding when the model has one. Two folds keep per-candidate
         * passes few: the slot bias rides in the logits' matrix product as an extra key column against a
         * constant-1 query column, and the user's own embedding is added to every pooled key row instead of to
         * every candidate's pooled vector ({@code p + Σ α_j k_j = Σ α_j (k_j + p)} since the weights sum to 1,
         * also for an all-padding history, whose softmax is uniform over zero keys).
         */
        private Side historySide(ONNXRef<?> candidates) {
            int h = config.historyLength();
            ONNXRef<?> positive = g.op(ONNXOperators.GREATER, "history_positive", historyInput, zero);
            ONNXRef<?> inVocabulary = g.op(ONNXOperators.LESS_OR_EQUAL, "history_in_vocabulary", historyInput,
                    g.scalar("history_max", (long) items));
            ONNXRef<?> valid = g.op(ServingOps.AND, "history_valid", positive, inVocabulary);       // [B, H]
            ONNXRef<?> history = g.op(ONNXOperators.WHERE, "history_index", valid, historyInput, zero);
            ONNXRef<?> mask = g.op(ONNXOperators.UNSQUEEZE, "history_mask", g.op(ONNXOperators.CAST,
                    "history_valid_float", Map.of("to", OnnxMl.TensorProto.DataType.FLOAT.getNumber()), valid),
                    axis2);                                                                        // [B, H, 1]

            // Slot j holds the item of recency r = H - 1 - j: reverse the position tables once, here.
            float[] keysTable = values("history_embedding");
            float[] positions = TableMath.reversedRows(values("position_embedding"), h, width);
            float[] positionBias = TableMath.reversedRows(values("position_bias"), h, 1);
            ONNXRef<?> gmfKeys = dg > 0 ? keys("gmf", keysTable, positions, 0, dg, history, mask) : null;
            ONNXRef<?> mlpKeys = dm > 0 ? keys("mlp", keysTable, positions, dg, width, history, mask) : null;
            ONNXRef<?> slotBias = g.op(ONNXOperators.UNSQUEEZE, "slot_bias", g.op(ONNXOperators.WHERE,
                    "slot_bias_masked", valid, g.floats("position_bias_by_slot", positionBias, h),
                    g.scalar("masked_logit", MASKED_LOGIT)), axis2);                              // [B, H, 1]
            ONNXRef<?> logitKeys = gmfKeys == null
                    ? g.op(ONNXOperators.CONCAT, "logit_keys", Map.of("axis", 2), mlpKeys, slotBias)
                    : mlpKeys == null
                    ? g.op(ONNXOperators.CONCAT, "logit_keys", Map.of("axis", 2), gmfKeys, slotBias)
                    : g.op(ONNXOperators.CONCAT, "logit_keys", Map.of("axis", 2), gmfKeys, mlpKeys, slotBias);

            float scale = (float) (1.0 / Math.sqrt(width)); // as NcfModel: a float scale times each query entry
            ONNXRef<?> queries = g.gather("queries", g.floats("item_query_table", queryTable(scale), items + 1,
                    width + 1), candidates);                                                        // [B, C, D+1]
            ONNXRef<?> logits = g.op(ServingOps.MAT_MUL, "attention_logits", queries,
                    g.op(ServingOps.TRANSPOSE, "logit_keys_t", Map.of("perm", new int[] {0, 2, 1}), logitKeys));
            ONNXRef<?> alpha = g.op(ONNXOperators.SOFTMAX, "attention", Map.of("axis", -1), logits); // [B, C, H]

            ONNXRef<?> user = config.userEmbedding() ? clampIndex(userInput, users, "user") : null;
            float[] userTable = config.userEmbedding() ? values("user_embedding") : null;
            ONNXRef<?> gmf = gmfKeys == null ? null : pooled("gmf", alpha, gmfKeys, user, userTable, 0, dg);
            ONNXRef<?> mlp = mlpKeys == null ? null : pooled("mlp", alpha, mlpKeys, user, userTable, dg, width);
            ONNXRef<?> itemRows = g.op(ServingOps.RESHAPE, "candidate_rows", candidates, g.longs("flat", -1L));
            return new Side(gmf, mlp, true, itemRows);
        }

        /** Item rows scaled as attention queries, plus a constant-1 column that picks up the slot bias. */
        private float[] queryTable(float scale) {
            float[] scaled = TableMath.times(itemTable, scale);
            float[] out = new float[(items + 1) * (width + 1)];
            for (int i = 0; i <= items; i++) {
                System.arraycopy(scaled, i * width, out, i * (width + 1), width);
                out[i * (width + 1) + width] = 1f;
            }
            return out;
        }

        /** Keys of one branch's columns {@code [from, to)}: {@code (V[h] + E_slot) ⊙ mask}, [B, H, to - from]. */
        private ONNXRef<?> keys(String branch, float[] keysTable, float[] positions, int from, int to,
                                ONNXRef<?> history, ONNXRef<?> mask) {
            int h = config.historyLength();
            int w = to - from;
            ONNXRef<?> rows = g.gather(branch + "_history_rows", g.floats(branch + "_history_table",
                    TableMath.columns(keysTable, items + 1, width, from, to), items + 1, w), history);
            ONNXRef<?> positioned = g.op(ONNXOperators.ADD, branch + "_keys_unmasked", rows,
                    g.floats(branch + "_position_by_slot", TableMath.columns(positions, h, width, from, to), h, w));
            return g.op(ONNXOperators.MUL, branch + "_keys", positioned, mask);
        }

        /** {@code Σ α_j (k_j + p)} for the columns {@code [from, to)}, as rows [B*C, to - from]. */
        private ONNXRef<?> pooled(String branch, ONNXRef<?> alpha, ONNXRef<?> keys, ONNXRef<?> user, float[] userTable,
                                  int from, int to) {
            ONNXRef<?> poolValues = keys;
            if (user != null) {
                ONNXRef<?> own = g.gather(branch + "_user_own", g.floats(branch + "_user_table",
                        TableMath.columns(userTable, users + 1, width, from, to), users + 1, to - from), user);
                poolValues = g.op(ONNXOperators.ADD, branch + "_pool_values", keys,
                        g.op(ONNXOperators.UNSQUEEZE, branch + "_user_own_3d", own, axis1));
            }
            return rows(g.op(ServingOps.MAT_MUL, branch + "_pooled", alpha, poolValues), branch + "_user_rows",
                    to - from);
        }

        /** The GMF term {@code w_o,g · (z_g ⊙ q_g)} as {@code z_g · (q_g ⊙ w_o,g)}: [B*C, 1]. */
        private ONNXRef<?> gmfLogit(Side side) {
            float[] table = TableMath.scaledColumns(itemTable, items + 1, width, 0, dg, values("output_weight"), 0);
            ONNXRef<?> weightedItems = items(side, "gmf_items", table, dg);
            if (side.perCandidate()) {
                return g.op(ONNXOperators.REDUCE_SUM, "gmf_logit", Map.of("keepdims", 1),
                        g.op(ONNXOperators.MUL, "gmf_products", side.gmf(), weightedItems), axis1);
            }
            // One user row against all its candidates: a batched matrix-vector product, [B, C, 1].
            return rows(g.op(ServingOps.MAT_MUL, "gmf_logit_3d", weightedItems,
                    g.op(ONNXOperators.UNSQUEEZE, "user_gmf_column", side.gmf(), axis2)), "gmf_logit", 1);
        }

        /** {@code z_m · M} for a {@code [Dm, k]} matrix, as [B, 1, k] to broadcast over candidates. */
        private ONNXRef<?> userTerm(Side side, String name, float[] matrix, int k) {
            ONNXRef<?> product = g.op(ServingOps.MAT_MUL, name, side.mlp(), g.floats(name + "_weight", matrix, dm, k));
            return g.op(ONNXOperators.UNSQUEEZE, name + "_3d", product, axis1);
        }

        /** The MLP tower and the output layer's MLP term plus the output bias: [B*C, 1]. */
        private ONNXRef<?> mlpLogit(Side side) {
            int f = 2 * dm;
            int first = layers.get(1);
            float[] w1 = values("mlp_1_weight");
            float[] b1 = values("mlp_1_bias");
            ONNXRef<?> hidden;
            if (config.gated()) {
                // a = softmax(W_a,z z_m + [W_a,q q_m + b_a]), x' = a ⊙ [z_m ; q_m], h_1 = relu(W_1 x' + b_1).
                float[] wa = values("gate_weight");
                float[] gateItems = TableMath.affine(itemTable, items + 1, width, dg, wa, f, f, dm, dm,
                        values("gate_bias"));
                float[] gateUser = TableMath.transposedBlock(wa, f, f, 0, dm);
                float[] itemMlp = TableMath.columns(itemTable, items + 1, width, dg, width);
                ONNXRef<?> gated;
                if (side.perCandidate()) {
                    // Gemm adds the gathered item half as its C input: no separate pass over the logits.
                    ONNXRef<?> gateLogits = g.op(ONNXOperators.GEMM, "gate_logits", side.mlp(),
                            g.floats("gate_user_weight", gateUser, dm, f), items(side, "gate_items", gateItems, f));
                    ONNXRef<?> gate = g.op(ONNXOperators.SOFTMAX, "gate", Map.of("axis", -1), gateLogits);
                    ONNXRef<?> joined = g.op(ONNXOperators.CONCAT, "mlp_input", Map.of("axis", 1), side.mlp(),
                            items(side, "mlp_items", itemMlp, dm));
                    gated = g.op(ONNXOperators.MUL, "gated", gate, joined);
                } else {
                    ONNXRef<?> gateLogits = g.op(ONNXOperators.ADD, "gate_logits", items(side, "gate_items", gateItems,
                            f), userTerm(side, "gate_user", gateUser, f));
                    ONNXRef<?> gate = g.op(ONNXOperators.SOFTMAX, "gate", Map.of("axis", -1), gateLogits);
                    // [0 ; q_m] per item plus [z_m ; 0] per user: the concatenation without materialising z_m
                    // once per candidate.
                    ONNXRef<?> joined = g.op(ONNXOperators.ADD, "mlp_input",
                            items(side, "mlp_items", rightAligned(itemMlp, items + 1, dm, f), f),
                            userTerm(side, "mlp_user", leftIdentity(dm, f), f));
                    gated = rows(g.op(ONNXOperators.MUL, "gated_3d", gate, joined), "gated", f);
                }
                hidden = g.op(ServingOps.RELU, "mlp_1", g.op(ONNXOperators.GEMM, "mlp_1_linear",
                        Map.of("transB", 1), gated, g.floats("mlp_1_weight", w1, first, f), g.floats("mlp_1_bias", b1,
                                first)));
            } else {
                // h_1 = relu(W_1,z z_m + [W_1,q q_m + b_1]).
                float[] firstItems = TableMath.affine(itemTable, items + 1, width, dg, w1, first, f, dm, dm, b1);
                float[] firstUser = TableMath.transposedBlock(w1, first, f, 0, dm);
                if (side.perCandidate()) {
                    hidden = g.op(ServingOps.RELU, "mlp_1", g.op(ONNXOperators.GEMM, "mlp_1_linear", side.mlp(),
                            g.floats("mlp_1_user_weight", firstUser, dm, first),
                            items(side, "mlp_1_items", firstItems, first)));
                } else {
                    hidden = rows(g.op(ServingOps.RELU, "mlp_1_3d", g.op(ONNXOperators.ADD, "mlp_1_linear",
                            items(side, "mlp_1_items", firstItems, first), userTerm(side, "mlp_1_user", firstUser,
                                    first))), "mlp_1", first);
                }
            }
            for (int l = 2; l < layers.size(); l++) {
                hidden = g.op(ServingOps.RELU, "mlp_" + l, g.op(ONNXOperators.GEMM, "mlp_" + l + "_linear",
                        Map.of("transB", 1), hidden,
                        g.floats("mlp_" + l + "_weight", values("mlp_" + l + "_weight"), layers.get(l), layers.get(l - 1)),
                        g.floats("mlp_" + l + "_bias", values("mlp_" + l + "_bias"), layers.get(l))));
            }
            int last = config.mlpOutputWidth();
            float[] outputWeight = values("output_weight");
            float[] mlpWeight = java.util.Arrays.copyOfRange(outputWeight, dg, dg + last);
            return g.op(ONNXOperators.GEMM, "mlp_logit", Map.of("transB", 1), hidden,
                    g.floats("output_mlp_weight", mlpWeight, 1, last), g.floats("output_bias", values("output_bias"), 1));
        }

        /** Each {@code [rows, w]} row placed in the last {@code w} columns of a {@code [rows, f]} table. */
        private static float[] rightAligned(float[] table, int rows, int w, int f) {
            float[] out = new float[rows * f];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(table, r * w, out, r * f + f - w, w);
            }
            return out;
        }

        /** {@code [I_w | 0]}, a {@code [w, f]} matrix that places a row vector in the first {@code w} columns. */
        private static float[] leftIdentity(int w, int f) {
            float[] out = new float[w * f];
            for (int i = 0; i < w; i++) {
                out[i * f + i] = 1f;
            }
            return out;
        }
    }
}
