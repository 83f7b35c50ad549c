package io.streamrec.trainer.model;

/**
 * What the history-attentive variant's attention over the user's recent items uses as its query; see
 * {@link NcfModel} for the math of each.
 */
public enum AttentionQuery {
    /**
     * The candidate item (target attention, NAIS/DIN style): the user vector differs per candidate, so a
     * full-catalogue request runs the attention and the whole head once per item.
     */
    CANDIDATE,
    /**
     * The user's most recent item through a learned map (the last position of one self-attention layer,
     * SASRec style): one user vector per request, so the head's user half is computed once and a
     * full-catalogue request costs about as much as ANeuMF's.
     */
    RECENT;

    /** The configuration / report name, e.g. {@code recent}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@link #label()} or the enum name. */
    public static AttentionQuery parse(String text) {
        return valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
