package io.streamrec.trainer.baseline;

import ai.onnx.proto.OnnxMl;
import io.streamrec.schemas.model.ServingSignature;
import io.streamrec.trainer.export.CandidateScoring;
import io.streamrec.trainer.export.ExportMetadata;
import io.streamrec.trainer.export.ExportedModel;
import io.streamrec.trainer.export.GraphWriter;
import io.streamrec.trainer.export.OnnxExporter;
import io.streamrec.trainer.export.ServingOps;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Exports an {@link ItemItemModel} to an ONNX graph (opset 13) with the one serving signature of
 * {@link ServingSignature}, the metadata keys of {@link OnnxExporter} and its graph writer:
 * <pre>
 *   history' = Clip(history, -1, N+1)                       [B, H]
 *   rows     = Gather(W', history', axis 0)                 [B, H, N+2]
 *   sums     = ReduceSum(rows, axes [1], keepdims 0)        [B, N+2]
 *   scores   = GatherElements(sums, Clip(candidates, -1, N+1), axis 1)   [B, C]
 * </pre>
 * {@code W'} is {@code W} with a zero row and column {@code N+1}, the copies of the padding row and column 0 that
 * {@code OnnxExporter}'s index clamp relies on: every index outside {@code 0..N} is clipped to {@code -1} or
 * {@code N+1}, both of which read them, so no input can make a gather fail, out-of-range history entries add
 * nothing (padding) and out-of-range candidates score 0 (item 0), as {@link ItemItemModel#score} does. The
 * {@code user} input is declared, as the signature demands, and ignored.
 *
 * <p>The graph sums whole rows of {@code W} and then picks the candidates, so its cost is the catalogue's
 * whatever the candidates: {@link CandidateScoring#CATALOGUE}, the mode the streams app's full-catalogue ranking
 * wants. The metadata says so, with variant {@link ItemItemModel.Kind#label()}, user count 0 (no user
 * embeddings: the release's user vocabulary is empty) and the model's hyperparameters over the caller's.
 *
 * <p>Stateless and thread-safe. The graph holds {@code W'} as float: {@code 4 (N+2)^2} bytes, 55 MB at 3,706
 * items, so a release at that size goes to the artifact store, not inline.
 */
public final class ItemItemExporter {

    private static final OnnxMl.TensorProto.DataType INT64 = OnnxMl.TensorProto.DataType.INT64;

    private ItemItemExporter() {
    }

    /** The graph of {@code model}, named and versioned by {@code metadata}. */
    public static ExportedModel export(ItemItemModel model, ExportMetadata metadata) {
        int n = model.numItems();
        int h = model.historyLength();
        String variant = model.kind().label();
        GraphWriter g = new GraphWriter("streamrec_" + variant.replace('-', '_'));
        ONNXRef<?> table = g.floats("item_item_weights", paddedWeights(model), n + 2, n + 2);
        ONNXRef<?> history = clamp(g, g.input(ServingSignature.HISTORY), n, "history");
        ONNXRef<?> rows = g.gather("history_rows", table, history);
        ONNXRef<?> sums = g.op(ONNXOperators.REDUCE_SUM, "item_sums", Map.of("keepdims", 0), rows,
                g.longs("history_axis", 1L));
        ONNXRef<?> candidates = clamp(g, g.input(ServingSignature.CANDIDATES), n, "candidate");
        ONNXRef<?> scores = g.op(ServingOps.GATHER_ELEMENTS, "candidate_scores", Map.of("axis", 1), sums,
                candidates);

        List<GraphWriter.Port> inputs = List.of(
                new GraphWriter.Port(ServingSignature.USER, INT64, List.of("batch")),
                new GraphWriter.Port(ServingSignature.HISTORY, INT64, List.of("batch", h)),
                new GraphWriter.Port(ServingSignature.CANDIDATES, INT64, List.of("batch", "candidates")));
        GraphWriter.Port output = new GraphWriter.Port(ServingSignature.SCORES, OnnxMl.TensorProto.DataType.FLOAT,
                List.of("batch", "candidates"));
        CandidateScoring scoring = CandidateScoring.CATALOGUE;
        Map<String, String> meta = withModelHyperparameters(metadata, model)
                .onnxMetadata(variant, model.describe(), h, n, 0, scoring);
        byte[] bytes = g.finish(scores, inputs, output, meta, model.describe(), metadata.codeVersion(),
                metadata.version());
        return new ExportedModel(bytes, variant, h, n, 0, scoring);
    }

    /** {@code x} clipped to {@code -1 .. n + 1}: see the class documentation for why both ends are safe. */
    private static ONNXRef<?> clamp(GraphWriter g, ONNXRef<?> x, int n, String name) {
        return g.op(ServingOps.CLIP, name + "_index", x, g.scalar(name + "_min", -1L), g.scalar(name + "_max",
                (long) n + 1));
    }

    /** {@code W} as {@code [N+2, N+2]}: each row with a zero last column, then a zero row. */
    private static float[] paddedWeights(ItemItemModel model) {
        int n = model.numItems();
        int width = n + 2;
        float[] padded = new float[width * width];
        for (int item = 0; item <= n; item++) {
            System.arraycopy(model.row(item), 0, padded, item * width, n + 1);
        }
        return padded;
    }

    /** The model's own hyperparameters win over the caller's: a caller's map cannot misstate the graph. */
    private static ExportMetadata withModelHyperparameters(ExportMetadata metadata, ItemItemModel model) {
        Map<String, String> hyperparameters = new LinkedHashMap<>(metadata.hyperparameters());
        hyperparameters.putAll(model.hyperparameters());
        return new ExportMetadata(metadata.modelName(), metadata.version(), metadata.codeVersion(), hyperparameters,
                metadata.provenance());
    }
}
