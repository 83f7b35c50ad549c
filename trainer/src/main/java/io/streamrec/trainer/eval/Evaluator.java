package io.streamrec.trainer.eval;

import io.streamrec.trainer.data.HeldOut;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.data.SeenItems;
import io.streamrec.trainer.model.Scorer;
import io.streamrec.trainer.parallel.WorkerPool;

/**
 * Offline ranking evaluation.
 *
 * <p><b>Sampled (NCF) protocol</b>: each target is ranked among itself and the user's sampled
 * negatives; HR@K = 1 if its rank is within K, NDCG@K = 1/log2(rank + 1) if so. Ties count
 * against the model: a negative scoring at least as high as the target ranks above it, so a model
 * that scores everything alike earns nothing.
 *
 * <p><b>Full-catalogue protocol</b>: every item the user has not trained on is a candidate; the
 * top K are compared with the user's targets (Recall@K = hits / |targets|, NDCG@K normalised by
 * the ideal DCG of min(|targets|, K) hits). Ties again count against the targets.
 *
 * <p>The history passed to the scorer is the user's last H items in {@code history}, most recent
 * last; the targets come after all of them. Stateless; work is spread over the pool's threads.
 */
public final class Evaluator {

    private static final int USERS_PER_TASK = 32;

    private Evaluator() {}

    /** The NCF protocol: HR@K and NDCG@K of each target among itself and its negatives. */
    public static RankingMetrics sampled(Scorer scorer, Interactions histories, HeldOut heldOut, int k, WorkerPool pool) {
        int numUsers = heldOut.numUsers();
        int[] order = usersWithTargets(heldOut);
        double[] hits = new double[numUsers + 1];
        double[] gains = new double[numUsers + 1];
        int tasks = (order.length + USERS_PER_TASK - 1) / USERS_PER_TASK;
        int h = scorer.historyLength();
        pool.run(tasks, task -> {
            int from = task * USERS_PER_TASK;
            int to = Math.min(order.length, from + USERS_PER_TASK);
            int rows = 0;
            for (int i = from; i < to; i++) {
                rows += heldOut.targetCount(order[i]);
            }
            int[] users = new int[rows];
            int[][] rowHistories = h > 0 ? new int[rows][] : null;
            int[][] candidates = new int[rows][];
            float[][] scores = new float[rows][];
            int[] owner = new int[rows];
            int r = 0;
            for (int i = from; i < to; i++) {
                int u = order[i];
                int[] negatives = heldOut.negativesOf(u);
                int[] history = h > 0 ? histories.historyBefore(u, histories.end(u), h) : null;
                for (int target : heldOut.targetsOf(u)) {
                    users[r] = u;
                    if (rowHistories != null) {
                        rowHistories[r] = history;
                    }
                    int[] c = new int[negatives.length + 1];
                    c[0] = target;
                    System.arraycopy(negatives, 0, c, 1, negatives.length);
                    candidates[r] = c;
                    scores[r] = new float[c.length];
                    owner[r] = u;
                    r++;
                }
            }
            scorer.score(users, rowHistories, candidates, scores);
            for (int row = 0; row < rows; row++) {
                float[] s = scores[row];
                int rank = 0;
                for (int c = 1; c < s.length; c++) {
                    if (s[c] >= s[0] || Float.isNaN(s[c]) || Float.isNaN(s[0])) {
                        rank++;
                    }
                }
                if (rank < k) {
                    hits[owner[row]] += 1;
                    gains[owner[row]] += 1.0 / log2(rank + 2);
                }
            }
        });
        return summarise(k, hits, gains, heldOut.targetCount());
    }

    /** Full-catalogue Recall@K and NDCG@K, excluding each user's items in {@code train}. */
    public static RankingMetrics fullCatalogue(Scorer scorer, Interactions train, HeldOut heldOut, int k, WorkerPool pool) {
        int numUsers = heldOut.numUsers();
        int numItems = train.numItems();
        int[] order = usersWithTargets(heldOut);
        double[] recall = new double[numUsers + 1];
        double[] gains = new double[numUsers + 1];
        int usersPerTask = Math.max(1, Math.min(USERS_PER_TASK, 200_000 / Math.max(1, numItems)));
        int tasks = (order.length + usersPerTask - 1) / usersPerTask;
        int h = scorer.historyLength();
        SeenItems seen = SeenItems.of(train);
        int[] all = new int[numItems];
        for (int i = 0; i < numItems; i++) {
            all[i] = i + 1;
        }
        pool.run(tasks, task -> {
            int from = task * usersPerTask;
            int to = Math.min(order.length, from + usersPerTask);
            int rows = to - from;
            int[] users = new int[rows];
            int[][] histories = h > 0 ? new int[rows][] : null;
            int[][] candidates = new int[rows][];
            float[][] scores = new float[rows][numItems];
            for (int r = 0; r < rows; r++) {
                int u = order[from + r];
                users[r] = u;
                if (histories != null) {
                    histories[r] = train.historyBefore(u, train.end(u), h);
                }
                candidates[r] = all;
            }
            scorer.score(users, histories, candidates, scores);
            boolean[] isTarget = new boolean[numItems + 1];
            for (int r = 0; r < rows; r++) {
                int u = users[r];
                float[] s = scores[r];
                int[] targets = heldOut.targetsOf(u);
                for (int t : targets) {
                    isTarget[t] = true;
                }
                double dcg = 0;
                int hitCount = 0;
                for (int t : targets) {
                    if (seen.contains(u, t)) {
                        continue; // a target the user already trained on cannot be recommended
                    }
                    float st = s[t - 1];
                    int rank = 0;
                    for (int item = 1; item <= numItems && rank < k; item++) {
                        if (item == t) {
                            continue;
                        }
                        float si = s[item - 1];
                        boolean above = isTarget[item] ? si > st : si >= st || Float.isNaN(si);
                        if (above && !seen.contains(u, item)) {
                            rank++;
                        }
                    }
                    if (rank < k) {
                        hitCount++;
                        dcg += 1.0 / log2(rank + 2);
                    }
                }
                double ideal = 0;
                for (int i = 0; i < Math.min(k, targets.length); i++) {
                    ideal += 1.0 / log2(i + 2);
                }
                recall[u] = (double) hitCount / targets.length;
                gains[u] = dcg / ideal;
                for (int t : targets) {
                    isTarget[t] = false;
                }
            }
        });
        return summarise(k, recall, gains, order.length);
    }

    private static RankingMetrics summarise(int k, double[] hits, double[] gains, int count) {
        double hitSum = 0;
        double gainSum = 0;
        for (int u = 0; u < hits.length; u++) {
            hitSum += hits[u];
            gainSum += gains[u];
        }
        return count == 0 ? new RankingMetrics(k, 0, 0, 0) : new RankingMetrics(k, hitSum / count, gainSum / count, count);
    }

    private static int[] usersWithTargets(HeldOut heldOut) {
        int[] users = new int[heldOut.usersWithTargets()];
        int w = 0;
        for (int u = 1; u <= heldOut.numUsers(); u++) {
            if (heldOut.targetCount(u) > 0) {
                users[w++] = u;
            }
        }
        return users;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
