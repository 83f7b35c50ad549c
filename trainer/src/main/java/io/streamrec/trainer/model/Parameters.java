package io.streamrec.trainer.model;

/**
 * The live parameter arrays of an {@link NcfModel}, exposed for the optimiser.
 *
 * <p>Embedding tables are arrays of rows {@code [rows][width]} (one array per row, so per-row
 * updates vectorise, see {@link Kernels}); row 0 is the unknown user / padding item. All dense parameters (position terms, gate, MLP tower, output layer) share one flat array
 * whose layout is {@link NcfModel#denseLayout()}, so an optimiser can treat them as one vector.
 *
 * <p>Mutable and not thread-safe: the trainer updates these arrays between passes; do not score
 * with the model while it is being trained.
 */
public final class Parameters {

    private final int width;
    private final float[][] users;
    private final float[][] items;
    private final float[][] history;
    private final float[] dense;

    Parameters(int width, float[][] users, float[][] items, float[][] history, float[] dense) {
        this.width = width;
        this.users = users;
        this.items = items;
        this.history = history;
        this.dense = dense;
    }

    /** Width of every embedding row. */
    public int width() {
        return width;
    }

    /** User embeddings {@code [U + 1][width]}, or {@code null} for a history-only model. */
    public float[][] users() {
        return users;
    }

    /** Candidate item embeddings {@code [N + 1][width]}. */
    public float[][] items() {
        return items;
    }

    /** History item embeddings {@code [N + 1][width]}, or {@code null} without history. */
    public float[][] history() {
        return history;
    }

    /** All dense parameters, laid out as {@link NcfModel#denseLayout()}. */
    public float[] dense() {
        return dense;
    }

    Parameters deepCopy() {
        return new Parameters(width, copy(users), copy(items), copy(history), dense.clone());
    }

    void copyFrom(Parameters other) {
        copyRows(other.users, users);
        copyRows(other.items, items);
        copyRows(other.history, history);
        System.arraycopy(other.dense, 0, dense, 0, dense.length);
    }

    private static float[][] copy(float[][] table) {
        if (table == null) {
            return null;
        }
        float[][] out = new float[table.length][];
        for (int r = 0; r < table.length; r++) {
            out[r] = table[r].clone();
        }
        return out;
    }

    private static void copyRows(float[][] from, float[][] to) {
        if (to == null) {
            return;
        }
        for (int r = 0; r < to.length; r++) {
            System.arraycopy(from[r], 0, to[r], 0, from[r].length);
        }
    }

    /** A row-major copy of a table ({@code rows * width} floats). */
    static float[] flatten(float[][] table) {
        int w = table.length == 0 ? 0 : table[0].length;
        float[] flat = new float[table.length * w];
        for (int r = 0; r < table.length; r++) {
            System.arraycopy(table[r], 0, flat, r * w, w);
        }
        return flat;
    }
}
