package io.streamrec.trainer.snapshot;

import java.util.Arrays;

/**
 * The latest state of every (user, item) pair seen in a log, in primitive arrays: an open-addressing hash
 * from the pair (two 32-bit indices packed in a long) to its last-seen time, with removal for tombstones.
 * About 16 bytes per pair at the default load, so tens of millions of pairs fit in a few hundred MB.
 * Not thread-safe.
 */
final class PairTable {

    private static final long EMPTY = -1L;
    /** A removed pair keeps its slot (so probing chains stay intact) with this time. */
    static final long REMOVED = Long.MIN_VALUE;

    private long[] keys;
    private long[] times;
    private int used; // slots holding a key, live or removed
    private int live;

    PairTable(int expectedPairs) {
        int capacity = Integer.highestOneBit(Math.max(16, (int) Math.min(1 << 30, expectedPairs * 2L)) - 1) << 1;
        keys = new long[capacity];
        times = new long[capacity];
        Arrays.fill(keys, EMPTY);
    }

    static long pair(int user, int item) {
        return ((long) user << 32) | (item & 0xffffffffL);
    }

    static int user(long pair) {
        return (int) (pair >>> 32);
    }

    static int item(long pair) {
        return (int) pair;
    }

    /** Sets the pair's last-seen time (a later record for the pair replaces an earlier one). */
    void put(int user, int item, long time) {
        if (time == REMOVED) {
            throw new IllegalArgumentException("time " + time + " is reserved");
        }
        int slot = slotOf(pair(user, item));
        if (keys[slot] == EMPTY) {
            keys[slot] = pair(user, item);
            used++;
            live++;
        } else if (times[slot] == REMOVED) {
            live++;
        }
        times[slot] = time;
        if (used * 4L > keys.length * 3L) {
            grow();
        }
    }

    /** Forgets the pair (a tombstone). */
    void remove(int user, int item) {
        int slot = slotOf(pair(user, item));
        if (keys[slot] != EMPTY && times[slot] != REMOVED) {
            times[slot] = REMOVED;
            live--;
        }
    }

    int livePairs() {
        return live;
    }

    /** Calls {@code visitor} for every live pair, in slot order. */
    void forEachLive(PairVisitor visitor) {
        for (int slot = 0; slot < keys.length; slot++) {
            if (keys[slot] != EMPTY && times[slot] != REMOVED) {
                visitor.visit(user(keys[slot]), item(keys[slot]), times[slot]);
            }
        }
    }

    @FunctionalInterface
    interface PairVisitor {
        void visit(int user, int item, long time);
    }

    private int slotOf(long key) {
        int mask = keys.length - 1;
        int slot = (int) (mix(key) & mask);
        while (keys[slot] != EMPTY && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private static long mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 29);
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldTimes = times;
        keys = new long[oldKeys.length * 2];
        times = new long[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        used = 0;
        live = 0;
        for (int slot = 0; slot < oldKeys.length; slot++) {
            if (oldKeys[slot] != EMPTY && oldTimes[slot] != REMOVED) {
                int fresh = slotOf(oldKeys[slot]);
                keys[fresh] = oldKeys[slot];
                times[fresh] = oldTimes[slot];
                used++;
                live++;
            }
        }
    }
}
