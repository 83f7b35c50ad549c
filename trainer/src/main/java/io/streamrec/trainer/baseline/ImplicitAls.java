package io.streamrec.trainer.baseline;

import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.model.Scorer;
import io.streamrec.trainer.parallel.WorkerPool;
import java.util.Arrays;

/**
 * Matrix factorisation for implicit feedback fitted by alternating least squares (iALS): score(u, i) =
 * ⟨w_u, h_i⟩, with the objective, hyperparameters and reference in {@link AlsConfig}. Each alternation solves
 * every row's d×d normal equations exactly (Cholesky), so the objective never increases.
 *
 * <p>Serving: a user who had training interactions is scored with the stored vector and the history is ignored.
 * The unknown user 0, a user outside 1..numUsers and a user who had no training interactions are folded in: their
 * vector is the same regularised least-squares solution against the item table, computed from the distinct
 * in-range items of the history passed to {@link #score} (the zero vector, so all-zero scores, when there are
 * none). Since training solves the users last, a trained user and the fold-in of that user's training items give
 * the same vector. Candidates outside 1..numItems score 0.
 *
 * <p>Immutable and thread-safe.
 */
public final class ImplicitAls implements Scorer {

    /** Told after every iteration of a fit, so a caller can evaluate and stop early. */
    @FunctionalInterface
    public interface IterationListener {

        /**
         * Called after iteration {@code iteration} (1-based) with the model as it stands, an immutable snapshot the
         * caller may keep; returns whether to run the next iteration.
         */
        boolean proceed(int iteration, ImplicitAls model);
    }

    private final AlsConfig config;
    private final int numUsers;
    private final int numItems;
    private final int iterations;
    private final int d;
    /** (numUsers + 1) × d, row-major; row 0 unused. */
    private final double[] users;
    /** (numItems + 1) × d, row-major; row 0 (padding) is zero. */
    private final double[] items;
    /** HᵀH of {@link #items}, the unobserved term of every fold-in. */
    private final double[] itemGramian;
    /** Users with training interactions; shared between snapshots of one fit and never written after it starts. */
    private final boolean[] known;

    ImplicitAls(AlsConfig config, int numUsers, int numItems, int iterations, double[] users, double[] items,
                double[] itemGramian, boolean[] known) {
        this.config = config;
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.iterations = iterations;
        this.d = config.factors();
        this.users = users;
        this.items = items;
        this.itemGramian = itemGramian;
        this.known = known;
    }

    /** Fits {@code config.iterations()} alternations on {@code train}, rows solved in parallel on {@code pool}. */
    public static ImplicitAls fit(Interactions train, AlsConfig config, WorkerPool pool) {
        return fit(train, config, pool, (iteration, model) -> true);
    }

    /**
     * As {@link #fit(Interactions, AlsConfig, WorkerPool)}, showing each iteration's model to {@code listener},
     * which may stop the fit early. Returns the model after the last iteration run; the same seed gives the same
     * model whatever the pool's thread count.
     */
    public static ImplicitAls fit(Interactions train, AlsConfig config, WorkerPool pool, IterationListener listener) {
        AlsTraining training = new AlsTraining(train, config, pool);
        ImplicitAls model = null;
        for (int iteration = 1; iteration <= config.iterations(); iteration++) {
            training.iterate();
            model = training.snapshot();
            if (!listener.proceed(iteration, model)) {
                break;
            }
        }
        return model;
    }

    /** The hyperparameters it was fitted with. */
    public AlsConfig config() {
        return config;
    }

    /** Number of users in the training index space (1..numUsers). */
    public int numUsers() {
        return numUsers;
    }

    /** Number of items (1..numItems; 0 = padding). */
    public int numItems() {
        return numItems;
    }

    /** Number of iterations fitted. */
    public int iterations() {
        return iterations;
    }

    /** A copy of user {@code user}'s vector (1..numUsers; zero for a user without training interactions). */
    public double[] userFactors(int user) {
        return row(users, user, numUsers);
    }

    /** A copy of item {@code item}'s vector (0..numItems; item 0 is zero). */
    public double[] itemFactors(int item) {
        return row(items, item, numItems);
    }

    /** The vector the model gives a user with these items (entries outside 1..numItems ignored, repeats once). */
    public double[] foldIn(int[] history) {
        double[] out = new double[d];
        foldIn(history, new AlsSystem(d), out);
        return out;
    }

    @Override
    public int historyLength() {
        return config.historyLength();
    }

    /** Scores candidates (see {@link Scorer} and the class documentation for who is folded in). */
    @Override
    public void score(int[] users, int[][] histories, int[][] candidates, float[][] out) {
        AlsSystem system = null;
        double[] folded = null;
        for (int r = 0; r < candidates.length; r++) {
            int user = users[r];
            if (isKnown(user)) {
                scoreRow(this.users, user * d, candidates[r], out[r]);
                continue;
            }
            if (system == null) {
                system = new AlsSystem(d);
                folded = new double[d];
            }
            foldIn(histories == null ? null : histories[r], system, folded);
            scoreRow(folded, 0, candidates[r], out[r]);
        }
    }

    private boolean isKnown(int user) {
        return user >= 1 && user <= numUsers && known[user];
    }

    private void foldIn(int[] history, AlsSystem system, double[] out) {
        int[] distinct = distinctItems(history);
        if (distinct.length == 0) {
            Arrays.fill(out, 0);
            return;
        }
        system.reset(itemGramian, config.unobservedWeight(), config.rowPenalty(distinct.length, numItems));
        system.addObserved(items, distinct, 0, distinct.length);
        system.solveInto(out, 0);
    }

    /** The in-range items of {@code history}, ascending and distinct: the order training sums a user's rows in. */
    private int[] distinctItems(int[] history) {
        if (history == null) {
            return new int[0];
        }
        int[] valid = Arrays.stream(history).filter(item -> item >= 1 && item <= numItems).sorted().toArray();
        int count = 0;
        for (int p = 0; p < valid.length; p++) {
            if (p == 0 || valid[p] != valid[p - 1]) {
                valid[count++] = valid[p];
            }
        }
        return Arrays.copyOf(valid, count);
    }

    private void scoreRow(double[] vector, int offset, int[] candidates, float[] out) {
        for (int c = 0; c < candidates.length; c++) {
            int item = candidates[c];
            if (item < 1 || item > numItems) {
                out[c] = 0f;
                continue;
            }
            double s = 0;
            int base = item * d;
            for (int f = 0; f < d; f++) {
                s += vector[offset + f] * items[base + f];
            }
            out[c] = (float) s;
        }
    }

    private double[] row(double[] table, int index, int max) {
        if (index < 0 || index > max) {
            throw new IndexOutOfBoundsException("index " + index + " outside 0.." + max);
        }
        return Arrays.copyOfRange(table, index * d, (index + 1) * d);
    }
}
