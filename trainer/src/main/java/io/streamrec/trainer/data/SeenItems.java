package io.streamrec.trainer.data;

/**
 * Which items each user interacted with, for drawing negatives and for leaving seen items out of a full-catalogue
 * ranking: a membership test per (user, item), asked for every sampled negative of every epoch, so it must be
 * cheap. When the users x items bit matrix fits {@link #MAX_BITMAP_BYTES} it answers with one bit (a catalogue
 * the size of MovieLens-1M needs a few MB); larger data falls back to a binary search of the user's sorted
 * distinct items ({@link Interactions#distinctItemSets()}), slower but bounded in memory. Immutable and
 * thread-safe.
 */
public final class SeenItems {

    /** The largest bit matrix built, in bytes. */
    static final long MAX_BITMAP_BYTES = 64L << 20;

    private final int[] setOffsets;
    private final int[] sets;
    /** One run of {@link #wordsPerUser} words per user, bit {@code item} set when seen; null beyond the budget. */
    private final long[] bits;
    private final int wordsPerUser;

    private SeenItems(int[] setOffsets, int[] sets, long[] bits, int wordsPerUser) {
        this.setOffsets = setOffsets;
        this.sets = sets;
        this.bits = bits;
        this.wordsPerUser = wordsPerUser;
    }

    /** The items each user of {@code interactions} touched. */
    public static SeenItems of(Interactions interactions) {
        return of(interactions, MAX_BITMAP_BYTES);
    }

    /** As {@link #of(Interactions)}, with a bit matrix only up to {@code maxBitmapBytes}. */
    static SeenItems of(Interactions interactions, long maxBitmapBytes) {
        int[][] distinct = interactions.distinctItemSets();
        int users = interactions.numUsers();
        int wordsPerUser = (interactions.numItems() + 1 + 63) >>> 6;
        long bytes = 8L * wordsPerUser * (users + 1);
        if (bytes > maxBitmapBytes) {
            return new SeenItems(distinct[0], distinct[1], null, wordsPerUser);
        }
        long[] bits = new long[wordsPerUser * (users + 1)];
        for (int u = 1; u <= users; u++) {
            int base = u * wordsPerUser;
            for (int p = distinct[0][u]; p < distinct[0][u + 1]; p++) {
                int item = distinct[1][p];
                bits[base + (item >>> 6)] |= 1L << item;
            }
        }
        return new SeenItems(distinct[0], distinct[1], bits, wordsPerUser);
    }

    /** Whether {@code user} touched {@code item}; both must be within the data's index ranges. */
    public boolean contains(int user, int item) {
        if (bits != null) {
            return (bits[user * wordsPerUser + (item >>> 6)] & (1L << item)) != 0;
        }
        return Interactions.contains(sets, setOffsets[user], setOffsets[user + 1], item);
    }

    /** How many distinct items {@code user} touched. */
    public int count(int user) {
        return setOffsets[user + 1] - setOffsets[user];
    }

    /** Whether membership is answered from the bit matrix (for tests and logs). */
    boolean bitmap() {
        return bits != null;
    }
}
