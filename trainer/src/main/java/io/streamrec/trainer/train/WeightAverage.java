package io.streamrec.trainer.train;

import io.streamrec.trainer.model.NcfModel;
import io.streamrec.trainer.model.Parameters;

/**
 * An exponential moving average of a model's parameters over the optimiser's steps (Polyak averaging with
 * exponential weights): after step {@code t}, every parameter's average is
 * <pre>
 *   a_t = s_t / (1 - β^t),   s_t = β s_{t-1} + (1 - β) p_t,   s_0 = 0,
 * </pre>
 * so the random initialisation carries no weight (the division removes the zero start's bias, as Adam does for
 * its moments). The average of the last few thousand steps generalises better than the last step's parameters
 * alone, which follow the noise of the latest mini-batches.
 *
 * <p><b>Lazy rows.</b> Lazy Adam leaves an embedding row untouched in most steps, and an untouched row's value is
 * constant, so its running sum can catch up in closed form when the row next moves: {@code k} steps at the
 * constant value {@code p} give {@code s ← β^k s + (1 - β^k) p}. A step therefore costs time in proportion to the
 * rows it touched ({@link #beforeRowUpdate} and {@link #afterRowUpdate} around the row's Adam update), and the
 * result equals the eager average up to float rounding. Dense parameters are averaged eagerly every step.
 *
 * <p>Not thread-safe, except that the row methods and {@link #updateDense} may run concurrently on disjoint rows
 * and ranges, between two calls of {@link #nextStep}. Holds one float per parameter plus one int per embedding row.
 */
final class WeightAverage {

    /** Precomputed powers {@code β^k} for gaps up to this many steps (longer gaps use {@link Math#pow}). */
    private static final int POWER_TABLE = 1 << 14;

    private final float decay;
    private final double[] powers;
    private final Table users;
    private final Table items;
    private final Table history;
    private final float[] dense;
    private int step;

    /**
     * @param model the model whose parameters are averaged (only their shapes are read here)
     * @param decay β in (0, 1): the average's horizon is about {@code 1 / (1 - β)} steps
     */
    WeightAverage(NcfModel model, double decay) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("decay must lie in (0, 1): " + decay);
        }
        this.decay = (float) decay;
        this.powers = new double[POWER_TABLE];
        powers[0] = 1.0;
        for (int k = 1; k < POWER_TABLE; k++) {
            powers[k] = powers[k - 1] * this.decay;
        }
        Parameters p = model.parameters();
        this.users = Table.of(p.users(), p.width());
        this.items = Table.of(p.items(), p.width());
        this.history = Table.of(p.history(), p.width());
        this.dense = new float[p.dense().length];
    }

    /** The decay for a horizon of {@code epochs} epochs of {@code stepsPerEpoch} steps. */
    static double decayFor(double epochs, int stepsPerEpoch) {
        return 1.0 - 1.0 / Math.max(2.0, epochs * stepsPerEpoch);
    }

    /** Starts the next step; call once per batch, before its updates. */
    void nextStep() {
        step++;
    }

    /** The user table's state, or null without user embeddings. */
    Table users() {
        return users;
    }

    /** The candidate item table's state. */
    Table items() {
        return items;
    }

    /** The history item table's state, or null without history. */
    Table history() {
        return history;
    }

    /**
     * Before {@code row} moves in the current step: folds the value it held since its last update into its sum,
     * up to the previous step.
     */
    void beforeRowUpdate(Table table, int r, float[] row) {
        catchUp(table, r, row, step - 1);
    }

    /** After {@code row} moved in the current step: takes its new value into the sum. */
    void afterRowUpdate(Table table, int r, float[] row) {
        float[] sum = table.sums[r];
        blend(decay, row, sum, 0, sum.length);
        table.updatedAt[r] = step;
    }

    /** Takes dense parameters {@code [from, to)} of the current step into their sums. */
    void updateDense(float[] params, int from, int to) {
        blend(decay, params, dense, from, to);
    }

    /**
     * Writes the average after the current step into {@code target}, whose parameters have the averaged model's
     * shapes; {@code source} is the model being trained (rows that have not moved since their last update are
     * caught up from it). Before the first step the average is the source itself.
     */
    void writeAverage(NcfModel source, NcfModel target) {
        Parameters from = source.parameters();
        Parameters to = target.parameters();
        if (step == 0) {
            target.copyFrom(source);
            return;
        }
        float scale = (float) (1.0 / (1.0 - power(step)));
        writeTable(users, from.users(), to.users(), scale);
        writeTable(items, from.items(), to.items(), scale);
        writeTable(history, from.history(), to.history(), scale);
        float[] out = to.dense();
        for (int i = 0; i < out.length; i++) {
            out[i] = dense[i] * scale;
        }
    }

    private void writeTable(Table table, float[][] rows, float[][] out, float scale) {
        if (table == null) {
            return;
        }
        for (int r = 0; r < rows.length; r++) {
            catchUp(table, r, rows[r], step);
            float[] sum = table.sums[r];
            float[] o = out[r];
            for (int c = 0; c < sum.length; c++) {
                o[c] = sum[c] * scale;
            }
        }
    }

    /** Brings row {@code r}'s sum to step {@code upTo}, the row having held {@code row} since its last update. */
    private void catchUp(Table table, int r, float[] row, int upTo) {
        int gap = upTo - table.updatedAt[r];
        if (gap <= 0) {
            return;
        }
        float[] sum = table.sums[r];
        blend((float) power(gap), row, sum, 0, sum.length);
        table.updatedAt[r] = upTo;
    }

    /** {@code sums[i] = keep · sums[i] + (1 - keep) · values[i]} for {@code i} in {@code [from, to)}. */
    private static void blend(float keep, float[] values, float[] sums, int from, int to) {
        float take = 1f - keep;
        for (int i = from; i < to; i++) {
            sums[i] = keep * sums[i] + take * values[i];
        }
    }

    private double power(int k) {
        return k < POWER_TABLE ? powers[k] : Math.pow(decay, k);
    }

    /** One embedding table's running sums and the step each row's sum is current to. */
    static final class Table {
        private final float[][] sums;
        private final int[] updatedAt;

        private Table(int rows, int width) {
            this.sums = new float[rows][width];
            this.updatedAt = new int[rows];
        }

        static Table of(float[][] rows, int width) {
            return rows == null ? null : new Table(rows.length, width);
        }
    }
}
