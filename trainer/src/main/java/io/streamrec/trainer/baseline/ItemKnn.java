package io.streamrec.trainer.baseline;

import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.parallel.WorkerPool;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Item-based k-nearest neighbours (Sarwar et al. 2001; shrinkage as in Koren's neighbourhood models) on the
 * binary user-item matrix, repeats counted once:
 * <pre>
 *   sim(i, j) = co(i, j) / (sqrt(n_i n_j) + shrinkage)      (i != j)
 * </pre>
 * with {@code co(i, j)} the users who have both items and {@code n_i} the users of {@code i}: the cosine of the two
 * item columns, shrunk towards 0 when little data supports it. Each item {@code i} keeps its {@code neighbours}
 * most similar items {@code j} with {@code co(i, j) > 0} (ties to the lower index) as {@code W[i][j] = sim(i, j)},
 * so a history item votes for its own neighbours; {@code W} is not symmetric once truncated. The counts come from
 * the users' rows, a block of items per task on the pool ({@link Cooccurrence}). Stateless.
 */
public final class ItemKnn {

    private ItemKnn() {
    }

    /**
     * Fits the neighbourhoods of {@code train}'s items.
     *
     * @param neighbours    how many neighbours each item keeps, {@code >= 1}
     * @param shrinkage     added to the cosine's denominator, {@code >= 0} (0 = plain cosine)
     * @param historyLength the H the model serves with
     * @throws IllegalArgumentException on a bad setting or a catalogue over {@link ItemItemModel#MAX_ITEMS}
     */
    public static ItemItemModel fit(Interactions train, int neighbours, double shrinkage, int historyLength,
                                    WorkerPool pool) {
        if (neighbours < 1) {
            throw new IllegalArgumentException("neighbours must be >= 1, got " + neighbours);
        }
        if (!(shrinkage >= 0) || Double.isInfinite(shrinkage)) {
            throw new IllegalArgumentException("shrinkage must be >= 0 and finite, got " + shrinkage);
        }
        if (historyLength < 1) {
            throw new IllegalArgumentException("history length must be >= 1, got " + historyLength);
        }
        int numItems = train.numItems();
        ItemItemModel.requireSupportedSize(numItems);
        BinaryPairs pairs = BinaryPairs.of(train);
        int width = numItems + 1;
        float[] weights = new float[width * width];
        int keep = Math.min(neighbours, numItems);
        Cooccurrence.byRowBlocks(pairs, pool, (first, rows, counts) -> {
            TopK top = new TopK(keep);
            for (int r = 0; r < rows; r++) {
                keepNeighbours(pairs, first + r, counts, r * width, shrinkage, top);
                for (int k = 0; k < top.size(); k++) {
                    weights[(first + r) * width + top.item(k)] = (float) top.score(k);
                }
            }
        });
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("neighbours", Integer.toString(neighbours));
        settings.put("shrinkage", ItemItemModel.number(shrinkage));
        return new ItemItemModel(ItemItemModel.Kind.ITEM_KNN, settings, numItems, historyLength, weights);
    }

    /** Leaves in {@code top} the best neighbours of {@code item}, whose counts row starts at {@code offset}. */
    private static void keepNeighbours(BinaryPairs pairs, int item, int[] counts, int offset, double shrinkage,
                                       TopK top) {
        top.clear();
        double users = pairs.itemCount(item);
        for (int j = 1; j <= pairs.numItems; j++) {
            int co = counts[offset + j];
            if (co > 0 && j != item) {
                top.offer(j, co / (Math.sqrt(users * pairs.itemCount(j)) + shrinkage));
            }
        }
    }
}
