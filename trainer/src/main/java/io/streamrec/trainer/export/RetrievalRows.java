package io.streamrec.trainer.export;

/**
 * The item side of a graph's retrieval stage: the rows its {@code retrieval_items} output holds for the items
 * 1..N (row {@code r} is model index {@code r + 1}), whose inner product with the {@code retrieval_query} output
 * orders the candidates. What the trainer indexes for a release. Not copied: the rows of a large catalogue are
 * hundreds of megabytes, and nothing writes them after the export.
 *
 * @param values    {@code items * dimension} floats, row-major
 * @param items     N
 * @param dimension floats per row
 */
public record RetrievalRows(float[] values, int items, int dimension) {

    /** Checks the sizes agree. */
    public RetrievalRows {
        if (items < 1 || dimension < 1 || values.length != (long) items * dimension) {
            throw new IllegalArgumentException(values.length + " floats are not " + items + " rows of " + dimension);
        }
    }
}
