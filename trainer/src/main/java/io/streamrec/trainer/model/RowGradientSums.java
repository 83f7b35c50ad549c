package io.streamrec.trainer.model;

import java.util.Arrays;

/**
 * The gradient of an embedding table summed per table row, as backward passes add to it, with the rows listed in
 * the order they were first touched. A history table's rows are each read by many samples of a batch (every item
 * sits in many users' recent history, so a batch has many times more history slots than distinct rows), so adding
 * into one sum per row as the gradients are made replaces keeping one gradient row per slot and summing those
 * afterwards.
 *
 * <p>Sums accumulate over passes until {@link #clear()}. A row's sum is the same float sum for the same sequence of
 * {@link #add} calls, so a trainer that adds in a fixed order gets reproducible gradients.
 *
 * <p>Memory: one row of {@code width} floats for every table row ever touched (allocated on first touch, kept for
 * reuse). Not thread-safe: one per workspace.
 */
public final class RowGradientSums {

    private final int width;
    private final float[][] sums;
    private final int[] touched;
    private final boolean[] isTouched;
    private int count;

    /** Sums for a table of {@code tableRows} rows of {@code width} floats. */
    RowGradientSums(int tableRows, int width) {
        this.width = width;
        this.sums = new float[tableRows][];
        this.touched = new int[tableRows];
        this.isTouched = new boolean[tableRows];
    }

    /** Adds {@code gradient[0, width)} to the sum of table row {@code row}. */
    void add(int row, float[] gradient) {
        float[] sum = sums[row];
        if (sum == null) {
            sum = new float[width];
            sums[row] = sum;
        }
        if (!isTouched[row]) {
            isTouched[row] = true;
            touched[count++] = row;
        }
        Kernels.add(gradient, sum, width);
    }

    /** Rows touched since the last {@link #clear()}. */
    public int touchedRows() {
        return count;
    }

    /** The {@code k}-th row touched since the last {@link #clear()}, in first-touch order. */
    public int touchedRow(int k) {
        return touched[k];
    }

    /**
     * The live sum of table row {@code row} (zero if untouched since the last {@link #clear()}), or null if the row
     * was never touched at all.
     */
    public float[] sumOf(int row) {
        return sums[row];
    }

    /** Zeroes the touched rows' sums and forgets them. */
    public void clear() {
        for (int k = 0; k < count; k++) {
            int row = touched[k];
            Arrays.fill(sums[row], 0f);
            isTouched[row] = false;
        }
        count = 0;
    }
}
