package io.streamrec.app.retrieval;

import java.util.function.IntPredicate;

/**
 * Every item's inner product with the query, the best selected by {@link TopK}: exact, and linear in the
 * catalogue ({@code N x dimension} multiply-adds per search). The reference the approximate index is measured
 * against, and the choice for catalogues small enough to scan.
 */
public final class ExactIndex implements RetrievalIndex {

    private final float[] rows;
    private final int items;
    private final int dimension;

    /** Copies {@code items} rows of {@code dimension} floats; row r is model index r + 1. */
    public ExactIndex(float[] rows, int items, int dimension) {
        if (items < 1 || dimension < 1 || rows.length < (long) items * dimension) {
            throw new IllegalArgumentException(rows.length + " floats cannot hold " + items + " rows of "
                    + dimension);
        }
        this.rows = java.util.Arrays.copyOf(rows, items * dimension);
        this.items = items;
        this.dimension = dimension;
    }

    @Override
    public int size() {
        return items;
    }

    @Override
    public long structureBytes() {
        return 0;
    }

    /** Allocates one score per item: the reference and small-catalogue path, not the hot one at scale. */
    @Override
    public int[] search(float[] query, int count, IntPredicate excluded) {
        checkQuery(query, dimension);
        float[] scores = new float[items];
        for (int row = 0; row < items; row++) {
            scores[row] = dot(query, rows, row * dimension, dimension);
        }
        return TopK.select(scores, Math.min(count, items), excluded);
    }

    static void checkQuery(float[] query, int dimension) {
        if (query.length != dimension) {
            throw new IllegalArgumentException("query has " + query.length + " entries, the index " + dimension);
        }
    }

    private static float dot(float[] query, float[] rows, int offset, int dimension) {
        // Four partial sums: HotSpot does not vectorise a float reduction in strict order.
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int d = 0;
        for (; d + 3 < dimension; d += 4) {
            s0 += query[d] * rows[offset + d];
            s1 += query[d + 1] * rows[offset + d + 1];
            s2 += query[d + 2] * rows[offset + d + 2];
            s3 += query[d + 3] * rows[offset + d + 3];
        }
        for (; d < dimension; d++) {
            s0 += query[d] * rows[offset + d];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
