package io.streamrec.trainer.model;

import java.util.List;

/**
 * Where each dense parameter lives in {@link Parameters#dense()}.
 *
 * @param entries every dense parameter in storage order
 * @param size    total number of floats
 */
public record DenseLayout(List<Entry> entries, int size) {

    /** Freezes the list. */
    public DenseLayout {
        entries = List.copyOf(entries);
    }

    /**
     * One dense parameter.
     *
     * @param name   parameter name
     * @param offset first float in the dense array
     * @param rows   outer dimension (1 for a vector)
     * @param cols   inner dimension
     * @param matrix whether the exported shape is {@code [rows, cols]} rather than {@code [cols]}
     */
    public record Entry(String name, int offset, int rows, int cols, boolean matrix) {
        /** The exported shape. */
        int[] shape() {
            return matrix ? new int[] {rows, cols} : new int[] {cols};
        }

        /** Number of floats. */
        public int size() {
            return rows * cols;
        }
    }

    /** The entry with this name. */
    public Entry entry(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no dense parameter " + name));
    }

    /** Whether an entry with this name exists. */
    boolean has(String name) {
        return entries.stream().anyMatch(e -> e.name().equals(name));
    }
}
