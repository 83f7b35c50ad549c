package io.streamrec.trainer.export;

import ai.onnx.proto.OnnxMl;
import io.streamrec.schemas.model.ServingSignature;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.model.NcfModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 *       the gate's softmax is factored into a user and an item part ({@code FactoredGateLayer}: the item
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
 * (features x scored items), see {@code NeuMfHead}.
 *
 * <h2>How the graph is built</h2>
 * This class declares the signature and the metadata; package-private pieces emit the graph, each one part of
 * it: {@code ServingGraph} (the inputs, the index clamp, the precomputed item tables), {@code TableUserSide}
 * (the user embedding tables of the plain variants), {@code HistoryAttention} (the history's keys and the
 * attention), {@code RecentQueryUserSide} (the history user pooled by the recent-item query),
 * {@code CandidateQueryScores} (the history with the candidate as query, per-candidate rows),
 * {@code NeuMfHead} (GMF term, MLP tower, output layer and the candidate or catalogue rows) and
 * {@code FactoredGateLayer} (the gated first layer of catalogue scoring, factored where exact).
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
     * gate logits spread little enough, see {@code FactoredGateLayer}) or {@code per-item} (a softmax per scored item).
     */
    public static final String META_GATE_FORM = "streamrec.model.gate_form";

    /** The default: the streams app ranks the whole catalogue on every click. */
    public static final CandidateScoring DEFAULT_SCORING = CandidateScoring.CATALOGUE;

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
        ServingGraph graph = new ServingGraph(model, writer, scoring);
        boolean factoredGate = FactoredGateLayer.applies(graph);
        NeuMfHead head = new NeuMfHead(graph, factoredGate);
        ONNXRef<?> scores = scores(graph, head);

        List<GraphWriter.Port> inputs = List.of(
                new GraphWriter.Port(ServingSignature.USER, OnnxMl.TensorProto.DataType.INT64, List.of("batch")),
                new GraphWriter.Port(ServingSignature.HISTORY, OnnxMl.TensorProto.DataType.INT64,
                        List.of("batch", historyLength)),
                new GraphWriter.Port(ServingSignature.CANDIDATES, OnnxMl.TensorProto.DataType.INT64,
                        List.of("batch", "candidates")));
        List<GraphWriter.Output> outputs = new ArrayList<>();
        outputs.add(new GraphWriter.Output(scores, new GraphWriter.Port(ServingSignature.SCORES,
                OnnxMl.TensorProto.DataType.FLOAT, List.of("batch", "candidates"))));
        Map<String, String> meta = metadata.onnxMetadata(config.variant().label(), config.describe(), historyLength,
                model.numItems(), userCount, scoring);
        Optional<NeuMfHead.Retrieval> retrievalStage = head.retrieval();
        retrievalStage.ifPresent(retrieval -> {
            int width = graph.dg + 1;
            outputs.add(new GraphWriter.Output(retrieval.query(), new GraphWriter.Port(
                    ServingSignature.RETRIEVAL_QUERY, OnnxMl.TensorProto.DataType.FLOAT, List.of("batch", width))));
            outputs.add(new GraphWriter.Output(retrieval.items(), new GraphWriter.Port(
                    ServingSignature.RETRIEVAL_ITEMS, OnnxMl.TensorProto.DataType.FLOAT,
                    List.of(model.numItems() + 2, width))));
            meta.put(ServingSignature.META_RETRIEVAL, ServingSignature.RETRIEVAL_GMF);
        });
        if (config.gated()) {
            meta.put(META_GATE_FORM, factoredGate ? "factored" : "per-item");
        }
        byte[] bytes = writer.finish(outputs, inputs, meta, config.describe(), metadata.codeVersion(),
                metadata.version());
        return new ExportedModel(bytes, config.variant().label(), historyLength, model.numItems(), userCount,
                scoring, retrievalStage.map(NeuMfHead.Retrieval::rows));
    }

    /**
     * The scores [B, C] of the model family member: a table user through the head, a history user pooled by the
     * recent-item query through the same head, or the candidate-query attention with its per-candidate rows.
     * The candidates are clamped first, then each piece adds its nodes in this fixed order.
     */
    private static ONNXRef<?> scores(ServingGraph graph, NeuMfHead head) {
        ONNXRef<?> candidates = graph.clampIndex(graph.candidateInput, graph.items, "candidate");   // [B, C]
        if (!graph.config.usesHistory()) {
            return head.scores(candidates, new TableUserSide(graph));
        }
        HistoryAttention attention = new HistoryAttention(graph);
        return graph.config.userSideQuery()
                ? head.scores(candidates, new RecentQueryUserSide(graph, attention))
                : new CandidateQueryScores(graph, attention, head).scores(candidates);
    }
}
