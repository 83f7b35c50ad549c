package io.streamrec.trainer.data;

import java.util.Arrays;

/**
 * User-to-item interactions in compressed sparse rows, each user's row ordered oldest first.
 *
 * <p>Users are indexed {@code 1..numUsers()} and items {@code 1..numItems()} (index 0 is reserved,
 * see {@link Vocabulary}). User {@code u}'s interactions occupy the global positions
 * {@code [start(u), end(u))}; position {@code p} holds item {@link #itemAt(int)} at
 * {@link #timestampAt(int)}. Four bytes per interaction for the item and eight for its timestamp,
 * so tens of millions of interactions fit in a few hundred megabytes. Timestamps are used only to
 * order one user's interactions; they are never compared across users.
 *
 * <p>Immutable and thread-safe; accessors that return arrays return copies.
 */
public final class Interactions {

    private final int numUsers;
    private final int numItems;
    /** Length numUsers + 2: user u's row is [offsets[u], offsets[u + 1]); user 0 has an empty row. */
    private final int[] offsets;
    private final int[] items;
    private final long[] timestamps;

    private Interactions(int numUsers, int numItems, int[] offsets, int[] items, long[] timestamps) {
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.offsets = offsets;
        this.items = items;
        this.timestamps = timestamps;
    }

    /** Number of real users; valid user indices are 1..numUsers. */
    public int numUsers() {
        return numUsers;
    }

    /** Number of real items; valid item indices are 1..numItems. */
    public int numItems() {
        return numItems;
    }

    /** Total number of interactions. */
    public int size() {
        return items.length;
    }

    /** First global position of {@code user}'s row. */
    public int start(int user) {
        return offsets[user];
    }

    /** One past the last global position of {@code user}'s row. */
    public int end(int user) {
        return offsets[user + 1];
    }

    /** Number of interactions of {@code user}. */
    public int length(int user) {
        return offsets[user + 1] - offsets[user];
    }

    /** The item at a global position. */
    public int itemAt(int position) {
        return items[position];
    }

    /** The timestamp at a global position (meaningful only for ordering within one user). */
    public long timestampAt(int position) {
        return timestamps[position];
    }

