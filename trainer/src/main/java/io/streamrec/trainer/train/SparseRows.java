package io.streamrec.trainer.train;

import java.util.Arrays;

/**
 * Groups a batch's per-entry gradient rows by the table row they belong to, deterministically: slots are
 * assigned to distinct rows in entry order, and {@link #sum} adds a slot's entries in entry order, however many
 * threads share the slots. The optimiser sums a slot right before updating its row, so the sum never leaves the
 * cache. Not thread-safe, except that threads may call {@link #sum} concurrently.
 */
final class SparseRows {

    final int width;
    private final int[] slotOfRow;
    /** The table row of each slot, {@code [0, distinct)}. */
    final int[] rows;
    /** Entries of slot {@code k}, in entry order: {@code slotEntries[slotStart[k] .. slotStart[k + 1])}. */
    private final int[] slotStart;
    private final int[] slotEntries;
    private final int[] entrySlot;
    int distinct;

    SparseRows(int tableRows, int width, int maxEntries) {
        this.width = width;
        this.slotOfRow = new int[tableRows];
        Arrays.fill(slotOfRow, -1);
        this.rows = new int[maxEntries];
        this.slotStart = new int[maxEntries + 1];
        this.slotEntries = new int[maxEntries];
        this.entrySlot = new int[maxEntries];
    }

    /** Assigns slots to the rows of entries {@code 0..count-1}; negative rows are skipped. */
    void assign(int[] entryRows, int count) {
        distinct = 0;
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
                slotStart[slot + 1] = 0;
            }
            entrySlot[e] = slot;
            slotStart[slot + 1]++;
        }
        slotStart[0] = 0;
        for (int slot = 0; slot < distinct; slot++) {
            slotStart[slot + 1] += slotStart[slot];
        }
        // A stable counting sort: each slot's entries in entry order. The fill pointer of slot k runs from
        // slotStart[k]; keeping it in slotStart[k] and shifting back afterwards needs no second array.
        for (int e = 0; e < count; e++) {
            int slot = entrySlot[e];
            if (slot >= 0) {
                slotEntries[slotStart[slot]++] = e;
            }
        }
        for (int slot = distinct; slot > 0; slot--) {
            slotStart[slot] = slotStart[slot - 1];
        }
        slotStart[0] = 0;
    }

    /** Writes the sum of {@code slot}'s entry gradients, in entry order, into {@code into}. */
    void sum(int slot, float[][] entryGrads, float[] into) {
        int from = slotStart[slot];
        int to = slotStart[slot + 1];
        System.arraycopy(entryGrads[slotEntries[from]], 0, into, 0, width);
        for (int k = from + 1; k < to; k++) {
            io.streamrec.trainer.model.Kernels.add(entryGrads[slotEntries[k]], into, width);
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
