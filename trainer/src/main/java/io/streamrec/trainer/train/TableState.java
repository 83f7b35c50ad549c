package io.streamrec.trainer.train;

/**
 * One embedding table's optimiser state: the table, Adam's first and second moments of each row, the batch's
 * gradients for it ({@link BatchGradients}) with the rows they touched, and the table's share of the weight average.
 * The trainer holds one per table the model has, so a step treats every table alike.
 *
 * <p>How a step moves the table: with lazy Adam only the rows the batch touched; with dense Adam every row (the
 * untouched ones with a zero gradient, so only their moments and L2 decay move them), except row 0 when it is the
 * padding item, which stays zero. The user table's row 0 is the unknown user, a real row that moves.
 *
 * <p>Not thread-safe, except that {@link #update} may run concurrently for distinct parts.
 */
final class TableState {

    private final float[][] rows;
    private final float[][] firstMoments;
    private final float[][] secondMoments;
    private final int width;
    private final boolean rowZeroIsPadding;
    private final boolean lazy;
    private final BatchGradients gradients;
    private final SparseRows touched;
    private final RowAverage average;

    /**
     * @param rows             the table, updated in place
     * @param width            the embedding width (every row's length)
     * @param rowZeroIsPadding whether row 0 is the padding item (never moves) rather than a real row
     * @param lazy             lazy Adam (touched rows only) rather than dense Adam (every row)
     * @param gradients        where the batch's gradients for this table are
     * @param average          what the weight average needs around each row's update
     */
    TableState(float[][] rows, int width, boolean rowZeroIsPadding, boolean lazy, BatchGradients gradients,
               RowAverage average) {
        this.rows = rows;
        this.firstMoments = new float[rows.length][width];
        this.secondMoments = new float[rows.length][width];
        this.width = width;
        this.rowZeroIsPadding = rowZeroIsPadding;
        this.lazy = lazy;
        this.gradients = gradients;
        this.touched = new SparseRows(rows.length, width, gradients.maxEntries());
        this.average = average;
    }

    /** Where the batch's gradients for this table are. */
    BatchGradients gradients() {
        return gradients;
    }

    /** Starts a step: finds the rows the batch's first {@code groups} groups touched. */
    void beginStep(int groups) {
        gradients.assign(touched, groups);
    }

    /**
     * Takes this step's Adam update of part {@code part} of {@code parts} of the rows (each row's average around
     * it), summing each row's gradient into {@code scratch}, a row of the embedding width owned by the caller.
     */
    void update(LazyAdam adam, float[] scratch, int part, int parts) {
        if (lazy) {
            updateTouchedRows(adam, scratch, part, parts);
        } else {
            updateEveryRow(adam, scratch, part, parts);
        }
    }

    /** Ends a step: forgets the batch's rows and gradients. */
    void endStep() {
        touched.reset();
        gradients.clear();
    }

    private void updateTouchedRows(LazyAdam adam, float[] grad, int part, int parts) {
        for (int slot = part; slot < touched.distinct; slot += parts) {
            int row = touched.rows[slot];
            gradients.sumInto(touched, slot, row, grad);
            average.beforeUpdate(row, rows[row]);
            adam.updateRow(rows[row], firstMoments[row], secondMoments[row], grad, width);
            average.afterUpdate(row, rows[row]);
        }
    }

    private void updateEveryRow(LazyAdam adam, float[] grad, int part, int parts) {
        for (int row = part; row < rows.length; row += parts) {
            int slot = touched.slotOf(row);
            if (slot < 0 && row == 0 && rowZeroIsPadding) {
                continue;
            }
            average.beforeUpdate(row, rows[row]);
            if (slot >= 0) {
                gradients.sumInto(touched, slot, row, grad);
                adam.updateRow(rows[row], firstMoments[row], secondMoments[row], grad, width);
            } else {
                adam.updateUntouchedRow(rows[row], firstMoments[row], secondMoments[row], width);
            }
            average.afterUpdate(row, rows[row]);
        }
    }

    /** What the weight average needs around a row's update; {@link #NONE} without averaging. */
    interface RowAverage {

        /** No averaging. */
        RowAverage NONE = new RowAverage() {
            @Override
            public void beforeUpdate(int row, float[] values) {
            }

            @Override
            public void afterUpdate(int row, float[] values) {
            }
        };

        /** Before {@code row}, now holding {@code values}, moves in the current step. */
        void beforeUpdate(int row, float[] values);

        /** After {@code row} moved to {@code values} in the current step. */
        void afterUpdate(int row, float[] values);

        /** The average of {@code table}, one of {@code average}'s tables. */
        static RowAverage of(WeightAverage average, WeightAverage.Table table) {
            return new RowAverage() {
                @Override
                public void beforeUpdate(int row, float[] values) {
                    average.beforeRowUpdate(table, row, values);
                }

                @Override
                public void afterUpdate(int row, float[] values) {
                    average.afterRowUpdate(table, row, values);
                }
            };
        }
    }
}