    /** The user owning a global position (binary search over the row offsets). */
    public int userAt(int position) {
        int lo = 1;
        int hi = numUsers;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (offsets[mid] <= position) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** A copy of {@code user}'s items, oldest first. */
    public int[] itemsOf(int user) {
        return Arrays.copyOfRange(items, offsets[user], offsets[user + 1]);
    }

    /** A copy of the row offsets (length numUsers + 2). */
    int[] offsetsCopy() {
        return offsets.clone();
    }

    /** A copy of all items in global position order. */
    int[] itemsCopy() {
        return items.clone();
    }

    /**
     * The last {@code length} items of {@code user} strictly before global position {@code before},
     * most recent last, left-padded with 0. This is the serving layout of the {@code history} input.
     */
    public int[] historyBefore(int user, int before, int length) {
        int[] history = new int[length];
        fillHistory(user, before, history, 0, length);
        return history;
    }

    /** Writes the history of {@link #historyBefore} into {@code out[offset .. offset + length)}. */
    public void fillHistory(int user, int before, int[] out, int offset, int length) {
        int from = Math.max(offsets[user], before - length);
        int count = before - from;
        int pad = length - count;
        Arrays.fill(out, offset, offset + pad, 0);
        System.arraycopy(items, from, out, offset + pad, count);
    }

    /**
     * Whether the timestamps order anything: true when some user has two interactions with different
     * timestamps. Without it a row's order is only the order of the source file.
     */
    public boolean hasTimeOrder() {
        for (int u = 1; u <= numUsers; u++) {
            for (int p = offsets[u] + 1; p < offsets[u + 1]; p++) {
                if (timestamps[p] != timestamps[offsets[u]]) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A copy in which each user's row is in a random order (a seeded Fisher-Yates shuffle per user) and the
     * timestamps are the new ranks {@code 0..length-1}: the same user-item pairs with every trace of their time
     * order removed. Used for data whose files carry no order (a sorted file would otherwise put the user's
     * highest item id last, as if it were the newest) and to measure how a model does without order.
     */
    public Interactions shuffledWithinUsers(long seed) {
        int[] shuffled = items.clone();
        long[] ranks = new long[items.length];
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (int u = 1; u <= numUsers; u++) {
            int from = offsets[u];
            for (int i = offsets[u + 1] - 1; i > from; i--) {
                int j = from + random.nextInt(i - from + 1);
                int swap = shuffled[i];
                shuffled[i] = shuffled[j];
                shuffled[j] = swap;
            }
            for (int p = from; p < offsets[u + 1]; p++) {
                ranks[p] = p - from;
            }
        }
        return new Interactions(numUsers, numItems, offsets, shuffled, ranks);
    }

    /**
     * For every user, a sorted array of their distinct items: membership tests when sampling negatives, and the
     * binary user-item matrix of the baselines. Returned as fresh CSR arrays: {@code [0]} offsets (length
     * numUsers + 2), {@code [1]} items.
     */
    public int[][] distinctItemSets() {
        int[] setOffsets = new int[numUsers + 2];
        int[] sets = new int[items.length];
        int out = 0;
        for (int u = 1; u <= numUsers; u++) {
            setOffsets[u] = out;
            int from = offsets[u];
            int to = offsets[u + 1];
            System.arraycopy(items, from, sets, out, to - from);
            Arrays.sort(sets, out, out + (to - from));
            int w = out;
            for (int r = out; r < out + (to - from); r++) {
                if (r == out || sets[r] != sets[r - 1]) {
                    sets[w++] = sets[r];
                }
            }
            out = w;
        }
        setOffsets[numUsers + 1] = out;
        return new int[][] {setOffsets, Arrays.copyOf(sets, out)};
    }

    /** True when {@code item} occurs in the sorted range {@code sets[from, to)}. */
    static boolean contains(int[] sets, int from, int to, int item) {
        return Arrays.binarySearch(sets, from, to, item) >= 0;
    }

    /**
     * A copy without the users whose index satisfies {@code drop} (their rows become empty; the
     * index space is unchanged so vocabularies stay valid).
     */
    public Interactions withoutUsers(java.util.function.IntPredicate drop) {
        Builder builder = new Builder(numUsers, numItems, items.length);
        for (int u = 1; u <= numUsers; u++) {
            if (drop.test(u)) {
                continue;
            }
            for (int p = offsets[u]; p < offsets[u + 1]; p++) {
                builder.add(u, items[p], timestamps[p]);
            }
        }
        return builder.build();
    }

    /**
     * Collects interactions in any order and builds the time-ordered CSR. Interactions of one user
     * with equal timestamps keep the order in which they were added. Not thread-safe.
     */
    public static final class Builder {
        private final int numUsers;
        private final int numItems;
        private int[] users;
        private int[] itemIds;
        private long[] times;
        private int size;

        /** A builder for the given index space, with room for {@code expected} interactions. */
        public Builder(int numUsers, int numItems, int expected) {
            this.numUsers = numUsers;
            this.numItems = numItems;
            int capacity = Math.max(16, expected);
            this.users = new int[capacity];
            this.itemIds = new int[capacity];
            this.times = new long[capacity];
        }

        /** Adds one interaction; indices must be in 1..numUsers and 1..numItems. */
        public Builder add(int user, int item, long timestamp) {
            if (user < 1 || user > numUsers || item < 1 || item > numItems) {
                throw new IllegalArgumentException(
                        "interaction (" + user + ", " + item + ") outside 1.." + numUsers + " x 1.." + numItems);
            }
            if (size == users.length) {
                int capacity = size + (size >> 1) + 16;
                users = Arrays.copyOf(users, capacity);
                itemIds = Arrays.copyOf(itemIds, capacity);
                times = Arrays.copyOf(times, capacity);
            }
            users[size] = user;
            itemIds[size] = item;
            times[size] = timestamp;
            size++;
            return this;
        }

        /** Builds the immutable CSR: a stable counting sort by user, then a stable sort by time per user. */
        public Interactions build() {
            int[] offsets = new int[numUsers + 2];
            for (int i = 0; i < size; i++) {
                offsets[users[i] + 1]++;
            }
            for (int u = 1; u <= numUsers + 1; u++) {
                offsets[u] += offsets[u - 1];
            }
            int[] cursor = Arrays.copyOf(offsets, numUsers + 2);
            int[] order = new int[size];
            for (int i = 0; i < size; i++) {
                order[cursor[users[i]]++] = i;
            }
            int[] scratch = new int[size];
            for (int u = 1; u <= numUsers; u++) {
                StableSort.byKey(order, scratch, times, offsets[u], offsets[u + 1]);
            }
            int[] sortedItems = new int[size];
            long[] sortedTimes = new long[size];
            for (int p = 0; p < size; p++) {
                sortedItems[p] = itemIds[order[p]];
                sortedTimes[p] = times[order[p]];
            }
            return new Interactions(numUsers, numItems, offsets, sortedItems, sortedTimes);
        }
    }
}
