package io.streamrec.trainer.train;

import io.streamrec.trainer.model.Kernels;
import io.streamrec.trainer.model.RowGradientSums;
import io.streamrec.trainer.model.Workspace;
import java.util.Arrays;

/**
 * Where one embedding table's gradient rows are during a batch, and how they are summed per table row in a fixed
 * order (so a seed and thread count reproduce the model bit for bit). The backward passes leave them either as one
 * row per batch entry ({@link Entries}: users per group, candidate items per sample) or already summed per row in
 * each workspace ({@link History}).
 */
sealed interface BatchGradients permits BatchGradients.Entries, BatchGradients.History {

    /** The most gradient rows a batch can hold, each naming one table row. */
    int maxEntries();

    /** Records which table rows a chunk's gradients belong to, the chunk starting at batch group {@code firstGroup}. */
    void collect(Workspace ws, int firstGroup);

    /** Assigns the batch's touched table rows, its first {@code groups} groups, to slots of {@code touched}. */
    void assign(SparseRows touched, int groups);

    /** Writes the batch's summed gradient of table row {@code row}, in slot {@code slot}, into {@code into}. */
    void sumInto(SparseRows touched, int slot, int row, float[] into);

    /** Forgets the batch's gradients once the step has used them. */
    void clear();

    /**
     * One gradient row per batch entry, in entry order, written by the backward passes into the rows bound with
     * {@link Workspace#bindGradientRows}; entry rows are summed per table row in entry order.
     */
    final class Entries implements BatchGradients {
        private final boolean perGroup;
        private final int entriesPerGroup;
        private final int[] rows;
        private final float[][] gradients;

        private Entries(boolean perGroup, int entriesPerGroup, int maxGroups, int width) {
            this.perGroup = perGroup;
            this.entriesPerGroup = entriesPerGroup;
            this.rows = new int[maxGroups * entriesPerGroup];
            this.gradients = new float[rows.length][width];
        }

        /** The users' gradients: one entry per group, its user. */
        static Entries users(int maxGroups, int width) {
            return new Entries(true, 1, maxGroups, width);
        }

        /** The candidate items' gradients: one entry per sample, {@code samplesPerGroup} per group. */
        static Entries items(int samplesPerGroup, int maxGroups, int width) {
            return new Entries(false, samplesPerGroup, maxGroups, width);
        }

        /** The gradient rows, one per batch entry, for {@link Workspace#bindGradientRows}. */
        float[][] gradients() {
            return gradients;
        }

        @Override
        public int maxEntries() {
            return rows.length;
        }

        @Override
        public void collect(Workspace ws, int firstGroup) {
            if (perGroup) {
                for (int g = 0; g < ws.groups(); g++) {
                    rows[firstGroup + g] = ws.groupUser(g);
                }
                return;
            }
            int firstSample = firstGroup * entriesPerGroup;
            for (int s = 0; s < ws.size(); s++) {
                rows[firstSample + s] = ws.item(s);
            }
        }

        @Override
        public void assign(SparseRows touched, int groups) {
            touched.assign(rows, groups * entriesPerGroup);
        }

        @Override
        public void sumInto(SparseRows touched, int slot, int row, float[] into) {
            touched.sum(slot, gradients, into);
        }

        @Override
        public void clear() {
            // Every entry row is overwritten by the next batch's backward passes.
        }
    }

    /**
     * The history table's gradients, summed per row by each workspace ({@link Workspace#historyGradientSums}); a
     * row's batch gradient adds the workspaces' sums in workspace order.
     */
    final class History implements BatchGradients {
        private final Workspace[] workspaces;
        private final int width;
        /** The rows each workspace's sums touched in a batch, workspace after workspace. */
        private final int[] touchedRows;

        History(Workspace[] workspaces, int tableRows, int width) {
            this.workspaces = workspaces;
            this.width = width;
            this.touchedRows = new int[workspaces.length * tableRows];
        }

        @Override
        public int maxEntries() {
            return touchedRows.length;
        }

        @Override
        public void collect(Workspace ws, int firstGroup) {
            // The backward pass has already summed the chunk's history gradients in the workspace.
        }

        @Override
        public void assign(SparseRows touched, int groups) {
            int count = 0;
            for (Workspace ws : workspaces) {
                RowGradientSums sums = ws.historyGradientSums();
                for (int k = 0; k < sums.touchedRows(); k++) {
                    touchedRows[count++] = sums.touchedRow(k);
                }
            }
            touched.assign(touchedRows, count);
        }

        @Override
        public void sumInto(SparseRows touched, int slot, int row, float[] into) {
            Arrays.fill(into, 0, width, 0f);
            for (Workspace ws : workspaces) {
                float[] sum = ws.historyGradientSums().sumOf(row);
                if (sum != null) { // null: never touched by this workspace (touched earlier but not now: zero)
                    Kernels.add(sum, into, width);
                }
            }
        }

        @Override
        public void clear() {
            for (Workspace ws : workspaces) {
                ws.historyGradientSums().clear();
            }
        }
    }
}
