package io.streamrec.trainer.baseline;

import io.streamrec.trainer.model.Scorer;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An item-to-item model: a weight matrix {@code W} over items {@code 0..N} and a history length {@code H}. The
 * score of candidate {@code c} for a history {@code h} is {@code sum_j W[h_j][c]} over the history's non-padding
 * entries, so each history item votes for the items its row weighs (a repeated item votes twice). Row and column
 * 0 are zero. Made by {@link Ease} and {@link ItemKnn}; exported by {@link ItemItemExporter}.
 *
 * <p>The {@link Scorer} contract, as {@code NcfModel}'s: history entries outside {@code 1..N} are padding and
 * candidates outside {@code 1..N} score 0; the user is ignored. A {@code null} history (array or row) counts
 * as all padding.
 *
 * <p>{@code W} is dense, {@code (N+1)^2} floats row-major, for EASE (dense by nature) and item-kNN (top-k per
 * row) alike: at most {@link #MAX_ITEMS} items (1.6 GB), which keeps the exported graph's table under
 * protobuf's 2 GB message limit. Immutable and thread-safe.
 */
public final class ItemItemModel implements Scorer {

    /** The largest catalogue a dense {@code W} is made for. */
    public static final int MAX_ITEMS = 20_000;

    /** Fewer candidates per row than {@code N / DIRECT_FRACTION} are summed one by one, not via a full row. */
    private static final int DIRECT_FRACTION = 8;

    /** How the weights were fitted. */
    public enum Kind {
        /** EASE, a closed-form ridge regression of each item on all others (Steck 2019). */
        EASE,
        /** Item-based k-nearest neighbours on shrunk cosine similarity. */
        ITEM_KNN;

        /** The variant label of releases and graph metadata: {@code ease} or {@code item-knn}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Kind kind;
    /** The kind's own hyperparameters, unprefixed, e.g. {@code lambda}. */
    private final Map<String, String> settings;
    private final Map<String, String> hyperparameters;
    private final int numItems;
    private final int historyLength;
    /** {@code (numItems + 1)^2}, row-major; never written after construction. */
    private final float[] weights;

    /**
     * Takes ownership of {@code weights}; only this package's fits call it, and they keep no reference.
     * {@code settings} are the kind's own hyperparameters without the {@code model.} prefix.
     */
    ItemItemModel(Kind kind, Map<String, String> settings, int numItems, int historyLength, float[] weights) {
        this.kind = Objects.requireNonNull(kind, "kind");
        requireSupportedSize(numItems);
        if (historyLength < 1) {
            throw new IllegalArgumentException("history length must be >= 1, got " + historyLength);
        }
        long cells = (long) (numItems + 1) * (numItems + 1);
        if (weights.length != cells) {
            throw new IllegalArgumentException("weights have " + weights.length + " entries, " + cells + " expected");
        }
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        this.hyperparameters = releaseHyperparameters(kind, this.settings, historyLength);
        this.numItems = numItems;
        this.historyLength = historyLength;
        this.weights = weights;
        clearPadding();
    }

    /**
     * Refuses a catalogue a dense {@code W} cannot hold; called before a fit allocates anything.
     *
     * @throws IllegalArgumentException when {@code numItems} is outside {@code 1..MAX_ITEMS}
     */
    static void requireSupportedSize(int numItems) {
        if (numItems < 1 || numItems > MAX_ITEMS) {
            throw new IllegalArgumentException("item-item models keep a dense (N+1)^2 weight matrix and support 1.."
                    + MAX_ITEMS + " items; this catalogue has " + numItems
                    + " (use a factorisation model for larger catalogues)");
        }
    }

    /** A number as the release's hyperparameters write it. */
    static String number(double value) {
        return String.format(Locale.ROOT, "%s", value);
    }

    private static Map<String, String> releaseHyperparameters(Kind kind, Map<String, String> settings,
                                                              int historyLength) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("model.variant", kind.label());
        out.put("model.history_length", Integer.toString(historyLength));
        settings.forEach((key, value) -> out.put("model." + key, value));
        return Collections.unmodifiableMap(out);
    }

    /** Padding must contribute nothing, whatever a fit left in row or column 0. */
    private void clearPadding() {
        int width = numItems + 1;
        Arrays.fill(weights, 0, width, 0f);
        for (int row = 1; row <= numItems; row++) {
            weights[row * width] = 0f;
        }
    }

    /** How the weights were fitted. */
    public Kind kind() {
        return kind;
    }

    /**
     * The fit's hyperparameters in the release's format: {@code model.variant}, {@code model.history_length} and
     * the kind's own ({@code model.lambda}, or {@code model.neighbours} and {@code model.shrinkage}). Unmodifiable.
     */
    public Map<String, String> hyperparameters() {
        return hyperparameters;
    }

    /** One line for logs and the graph's description, e.g. {@code ease lambda=500.0 H=50}. */
    public String describe() {
        StringBuilder out = new StringBuilder(kind.label());
        settings.forEach((key, value) -> out.append(' ').append(key).append('=').append(value));
        return out.append(" H=").append(historyLength).toString();
    }

    /** Items {@code 1..numItems} are scorable. */
    public int numItems() {
        return numItems;
    }

    @Override
    public int historyLength() {
        return historyLength;
    }

    /** {@code W[from][to]}; 0 when either index is outside {@code 1..numItems}. */
    public float weight(int from, int to) {
        return inRange(from) && inRange(to) ? weights[from * (numItems + 1) + to] : 0f;
    }

    /** A copy of row {@code item} of {@code W} (length {@code numItems + 1}), for exporters. */
    public float[] row(int item) {
        if (item < 0 || item > numItems) {
            throw new IndexOutOfBoundsException("item " + item + " outside 0.." + numItems);
        }
        int width = numItems + 1;
        return Arrays.copyOfRange(weights, item * width, item * width + width);
    }

    /** A copy of {@code W}, {@code (numItems + 1)^2} floats row-major, for exporters. */
    public float[] weights() {
        return weights.clone();
    }

    @Override
    public void score(int[] users, int[][] histories, int[][] candidates, float[][] out) {
        float[] sums = null;
        for (int b = 0; b < candidates.length; b++) {
            int[] history = histories == null ? null : histories[b];
            checkHistory(b, history);
            if (candidates[b].length * DIRECT_FRACTION < numItems) {
                scoreEach(history, candidates[b], out[b]);
            } else {
                sums = sums == null ? new float[numItems + 1] : sums;
                sumRows(history, sums);
                pick(sums, candidates[b], out[b]);
            }
        }
    }

    private void checkHistory(int row, int[] history) {
        if (history != null && history.length != historyLength) {
            throw new IllegalArgumentException("history row " + row + " has length " + history.length
                    + ", expected " + historyLength);
        }
    }

    /**
     * Few candidates: each one's sum read straight from the history rows. Adds in history order from 0, as
     * {@link #sumRows} does, so both paths give the same floats.
     */
    private void scoreEach(int[] history, int[] candidates, float[] out) {
        int width = numItems + 1;
        for (int c = 0; c < candidates.length; c++) {
            int candidate = candidates[c];
            float sum = 0f;
            if (history != null && inRange(candidate)) {
                for (int item : history) {
                    if (inRange(item)) {
                        sum += weights[item * width + candidate];
                    }
                }
            }
            out[c] = sum;
        }
    }

    /** Many candidates: the history rows summed once into {@code sums}, a pass over contiguous memory each. */
    private void sumRows(int[] history, float[] sums) {
        Arrays.fill(sums, 0f);
        if (history == null) {
            return;
        }
        int width = numItems + 1;
        for (int item : history) {
            if (inRange(item)) {
                int offset = item * width;
                for (int c = 1; c < width; c++) {
                    sums[c] += weights[offset + c];
                }
            }
        }
    }

    private void pick(float[] sums, int[] candidates, float[] out) {
        for (int c = 0; c < candidates.length; c++) {
            out[c] = inRange(candidates[c]) ? sums[candidates[c]] : 0f;
        }
    }

    private boolean inRange(int item) {
        return item >= 1 && item <= numItems;
    }

    @Override
    public String toString() {
        return "ItemItemModel[" + describe() + ", items=" + numItems + "]";
    }
}
