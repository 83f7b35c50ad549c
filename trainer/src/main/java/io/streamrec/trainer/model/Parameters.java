package io.streamrec.trainer.model;

/**
 * The live parameter arrays of an {@link NcfModel}, exposed for the optimiser.
 *
 * <p>Embedding tables are row-major {@code [rows][width]}; row 0 is the unknown user / padding
 * item. All dense parameters (position terms, gate, MLP tower, output layer) share one flat array
 * whose layout is {@link NcfModel#denseLayout()}, so an optimiser can treat them as one vector.
 *
 * <p>Mutable and not thread-safe: the trainer updates these arrays between passes; do not score
 * with the model while it is being trained.
 */
public final class Parameters {

    private final int width;
    private final float[] users;
    private final float[] items;
    private final float[] history;
    private final float[] dense;

    Parameters(int width, float[] users, float[] items, float[] history, float[] dense) {
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
    public float[] users() {
        return users;
    }

    /** Candidate item embeddings {@code [N + 1][width]}. */
    public float[] items() {
        return items;
    }

    /** History item embeddings {@code [N + 1][width]}, or {@code null} without history. */
    public float[] history() {
        return history;
    }

    /** All dense parameters, laid out as {@link NcfModel#denseLayout()}. */
    public float[] dense() {
        return dense;
    }

    Parameters deepCopy() {
        return new Parameters(width, users == null ? null : users.clone(), items.clone(),
                history == null ? null : history.clone(), dense.clone());
    }

    void copyFrom(Parameters other) {
        if (users != null) {
            System.arraycopy(other.users, 0, users, 0, users.length);
        }
        System.arraycopy(other.items, 0, items, 0, items.length);
        if (history != null) {
            System.arraycopy(other.history, 0, history, 0, history.length);
        }
        System.arraycopy(other.dense, 0, dense, 0, dense.length);
    }
}
