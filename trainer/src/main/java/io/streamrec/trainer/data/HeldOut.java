package io.streamrec.trainer.data;

import java.util.Arrays;

/**
 * Held-out evaluation targets per user, with the sampled negatives of the NCF protocol.
 *
 * <p>User {@code u} (1..numUsers) has targets {@link #targetsOf(int)} (usually exactly one: the
 * user's latest interaction) and negatives {@link #negativesOf(int)}: items the user never
 * interacted with, against which each target is ranked. Users without targets are skipped by the
 * evaluators. Stored as two CSR arrays of primitive ints.
 *
 * <p>Immutable and thread-safe; array accessors return copies.
 */
public final class HeldOut {

    private final int numUsers;
    private final int[] targetOffsets;
    private final int[] targets;
    private final int[] negativeOffsets;
    private final int[] negatives;

    private HeldOut(int numUsers, int[] targetOffsets, int[] targets, int[] negativeOffsets, int[] negatives) {
        this.numUsers = numUsers;
        this.targetOffsets = targetOffsets;
        this.targets = targets;
        this.negativeOffsets = negativeOffsets;
        this.negatives = negatives;
    }

    /** Number of users in the index space (1..numUsers). */
    public int numUsers() {
        return numUsers;
    }

    /** Number of users with at least one target. */
    public int usersWithTargets() {
        int count = 0;
        for (int u = 1; u <= numUsers; u++) {
            if (targetOffsets[u + 1] > targetOffsets[u]) {
                count++;
            }
        }
        return count;
    }

    /** Total number of (user, target) pairs. */
    public int targetCount() {
        return targets.length;
    }

    /** A copy of {@code user}'s targets. */
    public int[] targetsOf(int user) {
        return Arrays.copyOfRange(targets, targetOffsets[user], targetOffsets[user + 1]);
    }

    /** A copy of {@code user}'s sampled negatives (may be empty). */
    public int[] negativesOf(int user) {
        return Arrays.copyOfRange(negatives, negativeOffsets[user], negativeOffsets[user + 1]);
    }

    /** Number of targets of {@code user}. */
    public int targetCount(int user) {
        return targetOffsets[user + 1] - targetOffsets[user];
    }

    /**
     * The targets and negatives of the users {@code keep} accepts; every other user has none. {@code keep} is
     * asked only about users with targets.
     */
    public HeldOut restrictedTo(java.util.function.IntPredicate keep) {
        Builder builder = new Builder(numUsers);
        for (int u = 1; u <= numUsers; u++) {
            if (targetCount(u) > 0 && keep.test(u)) {
                builder.targets(u, targetsOf(u)).negatives(u, negativesOf(u));
            }
        }
        return builder.build();
    }

    /** Collects targets and negatives user by user. Not thread-safe. */
    public static final class Builder {
        private final int numUsers;
        private final int[][] targetsByUser;
        private final int[][] negativesByUser;

        /** A builder for users 1..numUsers. */
        public Builder(int numUsers) {
            this.numUsers = numUsers;
            this.targetsByUser = new int[numUsers + 1][];
            this.negativesByUser = new int[numUsers + 1][];
        }

        /** Sets {@code user}'s targets (replacing earlier ones). */
        public Builder targets(int user, int... items) {
            targetsByUser[user] = items.clone();
            return this;
        }

        /** Sets {@code user}'s negatives (replacing earlier ones). */
        public Builder negatives(int user, int... items) {
            negativesByUser[user] = items.clone();
            return this;
        }

        /** Builds the immutable CSR. */
        public HeldOut build() {
            int[] tOff = new int[numUsers + 2];
            int[] nOff = new int[numUsers + 2];
            for (int u = 1; u <= numUsers; u++) {
                tOff[u + 1] = tOff[u] + (targetsByUser[u] == null ? 0 : targetsByUser[u].length);
                nOff[u + 1] = nOff[u] + (negativesByUser[u] == null ? 0 : negativesByUser[u].length);
            }
            int[] t = new int[tOff[numUsers + 1]];
            int[] n = new int[nOff[numUsers + 1]];
            for (int u = 1; u <= numUsers; u++) {
                if (targetsByUser[u] != null) {
                    System.arraycopy(targetsByUser[u], 0, t, tOff[u], targetsByUser[u].length);
                }
                if (negativesByUser[u] != null) {
                    System.arraycopy(negativesByUser[u], 0, n, nOff[u], negativesByUser[u].length);
                }
            }
            return new HeldOut(numUsers, tOff, t, nOff, n);
        }
    }
}
