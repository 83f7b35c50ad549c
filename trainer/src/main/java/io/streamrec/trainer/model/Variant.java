package io.streamrec.trainer.model;

/** The members of the model family; see {@link NcfModel} for the math of each. */
public enum Variant {
    /** Generalized matrix factorisation: {@code h^T (p_u ⊙ q_i) + b}. */
    GMF,
    /** A ReLU tower over {@code [p_u ; q_i]}. */
    MLP,
    /** GMF and MLP side by side, joined by one output layer (He et al. 2017). */
    NEUMF,
    /** NeuMF whose MLP input is re-weighted by {@code softmax(W[p_u ; q_i] + b)}. */
    ANEUMF,
    /** ANeuMF whose user side is attention over the user's recent items (query: see {@link AttentionQuery}). */
    HISTORY_ANEUMF;

    /** The command-line / report name, e.g. {@code history-aneumf}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Parses {@link #label()} or the enum name. */
    public static Variant parse(String text) {
        return valueOf(text.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }
}
