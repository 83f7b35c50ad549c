package io.streamrec.app.retrieval;

import java.util.function.IntPredicate;

/**
 * Items by inner product with a query vector: the candidates of a two-stage list. Thread-safe and immutable
 * once built; it holds nothing but heap, so it needs no closing.
 */
public interface RetrievalIndex {

    /** The number of items N; results are model indices in {@code 1..N}. */
    int size();

    /**
     * Up to {@code count} model indices with the largest inner product with {@code query}, best first, skipping
     * the indices {@code excluded} accepts. Fewer only when fewer items are left.
     */
    int[] search(float[] query, int count, IntPredicate excluded);

    /** Approximate heap bytes the index holds beyond the vectors themselves (0 for a scan). */
    long structureBytes();
}
