package io.streamrec.trainer.export;

import io.streamrec.schemas.model.ServingSignature;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.model.NcfModel;
import io.streamrec.trainer.model.ParameterTensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * One model's graph under construction, shared by the pieces that emit it ({@link TableUserSide},
 * {@link HistoryAttention}, {@link RecentQueryUserSide}, {@link CandidateQueryScores}, {@link NeuMfHead},
 * {@link FactoredGateLayer}): the writer, the model's parameters by name and its sizes, the three serving inputs
 * {@code user}, {@code history} and {@code candidates} (declared int64 by {@link OnnxExporter}), and the
 * primitives every piece builds on: the index clamp and the tables it picks from, and the item tables the
 * exporter precomputes.
 *
 * <p>Invariant of the clamp: an index from {@link #clampIndex} lies in {@code -1 .. max + 1}, and every table it
 * picks from is built by {@link #rowsOf} with a copy of row 0 as its extra last row, which both ends read; no input
 * can make a gather fail.
 *
 * <p>The ONNX node and initializer names follow the order of the calls, so the pieces must ask for nodes in a
 * fixed order; equal models give equal bytes. One graph per export; not thread-safe.
 */
final class ServingGraph {

    final GraphWriter g;
    final ModelConfig config;
    /** Items 1..items are scorable; item tables have items + 1 rows (row 0 the unknown item). */
    final int items;
    /** Users 1..users have an embedding; user tables have users + 1 rows (row 0 the unknown user). */
    final int users;
    /** Width D of an embedding row: the GMF part {@code dg}, then the MLP part {@code dm}. */
    final int width;
    final int dg;
    final int dm;
    /** The MLP layer widths, {@code layers[0] = 2 dm}. */
    final List<Integer> layers;
    final ONNXPlaceholder userInput;
    final ONNXPlaceholder historyInput;
    final ONNXPlaceholder candidateInput;
    /** The item embedding, [items + 1, D]. */
    final float[] itemTable;
    /** Score the whole catalogue and pick the candidates at the end (see {@link CandidateScoring}). */
    final boolean catalogue;

    private final NcfModel model;
    private final Map<String, ParameterTensor> params = new HashMap<>();
    private float[] gateItemLogits;

    ServingGraph(NcfModel model, GraphWriter writer, CandidateScoring scoring) {
        this.g = writer;
        this.catalogue = scoring == CandidateScoring.CATALOGUE;
        this.model = model;
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

    /** The values of the model's parameter {@code name}, row-major. */
    float[] values(String name) {
        ParameterTensor tensor = params.get(name);
        if (tensor == null) {
            throw new IllegalStateException("the model has no parameter '" + name + "'; NcfModel and the"
                    + " exporter disagree on the parameter list");
        }
        return tensor.values();
    }

    /**
     * {@code x} clipped to {@code -1 .. max + 1}, one node: indices in {@code 0..max} stay, every other one
     * lands on row {@code max + 1} of the table it picks from, which {@link #rowsOf} fills with a copy of row
     * 0 and which {@code -1} reads too (Gather counts negative indices from the end). Cheaper than a
     * compare-and-select, which takes three passes.
     */
    ONNXRef<?> clampIndex(ONNXRef<?> input, int max, String name) {
        return g.op(ServingOps.CLIP, name + "_index", input, g.scalar(name + "_min", -1L),
                g.scalar(name + "_max", (long) max + 1));
    }

    /**
     * A float initializer of shape [rows + 1, rowShape...] that a Gather picks rows from by a clamped index
     * ({@link #clampIndex}): the table's rows, then a copy of row 0 for indices outside the vocabulary.
     */
    ONNXRef<?> rowsOf(String name, float[] table, int rows, int... rowShape) {
        int[] shape = new int[rowShape.length + 1];
        shape[0] = rows + 1;
        System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
        return g.floats(name, TableMath.withOutOfRangeRow(table, rows), shape);
    }

    /** A [rows, w] table with its out-of-range row ({@link #rowsOf}) as [w, rows + 1]. */
    static float[] transposedWithOutOfRangeRow(float[] table, int rows, int w) {
        return TableMath.transposedBlock(TableMath.withOutOfRangeRow(table, rows), rows + 1, w, 0, w);
    }

    /** {@code tensor} as rows of width {@code w}, [-1, w]. */
    ONNXRef<?> flat(ONNXRef<?> tensor, String name, int w) {
        return g.op(ServingOps.RESHAPE, name, tensor, g.longs(name + "_shape", -1L, w));
    }

    /**
     * The GMF item table {@code [q_g ⊙ w_o,g | b_o]}, [N+1, Dg+1]: dotted with {@code [z_g | 1]} it gives the GMF
     * term plus the output bias.
     */
    float[] gmfItemTable() {
        float[] weighted = TableMath.scaledColumns(itemTable, items + 1, width, 0, dg, values("output_weight"), 0);
        return TableMath.withColumn(weighted, items + 1, dg, values("output_bias")[0]);
    }

    /**
     * The retrieval stage's item rows, [N+1, Dg+1]: {@link #gmfItemTable()} with each item's MLP term for the
     * unknown user (index 0, empty history) added to the bias column. A query {@code [z_g | 1]} then scores
     * {@code GMF(z, i) + b_o + MLP(unknown user, i)}: the dot-product part of the score plus what the MLP says
     * of the item for a user it knows nothing about (row 0 of the user table is trained as that user), so
     * retrieval sees the items the tower favours for everyone and not only the GMF branch's. Scores the model
     * once over the catalogue.
     */
    float[] retrievalItemTable() {
        float[] table = gmfItemTable();
        int columns = dg + 1;
        float[] unknownUser = new float[columns];
        float[][] userRows = model.parameters().users();
        if (userRows != null) {
            System.arraycopy(userRows[0], 0, unknownUser, 0, dg);
        }
        unknownUser[dg] = 1f;
        int[] catalogue = new int[items];
        for (int i = 0; i < items; i++) {
            catalogue[i] = i + 1;
        }
        float[][] scores = new float[1][items];
        model.score(new int[] {0}, config.usesHistory() ? new int[][] {new int[config.historyLength()]} : null,
                new int[][] {catalogue}, scores);
        for (int item = 1; item <= items; item++) {
            double gmfAndBias = 0;
            for (int c = 0; c < columns; c++) {
                gmfAndBias += (double) unknownUser[c] * table[item * columns + c];
            }
            table[item * columns + dg] += (float) (scores[0][item - 1] - gmfAndBias);
        }
        return table;
    }

    /**
     * {@code W_a,q q_m + b_a} for every item: the item half of the gate's logits, [N+1, 2Dm]. Computed once,
     * for the gate's item table and for the factored gate's tables and spread check.
     */
    float[] gateItemLogits() {
        if (gateItemLogits == null) {
            int f = 2 * dm;
            gateItemLogits = TableMath.affine(itemTable, items + 1, width, dg, values("gate_weight"), f, f, dm, dm,
                    values("gate_bias"));
        }
        return gateItemLogits;
    }

    /** {@code q_m} for every item, [N+1, Dm]. */
    float[] itemMlp() {
        return TableMath.columns(itemTable, items + 1, width, dg, width);
    }
}
