package io.streamrec.trainer.train;

import java.util.Arrays;

/**
 * Sums a batch's per-entry gradient rows into one row per distinct table row, deterministically:
 * slots are assigned in entry order, and each slot's sum runs over its entries in entry order no
 * matter how many threads share the work. Not thread-safe except for {@link #accumulate}, which
 * threads call with disjoint {@code part}s.
 */
final class SparseRows {

    final int width;
    private final int[] slotOfRow;
    final int[] rows;
    private final int[] entrySlot;
    final float[][] sums;
    int distinct;
    private int entries;

    SparseRows(int tableRows, int width, int maxEntries) {
        this.width = width;
        this.slotOfRow = new int[tableRows];
        Arrays.fill(slotOfRow, -1);
        this.rows = new int[maxEntries];
        this.entrySlot = new int[maxEntries];
        this.sums = new float[maxEntries][width];
    }

    /** Assigns slots to the rows of entries {@code 0..count-1}; negative rows are skipped. */
    void assign(int[] entryRows, int count) {
        distinct = 0;
        entries = count;
        for (int e = 0; e < count; e++) {
            int row = entryRows[e];
            if (row < 0) {
                entrySlot[e] = -1;
                continue;
            }
            int slot = slotOfRow[row];
            if (slot < 0) {
                slot = distinct++;
                slotOfRow[row] = slot;
                rows[slot] = row;
            }
            entrySlot[e] = slot;
        }
    }

    /** Sums the entry gradients of the slots with {@code slot % parts == part}. */
    void accumulate(float[][] entryGrads, int part, int parts) {
        for (int slot = part; slot < distinct; slot += parts) {
            Arrays.fill(sums[slot], 0f);
        }
        for (int e = 0; e < entries; e++) {
            int slot = entrySlot[e];
            if (slot >= 0 && slot % parts == part) {
                io.streamrec.trainer.model.Kernels.add(entryGrads[e], sums[slot], width);
            }
        }
    }

    /** The slot of a table row in the current batch, or -1 if the batch did not touch it. */
    int slotOf(int row) {
        return slotOfRow[row];
    }

    /** Forgets the batch's rows (touching only the slots in use). */
    void reset() {
        for (int slot = 0; slot < distinct; slot++) {
            slotOfRow[rows[slot]] = -1;
        }
        distinct = 0;
    }
}
