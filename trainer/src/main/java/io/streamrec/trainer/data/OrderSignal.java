package io.streamrec.trainer.data;

import java.util.Arrays;
import java.util.Locale;

/**
 * Whether the order of the users' rows carries signal: how often the same pair of items sits side by side in
 * different users' rows, against the same count with each row shuffled.
 *
 * <p>In time-ordered data, neighbours in a row are items consumed one after the other (a sequel after its first
 * part, an album after the single), so the same adjacent pairs recur across users far more often than the users'
 * item sets alone explain; once each row is shuffled, the adjacent pairs are random pairs from those sets. The
 * {@link #ratio()} of the two counts is therefore near 1 when order is noise (shuffled timestamps, a file in
 * arbitrary order) and well above 1 when it is not. Pairs are unordered, so the test does not depend on which of
 * two items came first. Cost: one sort of a {@code long} per interaction, twice.
 *
 * @param repeatedPairs         adjacent pairs (over all rows) that another row also has side by side
 * @param repeatedPairsShuffled the same count with every row shuffled (same seed, same sets)
 */
public record OrderSignal(long repeatedPairs, long repeatedPairsShuffled) {

    /** Above this ratio the order is taken as signal: repeats at least a fifth more common than chance. */
    public static final double ORDERED_RATIO = 1.2;

    /** Measures {@code data}, shuffling with {@code seed} for the chance level. */
    public static OrderSignal measure(Interactions data, long seed) {
        return new OrderSignal(repeatedAdjacentPairs(data), repeatedAdjacentPairs(data.shuffledWithinUsers(seed)));
    }

    /** {@link #repeatedPairs()} over {@link #repeatedPairsShuffled()}; 1 when neither has repeats. */
    public double ratio() {
        return repeatedPairsShuffled == 0 ? (repeatedPairs == 0 ? 1 : Double.POSITIVE_INFINITY)
                : (double) repeatedPairs / repeatedPairsShuffled;
    }

    /** Whether the order carries signal ({@link #ratio()} at least {@link #ORDERED_RATIO}). */
    public boolean ordered() {
        return ratio() >= ORDERED_RATIO;
    }

    /** One line for logs and reports. */
    public String describe() {
        return String.format(Locale.ROOT, "adjacent item pairs repeated across users: %,d in row order, %,d shuffled"
                + " (ratio %.2f): %s", repeatedPairs, repeatedPairsShuffled, ratio(),
                ordered() ? "the order carries signal" : "the order is noise");
    }

    private static long repeatedAdjacentPairs(Interactions data) {
        long[] pairs = new long[Math.max(0, data.size() - 1)];
        int count = 0;
        for (int u = 1; u <= data.numUsers(); u++) {
            for (int p = data.start(u) + 1; p < data.end(u); p++) {
                int a = data.itemAt(p - 1);
                int b = data.itemAt(p);
                if (a != b) {
                    pairs[count++] = ((long) Math.min(a, b) << 32) | Math.max(a, b);
                }
            }
        }
        Arrays.sort(pairs, 0, count);
        long repeated = 0;
        for (int i = 1; i < count; i++) {
            if (pairs[i] == pairs[i - 1]) {
                repeated++;
            }
        }
        return repeated;
    }
}
