package io.streamrec.trainer.model;

import java.util.List;

/**
 * Hyperparameters of a model; together with the user and item counts they determine every
 * parameter's shape, so an exporter can rebuild the graph from this record.
 *
 * @param variant        which member of the family
 * @param gmfFactors     width of the GMF branch (0 = no GMF branch)
 * @param mlpLayers      NCF convention: {@code mlpLayers[0]} is the width of {@code [p_u ; q_i]}
 *                       (each half {@code mlpLayers[0] / 2}), the rest are the ReLU layers' widths;
 *                       empty = no MLP branch
 * @param historyLength  H, the number of recent items the history variant attends over (0 otherwise)
 * @param userEmbedding  whether the history variant adds a learned per-user embedding (the plain
 *                       variants always have one)
 * @param initStd        standard deviation of the normal initialisation of embeddings
 * @param seed           initialisation seed
 * @param attentionQuery the history variant's attention query (ignored, and {@link AttentionQuery#CANDIDATE},
 *                       for the plain variants)
 */
public record ModelConfig(
        Variant variant,
        int gmfFactors,
        List<Integer> mlpLayers,
        int historyLength,
        boolean userEmbedding,
        double initStd,
        long seed,
        AttentionQuery attentionQuery) {

    /** Validates the combination and freezes the layer list. */
    public ModelConfig {
        mlpLayers = List.copyOf(mlpLayers);
        java.util.Objects.requireNonNull(attentionQuery, "attentionQuery");
        if (gmfFactors < 0 || historyLength < 0 || initStd <= 0) {
            throw new IllegalArgumentException("negative size or non-positive initStd");
        }
        if (!mlpLayers.isEmpty()) {
            if (mlpLayers.size() < 2 || mlpLayers.get(0) % 2 != 0 || mlpLayers.stream().anyMatch(w -> w < 1)) {
                throw new IllegalArgumentException("mlpLayers needs an even input width and at least one hidden layer: " + mlpLayers);
            }
        }
        boolean gmf = gmfFactors > 0;
        boolean mlp = !mlpLayers.isEmpty();
        switch (variant) {
            case GMF -> require(gmf && !mlp, "GMF needs gmfFactors > 0 and no MLP layers");
            case MLP -> require(!gmf && mlp, "MLP needs MLP layers and gmfFactors = 0");
            case NEUMF, ANEUMF -> require(gmf && mlp, variant + " needs both gmfFactors and MLP layers");
            case HISTORY_ANEUMF -> require((gmf || mlp) && historyLength > 0, "history variant needs a head and historyLength > 0");
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        }
        if (variant != Variant.HISTORY_ANEUMF && (historyLength != 0 || !userEmbedding
                || attentionQuery != AttentionQuery.CANDIDATE)) {
            throw new IllegalArgumentException(variant + " takes no history and always has user embeddings");
        }
    }

    /** A configuration whose history variant, if any, uses the candidate as attention query. */
    public ModelConfig(Variant variant, int gmfFactors, List<Integer> mlpLayers, int historyLength,
                       boolean userEmbedding, double initStd, long seed) {
        this(variant, gmfFactors, mlpLayers, historyLength, userEmbedding, initStd, seed, AttentionQuery.CANDIDATE);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** GMF with {@code factors} predictive factors. */
    public static ModelConfig gmf(int factors) {
        return new ModelConfig(Variant.GMF, factors, List.of(), 0, true, 0.01, 1L);
    }

    /** MLP with the given tower (NCF convention, e.g. {@code 64, 32, 16, 8}). */
    public static ModelConfig mlp(Integer... layers) {
        return new ModelConfig(Variant.MLP, 0, List.of(layers), 0, true, 0.01, 1L);
    }

    /** NeuMF with a GMF branch of {@code factors} and the given MLP tower. */
    public static ModelConfig neumf(int factors, Integer... layers) {
        return new ModelConfig(Variant.NEUMF, factors, List.of(layers), 0, true, 0.01, 1L);
    }

    /** ANeuMF with a GMF branch of {@code factors} and the given MLP tower. */
    public static ModelConfig aneumf(int factors, Integer... layers) {
        return new ModelConfig(Variant.ANEUMF, factors, List.of(layers), 0, true, 0.01, 1L);
    }

    /** History-attentive ANeuMF over the last {@code historyLength} items, with user embeddings. */
    public static ModelConfig historyAneumf(int factors, int historyLength, Integer... layers) {
        return new ModelConfig(Variant.HISTORY_ANEUMF, factors, List.of(layers), historyLength, true, 0.01, 1L);
    }

    /** This config with another seed. */
    public ModelConfig withSeed(long newSeed) {
        return new ModelConfig(variant, gmfFactors, mlpLayers, historyLength, userEmbedding, initStd, newSeed,
                attentionQuery);
    }

    /** This config with another initialisation scale. */
    public ModelConfig withInitStd(double newInitStd) {
        return new ModelConfig(variant, gmfFactors, mlpLayers, historyLength, userEmbedding, newInitStd, seed,
                attentionQuery);
    }

    /** This config with or without the learned user embedding (history variant only). */
    public ModelConfig withUserEmbedding(boolean enabled) {
        return new ModelConfig(variant, gmfFactors, mlpLayers, historyLength, enabled, initStd, seed, attentionQuery);
    }

    /** This config with another attention query (history variant only). */
    public ModelConfig withAttentionQuery(AttentionQuery query) {
        return new ModelConfig(variant, gmfFactors, mlpLayers, historyLength, userEmbedding, initStd, seed, query);
    }

    /** Whether the history variant's user vector is one per request (the query comes from the user's side). */
    public boolean userSideQuery() {
        return usesHistory() && attentionQuery == AttentionQuery.RECENT;
    }

    /** Width of the MLP branch's half-embeddings ({@code mlpLayers[0] / 2}, or 0). */
    public int mlpFactors() {
        return mlpLayers.isEmpty() ? 0 : mlpLayers.get(0) / 2;
    }

    /** Width D of the user and item embedding rows: GMF part first, then the MLP part. */
    public int embeddingWidth() {
        return gmfFactors + mlpFactors();
    }

    /** Width of the MLP tower's output (0 without MLP). */
    public int mlpOutputWidth() {
        return mlpLayers.isEmpty() ? 0 : mlpLayers.get(mlpLayers.size() - 1);
    }

    /** Whether the MLP input passes through the softmax gate. */
    public boolean gated() {
        return (variant == Variant.ANEUMF || variant == Variant.HISTORY_ANEUMF) && !mlpLayers.isEmpty();
    }

    /** Whether the user side attends over the history. */
    public boolean usesHistory() {
        return variant == Variant.HISTORY_ANEUMF;
    }

    /** A short description such as {@code neumf gmf=32 mlp=[64, 32, 16, 8]}. */
    public String describe() {
        StringBuilder sb = new StringBuilder(variant.label());
        if (gmfFactors > 0) {
            sb.append(" gmf=").append(gmfFactors);
        }
        if (!mlpLayers.isEmpty()) {
            sb.append(" mlp=").append(mlpLayers);
        }
        if (usesHistory()) {
            sb.append(" H=").append(historyLength).append(userEmbedding ? " +user" : " history-only");
            if (attentionQuery != AttentionQuery.CANDIDATE) {
                sb.append(" query=").append(attentionQuery.label());
            }
        }
        return sb.toString();
    }
}
