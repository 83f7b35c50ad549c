package io.streamrec.trainer.baseline;

import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.parallel.WorkerPool;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The state of one {@link ImplicitAls} fit: both factor tables and the exact alternating solves between them.
 *
 * <p>An iteration solves every item against the current users, then every user against the new items. Users go
 * last so that a served user vector is exactly what folding the user's items in against the served item table
 * gives, which is how unknown users are scored. Each side's α0-weighted term over all pairs is α0 times the
 * Gramian of the other side, computed once per half step and shared by every row; a row then adds only its own
 * observed pairs. Rows are solved independently in fixed blocks and Gramians are summed in fixed blocks reduced
 * in order, so the result depends on the seed alone, not on the thread count. Not thread-safe; one fit owns it.
 */
final class AlsTraining {

    private static final int ROWS_PER_TASK = 64;
    /** Upper bound on the Gramian's partial sums, which keeps their memory bounded on large tables. */
    private static final int MAX_GRAMIAN_BLOCKS = 64;

    private final AlsConfig config;
    private final BinaryPairs pairs;
    private final WorkerPool pool;
    private final int d;
    private final double[] users;
    private final double[] items;
    private final double[] userPenalty;
    private final double[] itemPenalty;
    private final boolean[] known;
    private double[] itemGramian;
    private int iterations;

    AlsTraining(Interactions train, AlsConfig config, WorkerPool pool) {
        this.config = config;
        this.pairs = BinaryPairs.of(train);
        this.pool = pool;
        this.d = config.factors();
        this.users = initialUsers(pairs.numUsers, config);
        this.items = new double[(pairs.numItems + 1) * d];
        this.userPenalty = new double[pairs.numUsers + 1];
        this.itemPenalty = new double[pairs.numItems + 1];
        this.known = new boolean[pairs.numUsers + 1];
        for (int u = 1; u <= pairs.numUsers; u++) {
            userPenalty[u] = config.rowPenalty(pairs.userCount(u), pairs.numItems);
            known[u] = pairs.userCount(u) > 0;
        }
        for (int i = 1; i <= pairs.numItems; i++) {
            itemPenalty[i] = config.rowPenalty(pairs.itemCount(i), pairs.numUsers);
        }
    }

    /** One alternation: items against users, then users against the new items. */
    void iterate() {
        double[] userGramian = gramian(users, pairs.numUsers);
        solveSide(items, pairs.itemOffsets, pairs.itemUsers, users, userGramian, itemPenalty, pairs.numItems);
        itemGramian = gramian(items, pairs.numItems);
        solveSide(users, pairs.userOffsets, pairs.userItems, items, itemGramian, userPenalty, pairs.numUsers);
        iterations++;
    }

    /** An immutable model of the current tables (copies), valid after at least one {@link #iterate()}. */
    ImplicitAls snapshot() {
        return new ImplicitAls(config, pairs.numUsers, pairs.numItems, iterations, users.clone(), items.clone(),
                itemGramian.clone(), known);
    }

    private static double[] initialUsers(int numUsers, AlsConfig config) {
        int d = config.factors();
        double std = config.initStd() / Math.sqrt(d);
        SplittableRandom random = new SplittableRandom(config.seed());
        double[] users = new double[(numUsers + 1) * d];
        for (int p = d; p < users.length; p++) {
            users[p] = random.nextGaussian() * std;
        }
        return users;
    }

    /** Solves rows 1..rows of {@code target} against {@code fixed}; a row without pairs is exactly zero. */
    private void solveSide(double[] target, int[] offsets, int[] others, double[] fixed, double[] gramian,
                           double[] penalty, int rows) {
        double alpha0 = config.unobservedWeight();
        int tasks = (rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        pool.run(tasks, task -> {
            AlsSystem system = new AlsSystem(d);
            int to = Math.min(rows, (task + 1) * ROWS_PER_TASK);
            for (int row = task * ROWS_PER_TASK + 1; row <= to; row++) {
                if (offsets[row] == offsets[row + 1]) {
                    Arrays.fill(target, row * d, (row + 1) * d, 0);
                    continue;
                }
                system.reset(gramian, alpha0, penalty[row]);
                system.addObserved(fixed, others, offsets[row], offsets[row + 1]);
                system.solveInto(target, row * d);
            }
        });
    }

    /** Σ v vᵀ over rows 1..rows of {@code table}, full and symmetric. */
    private double[] gramian(double[] table, int rows) {
        int blocks = Math.max(1, Math.min(MAX_GRAMIAN_BLOCKS, (rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK));
        int perBlock = (rows + blocks - 1) / blocks;
        double[][] partial = new double[blocks][d * d];
        pool.run(blocks, block -> {
            int to = Math.min(rows, (block + 1) * perBlock);
            for (int row = block * perBlock + 1; row <= to; row++) {
                AlsSystem.addOuter(partial[block], table, row * d, d);
            }
        });
        double[] sum = new double[d * d];
        for (double[] part : partial) {
            for (int p = 0; p < sum.length; p++) {
                sum[p] += part[p];
            }
        }
        for (int r = 0; r < d; r++) {
            for (int c = r + 1; c < d; c++) {
                sum[r * d + c] = sum[c * d + r];
            }
        }
        return sum;
    }
}
