package io.streamrec.trainer.export;

/**
 * The exporter's precomputation on row-major float tables: column blocks, per-column scaling, affine maps of
 * every row, transposed weight blocks. Affine maps accumulate in double and round once, so a precomputed
 * table is at least as exact as the trainer's own float pass. Stateless.
 */
final class TableMath {

    private TableMath() {
    }

    /** Columns {@code [from, to)} of a {@code [rows, cols]} table, as a {@code [rows, to - from]} table. */
    static float[] columns(float[] table, int rows, int cols, int from, int to) {
        int width = to - from;
        float[] out = new float[rows * width];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(table, r * cols + from, out, r * width, width);
        }
        return out;
    }

    /**
     * {@code out[r][c] = table[r][from + c] * factors[factorsFrom + c]} for {@code c < width}: a column block
     * with a per-column factor folded in (e.g. the output layer's GMF weights into the item table).
     */
    static float[] scaledColumns(float[] table, int rows, int cols, int from, int width, float[] factors,
                                 int factorsFrom) {
        float[] out = new float[rows * width];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) {
                out[r * width + c] = (float) ((double) table[r * cols + from + c] * factors[factorsFrom + c]);
            }
        }
        return out;
    }

    /** {@code factor * table} element-wise, as float products (the trainer's rounding). */
    static float[] times(float[] table, float factor) {
        float[] out = new float[table.length];
        for (int i = 0; i < table.length; i++) {
            out[i] = factor * table[i];
        }
        return out;
    }

    /**
     * The affine map of every row's column block:
     * {@code out[r][o] = bias[o] + sum_k w[o][wFrom + k] * x[r][xFrom + k]} for {@code k < width}, with
     * {@code w} row-major {@code [outputs, wCols]}; {@code bias} may be null.
     */
    static float[] affine(float[] x, int rows, int xCols, int xFrom, float[] w, int outputs, int wCols, int wFrom,
                          int width, float[] bias) {
        float[] out = new float[rows * outputs];
        double[] row = new double[width];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < width; k++) {
                row[k] = x[r * xCols + xFrom + k];
            }
            for (int o = 0; o < outputs; o++) {
                double sum = bias == null ? 0.0 : bias[o];
                int wRow = o * wCols + wFrom;
                for (int k = 0; k < width; k++) {
                    sum += w[wRow + k] * row[k];
                }
                out[r * outputs + o] = (float) sum;
            }
        }
        return out;
    }

    /**
     * The block {@code w[:, from:to]} of a row-major {@code [outputs, inputs]} weight, transposed to
     * {@code [to - from, outputs]}: the right operand of a MatMul that applies that block to row vectors.
     */
    static float[] transposedBlock(float[] w, int outputs, int inputs, int from, int to) {
        int width = to - from;
        float[] out = new float[width * outputs];
        for (int o = 0; o < outputs; o++) {
            for (int k = 0; k < width; k++) {
                out[k * outputs + o] = w[o * inputs + from + k];
            }
        }
        return out;
    }

    /**
     * Each row's softmax numerators up to a per-row factor: {@code exp(x - rowMax)}, in (0, 1] (computed in
     * double, rounded once).
     */
    static float[] softmaxFactors(float[] logits, int rows, int cols) {
        float[] out = new float[logits.length];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, logits[r * cols + c]);
            }
            for (int c = 0; c < cols; c++) {
                out[r * cols + c] = (float) Math.exp(logits[r * cols + c] - max);
            }
        }
        return out;
    }

    /** The largest {@code max - min} of a row of a {@code [rows, cols]} table. */
    static double maxRowSpread(float[] table, int rows, int cols) {
        double spread = 0;
        for (int r = 0; r < rows; r++) {
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                min = Math.min(min, table[r * cols + c]);
                max = Math.max(max, table[r * cols + c]);
            }
            spread = Math.max(spread, (double) max - min);
        }
        return spread;
    }

    /** The largest Euclidean norm of a row's columns {@code [from, to)} of a {@code [rows, cols]} table. */
    static double maxRowNorm(float[] table, int rows, int cols, int from, int to) {
        double largest = 0;
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int c = from; c < to; c++) {
                double v = table[r * cols + c];
                sum += v * v;
            }
            largest = Math.max(largest, Math.sqrt(sum));
        }
        return largest;
    }

    /**
     * The largest Euclidean norm of {@code a[i] + b[j]} over all pairs of rows, columns {@code [from, to)} of
     * {@code [aRows, cols]} and {@code [bRows, cols]} tables.
     */
    static double maxSumNorm(float[] a, int aRows, float[] b, int bRows, int cols, int from, int to) {
        double largest = 0;
        for (int i = 0; i < aRows; i++) {
            for (int j = 0; j < bRows; j++) {
                double sum = 0;
                for (int c = from; c < to; c++) {
                    double v = (double) a[i * cols + c] + b[j * cols + c];
                    sum += v * v;
                }
                largest = Math.max(largest, sum);
            }
        }
        return Math.sqrt(largest);
    }

    /** The largest Euclidean distance between two rows' columns {@code [from, to)} of a {@code [rows, cols]} table. */
    static double maxRowDistance(float[] table, int rows, int cols, int from, int to) {
        double largest = 0;
        for (int r = 0; r < rows; r++) {
            for (int q = r + 1; q < rows; q++) {
                double sum = 0;
                for (int c = from; c < to; c++) {
                    double v = (double) table[r * cols + c] - table[q * cols + c];
                    sum += v * v;
                }
                largest = Math.max(largest, sum);
            }
        }
        return Math.sqrt(largest);
    }

    /** The rows of a {@code [rows, cols]} table in reverse order. */
    static float[] reversedRows(float[] table, int rows, int cols) {
        float[] out = new float[table.length];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(table, r * cols, out, (rows - 1 - r) * cols, cols);
        }
        return out;
    }

    /**
     * A table of {@code rows} rows (any width) with a copy of row 0 appended: the row the exported graph reads
     * for an index outside the vocabulary (row 0 is the unknown user or item).
     */
    static float[] withOutOfRangeRow(float[] table, int rows) {
        if (rows < 1 || table.length % rows != 0) {
            throw new IllegalArgumentException(table.length + " values are not " + rows + " rows");
        }
        int cols = table.length / rows;
        float[] out = java.util.Arrays.copyOf(table, table.length + cols);
        System.arraycopy(table, 0, out, table.length, cols);
        return out;
    }

    /** A {@code [rows, cols]} table with one more column holding {@code value} in every row. */
    static float[] withColumn(float[] table, int rows, int cols, float value) {
        float[] out = padColumns(table, rows, cols, cols + 1);
        for (int r = 0; r < rows; r++) {
            out[r * (cols + 1) + cols] = value;
        }
        return out;
    }

    /** A {@code [rows, cols]} table widened to {@code width} columns with zeros on the right. */
    static float[] padColumns(float[] table, int rows, int cols, int width) {
        return placed(table, rows, cols, width, 0);
    }

    /** Each row of a {@code [rows, cols]} table placed at column {@code at} of a zero {@code [rows, width]} table. */
    static float[] placed(float[] table, int rows, int cols, int width, int at) {
        float[] out = new float[rows * width];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(table, r * cols, out, r * width + at, cols);
        }
        return out;
    }
}
