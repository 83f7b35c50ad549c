package io.streamrec.trainer.data;

/**
 * Shape of a synthetic interaction corpus (see {@link SyntheticGenerator}).
 *
 * @param users             number of users
 * @param items             number of items
 * @param factors           dimension of the hidden user tastes and item traits
 * @param minLength         fewest interactions per user
 * @param meanLength        mean interactions per user (lengths are minLength plus an exponential tail)
 * @param popularityExponent Zipf exponent of item popularity (1.0 is a classic long tail)
 * @param tasteStrength     how strongly hidden tastes steer choices relative to popularity
 * @param followProbability chance that the next interaction follows the previous item's habit chain
 * @param successorsPerItem number of habitual successors of each item
 * @param seed              the seed; equal configs generate identical corpora
 */
public record SyntheticConfig(
        int users,
        int items,
        int factors,
        int minLength,
        int meanLength,
        double popularityExponent,
        double tasteStrength,
        double followProbability,
        int successorsPerItem,
        long seed) {

    /** Validates the ranges. */
    public SyntheticConfig {
        if (users < 1 || items < 2 || factors < 1 || minLength < 2 || meanLength < minLength) {
            throw new IllegalArgumentException("invalid synthetic config");
        }
        if (followProbability < 0 || followProbability > 1 || successorsPerItem < 1) {
            throw new IllegalArgumentException("invalid habit parameters");
        }
    }

    /** The project's embedded default: small enough for tests, structured enough to learn from. */
    public static SyntheticConfig defaults() {
        return new SyntheticConfig(2000, 1000, 8, 10, 40, 1.0, 3.0, 0.4, 3, 42L);
    }

    /** This config with another size. */
    public SyntheticConfig withSize(int newUsers, int newItems) {
        return new SyntheticConfig(newUsers, newItems, factors, minLength, meanLength, popularityExponent,
                tasteStrength, followProbability, successorsPerItem, seed);
    }

    /** This config with another seed. */
    public SyntheticConfig withSeed(long newSeed) {
        return new SyntheticConfig(users, items, factors, minLength, meanLength, popularityExponent,
                tasteStrength, followProbability, successorsPerItem, newSeed);
    }
}
