package io.streamrec.trainer.data;

import java.util.SplittableRandom;

/** Train/held-out splits. Stateless. */
public final class Splits {

    private Splits() {}

    /**
     * Leave-one-out on each user's latest interaction: users with at least two interactions give
     * their last one as the target; the rest stay in training. Each target gets {@code negatives}
     * distinct items, uniformly sampled with a fixed seed from the items the user never touched
     * (fewer if the user touched nearly everything).
     *
     * <p>Used both for data without a split (the test targets) and, on training data, for the
     * validation item that drives early stopping; in the latter case the negatives exclude only
     * training items, so the test set never influences tuning.
     */
    public static Split leaveLastOut(Interactions all, int negatives, long seed) {
        int numUsers = all.numUsers();
        int numItems = all.numItems();
        Interactions.Builder train = new Interactions.Builder(numUsers, numItems, all.size());
        HeldOut.Builder heldOut = new HeldOut.Builder(numUsers);
        int[][] sets = all.distinctItemSets();
        SplittableRandom random = new SplittableRandom(seed);
        for (int u = 1; u <= numUsers; u++) {
            int start = all.start(u);
            int end = all.end(u);
            int keep = end - start >= 2 ? end - 1 : end;
            for (int p = start; p < keep; p++) {
                train.add(u, all.itemAt(p), all.timestampAt(p));
            }
            if (keep < end) {
                heldOut.targets(u, all.itemAt(end - 1));
                heldOut.negatives(u, sampleNegatives(sets[1], sets[0][u], sets[0][u + 1], numItems, negatives, random));
            }
        }
        return new Split(train.build(), heldOut.build());
    }

    /**
     * {@code count} distinct items in 1..numItems outside the sorted range {@code excluded[from, to)}.
     */
    static int[] sampleNegatives(int[] excluded, int from, int to, int numItems, int count, SplittableRandom random) {
        int available = numItems - (to - from);
        int wanted = Math.min(count, Math.max(0, available));
        int[] out = new int[wanted];
        if (wanted == 0) {
            return out;
        }
        if (wanted * 4 > available) {
            // Nearly exhausted catalogue: a partial shuffle of the free items avoids endless rejections.
            int[] free = new int[available];
            int k = 0;
            for (int item = 1; item <= numItems; item++) {
                if (!Interactions.contains(excluded, from, to, item)) {
                    free[k++] = item;
                }
            }
            for (int i = 0; i < wanted; i++) {
                int j = i + random.nextInt(available - i);
                int tmp = free[i];
                free[i] = free[j];
                free[j] = tmp;
                out[i] = free[i];
            }
            return out;
        }
        int filled = 0;
        while (filled < wanted) {
            int item = 1 + random.nextInt(numItems);
            if (Interactions.contains(excluded, from, to, item)) {
                continue;
            }
            boolean duplicate = false;
            for (int i = 0; i < filled; i++) {
                if (out[i] == item) {
                    duplicate = true;
                    break;
                }
            }
            if (!duplicate) {
                out[filled++] = item;
            }
        }
        return out;
    }
}
