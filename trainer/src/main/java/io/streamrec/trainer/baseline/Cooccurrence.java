package io.streamrec.trainer.baseline;

import io.streamrec.trainer.parallel.WorkerPool;

/**
 * Co-occurrence counts of item pairs over the users' distinct items: {@code co[i][j]} is the number of users with
 * both {@code i} and {@code j}, {@code co[i][i]} the number of users of {@code i}. Computed one block of rows at a
 * time on the pool, so no {@code N x N} count matrix is ever held: a task owns rows {@code [first, first + rows)},
 * walks each row item's users and each such user's items, and so touches exactly the pairs it counts and writes
 * only its own block. Stateless.
 */
final class Cooccurrence {

    /** Rows per task: enough tasks to balance popular items' heavy rows, blocks small even at 20,000 items. */
    static final int ROWS_PER_TASK = 16;

    /** Receives one block of rows of the count matrix, on a pool thread. */
    @FunctionalInterface
    interface BlockSink {

        /**
         * {@code counts} is {@code rows x (numItems + 1)} row-major, row {@code r} holding item {@code first + r};
         * it belongs to the calling task and is valid only during the call.
         */
        void accept(int first, int rows, int[] counts);
    }

    private Cooccurrence() {
    }

    /** Counts every row {@code 1..numItems}, each block handed to {@code sink} by the task that counted it. */
    static void byRowBlocks(BinaryPairs pairs, WorkerPool pool, BlockSink sink) {
        int numItems = pairs.numItems;
        int width = numItems + 1;
        int tasks = (numItems + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        pool.run(tasks, task -> {
            int first = 1 + task * ROWS_PER_TASK;
            int rows = Math.min(ROWS_PER_TASK, numItems + 1 - first);
            int[] counts = new int[rows * width];
            for (int r = 0; r < rows; r++) {
                countRow(pairs, first + r, counts, r * width);
            }
            sink.accept(first, rows, counts);
        });
    }

    private static void countRow(BinaryPairs pairs, int item, int[] counts, int offset) {
        for (int p = pairs.itemOffsets[item]; p < pairs.itemOffsets[item + 1]; p++) {
            int user = pairs.itemUsers[p];
            for (int q = pairs.userOffsets[user]; q < pairs.userOffsets[user + 1]; q++) {
                counts[offset + pairs.userItems[q]]++;
            }
        }
    }
}
