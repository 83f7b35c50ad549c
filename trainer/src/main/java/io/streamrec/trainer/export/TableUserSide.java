package io.streamrec.trainer.export;

import java.util.Map;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The user side of GMF, MLP, NeuMF and ANeuMF: the user is a row of the user embedding, so every user-side term
 * of the head is precomputed per user ({@code [p_g | 1]}, {@code W_1,z p_m}, {@code W_a,z p_m}) and a request
 * only gathers it by the clamped {@code user} input.
 *
 * <p>Emits the {@code user_index} clamp (when constructed) and, on demand, the user tables and their gathers:
 * {@code gmf_user} [B, 1, Dg+1], {@code mlp_user} [B, 1, Dm], and per weight a [B, 1, outputs] row or a
 * [outputs, B, 1] column. Every user table has U+2 rows: the users 0..U and a copy of row 0, so a user outside
 * {@code 0..U} is scored as the unknown user 0.
 */
final class TableUserSide implements UserSide {

    private final ServingGraph graph;
    private final GraphWriter g;
    private final ONNXRef<?> user;
    private final float[] userTable;
    /** Rows of the user tables before the out-of-range row: the users 0..U. */
    private final int rows;
    private final float[] userMlp;

    /** Adds the user index clamp to the graph. */
    TableUserSide(ServingGraph graph) {
        this.graph = graph;
        this.g = graph.g;
        this.user = graph.clampIndex(graph.userInput, graph.users, "user");
        this.userTable = graph.values("user_embedding");
        this.rows = graph.users + 1;
        this.userMlp = mlpHalf(graph);
    }

    /**
     * The largest spread (max - min) of a user's gate logits {@code W_a,z p_m} over every user: exact, as the
     * users are the table's rows (for {@link FactoredGateLayer#applies}).
     */
    static double gateLogitSpread(ServingGraph graph) {
        int f = 2 * graph.dm;
        float[] logits = TableMath.affine(mlpHalf(graph), graph.users + 1, graph.dm, 0, graph.values("gate_weight"),
                f, f, 0, graph.dm, null);
        return TableMath.maxRowSpread(logits, graph.users + 1, f);
    }

    private static float[] mlpHalf(ServingGraph graph) {
        return TableMath.columns(graph.values("user_embedding"), graph.users + 1, graph.width, graph.dg,
                graph.width);
    }

    @Override
    public ONNXRef<?> gmf() {
        int dg = graph.dg;
        float[] own = TableMath.withColumn(TableMath.columns(userTable, rows, graph.width, 0, dg), rows, dg, 1f);
        return g.gather("gmf_user", graph.rowsOf("gmf_user_table", own, rows, 1, dg + 1), user);
    }

    @Override
    public ONNXRef<?> mlp() {
        return g.gather("mlp_user", graph.rowsOf("mlp_user_table", userMlp, rows, 1, graph.dm), user);
    }

    @Override
    public ONNXRef<?> mlpTimes(String name, float[] weight, int outputs) {
        return g.gather(name, graph.rowsOf(name + "_table", product(weight, outputs), rows, 1, outputs), user);
    }

    @Override
    public ONNXRef<?> mlpTimesColumns(String name, float[] weight, int outputs) {
        // The table stored transposed, [outputs, U+2, 1], picked along axis 1.
        return g.op(ONNXOperators.GATHER, name, Map.of("axis", 1), g.floats(name + "_columns",
                ServingGraph.transposedWithOutOfRangeRow(product(weight, outputs), rows, outputs), outputs, rows + 1,
                1), user);
    }

    private float[] product(float[] weight, int outputs) {
        return TableMath.affine(userMlp, rows, graph.dm, 0, weight, outputs, 2 * graph.dm, 0, graph.dm, null);
    }
}
