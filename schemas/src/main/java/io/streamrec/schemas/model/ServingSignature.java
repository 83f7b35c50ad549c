package io.streamrec.schemas.model;

/**
 * The one ONNX signature every exported model variant has, so the streams app does not care which variant it
 * runs. Item and user ids reach the graph as model indices through the vocabularies in the release.
 *
 * <ul>
 *   <li>{@value #USER}: int64 [B], the user's model index, {@value #UNKNOWN_USER} = unknown user</li>
 *   <li>{@value #HISTORY}: int64 [B, H], the user's most recent items, most recent last, left-padded with
 *       {@value #PADDING}</li>
 *   <li>{@value #CANDIDATES}: int64 [B, C], item indices to score</li>
 *   <li>{@value #SCORES}: float [B, C], one logit per candidate (higher is better)</li>
 * </ul>
 *
 * <p>A graph may also offer a retrieval stage, two more outputs whose inner product ranks the catalogue
 * cheaply (the serving app searches an index over the item rows and ranks only the best candidates through
 * {@value #SCORES}). The metadata key {@value #META_RETRIEVAL} names the pair; a graph without it has none.
 * <ul>
 *   <li>{@value #RETRIEVAL_QUERY}: float [B, R], the user-side vector, from {@value #USER} and {@value #HISTORY}
 *       only</li>
 *   <li>{@value #RETRIEVAL_ITEMS}: float [N + 2, R], row i the vector of model index i (rows 0 and N + 1 are
 *       padding), from no input at all</li>
 * </ul>
 */
public final class ServingSignature {

    public static final String USER = "user";
    public static final String HISTORY = "history";
    public static final String CANDIDATES = "candidates";
    public static final String SCORES = "scores";

    public static final String RETRIEVAL_QUERY = "retrieval_query";
    public static final String RETRIEVAL_ITEMS = "retrieval_items";

    /** The user index of a user without a learned embedding. */
    public static final long UNKNOWN_USER = 0L;

    /** The item index that pads a short history; also the index of an item outside the vocabulary. */
    public static final long PADDING = 0L;

    /** ONNX metadata keys the exporter writes and the loader reads. */
    public static final String META_MODEL_NAME = "streamrec.model.name";
    public static final String META_VARIANT = "streamrec.model.variant";
    public static final String META_VERSION = "streamrec.model.version";
    public static final String META_HISTORY_LENGTH = "streamrec.model.history_length";
    public static final String META_ITEM_COUNT = "streamrec.model.item_count";
    public static final String META_USER_COUNT = "streamrec.model.user_count";
    /**
     * Present when the graph offers the retrieval outputs: what their inner product is, e.g.
     * {@value #RETRIEVAL_GMF}.
     */
    public static final String META_RETRIEVAL = "streamrec.model.retrieval";
    /**
     * {@link #META_RETRIEVAL}'s value when the inner product is the NeuMF head's GMF term and output bias plus
     * each item's MLP term for the unknown user.
     */
    public static final String RETRIEVAL_GMF = "inner-product:gmf";

    private ServingSignature() {
    }
}
