package io.streamrec.trainer.data;

import java.util.Locale;

/**
 * Shape of a large synthetic corpus (see {@link ScaleGenerator}): catalogues of 10^5 to 10^6 items and millions
 * of users, generated user by user so a click source can stream it without holding it.
 *
 * @param users              number of users
 * @param items              number of items
 * @param meanLength         mean interactions per user (at least {@value #MIN_LENGTH}, an exponential tail above)
 * @param topics             planted interest topics; every item belongs to one
 * @param interestsPerUser   how many topics a user's interests hold at once
 * @param driftProbability   chance per interaction that one interest is replaced by a new topic
 * @param followProbability  chance that the next item is a habitual successor of the previous one
 * @param exploreProbability chance that the next item is drawn from the whole catalogue by popularity
 * @param popularityExponent Zipf exponent of item popularity within a topic and across the catalogue
 * @param seed               equal configs generate identical corpora
 */
public record ScaleConfig(int users, int items, int meanLength, int topics, int interestsPerUser,
                          double driftProbability, double followProbability, double exploreProbability,
                          double popularityExponent, long seed) {

    /** Every user has at least this many interactions (one to hold out, the rest to train on). */
    public static final int MIN_LENGTH = 5;

    /** Validates the ranges. */
    public ScaleConfig {
        if (users < 1 || items < 10 || meanLength < MIN_LENGTH || topics < 1 || topics > items / 10
                || interestsPerUser < 1 || interestsPerUser > topics) {
            throw new IllegalArgumentException("invalid scale config: users=" + users + " items=" + items
                    + " meanLength=" + meanLength + " topics=" + topics + " interestsPerUser=" + interestsPerUser);
        }
        if (!isProbability(driftProbability) || !isProbability(followProbability)
                || !isProbability(exploreProbability) || followProbability + exploreProbability > 1
                || popularityExponent < 0) {
            throw new IllegalArgumentException("invalid scale probabilities");
        }
    }

    private static boolean isProbability(double p) {
        return p >= 0 && p <= 1;
    }

    /** A corpus of this many users, items and (on average) interactions, with the default structure. */
    public static ScaleConfig of(int users, int items, long interactions, long seed) {
        int meanLength = (int) Math.max(MIN_LENGTH, Math.round((double) interactions / users));
        int topics = Math.max(1, Math.min(items / 10, items / 100));
        return new ScaleConfig(users, items, meanLength, topics, 3, 0.02, 0.3, 0.1, 1.0, seed);
    }

    /**
     * The named presets: {@code 100k} is 1,000,000 users x 100,000 items x 20,000,000 interactions (training and
     * serving); {@code 1m} is 10,000,000 users x 1,000,000 items (serving: a click source streams it, nothing
     * holds it); {@code small} is 20,000 x 100,000 x 400,000, for tests and quick runs.
     */
    public static ScaleConfig preset(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "100k":
                return of(1_000_000, 100_000, 20_000_000L, 1L);
            case "1m":
                return of(10_000_000, 1_000_000, 200_000_000L, 1L);
            case "small":
                return of(20_000, 100_000, 400_000L, 1L);
            default:
                throw new IllegalArgumentException("unknown scale preset '" + name + "' (100k, 1m, small)");
        }
    }

    /**
     * A preset name ({@link #preset}) or {@code USERS:ITEMS:INTERACTIONS[:SEED]}, e.g. {@code 200000:100000:4000000}.
     */
    public static ScaleConfig parse(String spec) {
        String[] parts = spec.split(":");
        if (parts.length == 1) {
            return preset(parts[0]);
        }
        if (parts.length != 3 && parts.length != 4) {
            throw new IllegalArgumentException("scale spec '" + spec + "' is neither a preset nor"
                    + " USERS:ITEMS:INTERACTIONS[:SEED]");
        }
        return of(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Long.parseLong(parts[2]),
                parts.length == 4 ? Long.parseLong(parts[3]) : 1L);
    }

    /** This config with another size. */
    public ScaleConfig withUsers(int newUsers) {
        return new ScaleConfig(newUsers, items, meanLength, topics, interestsPerUser, driftProbability,
                followProbability, exploreProbability, popularityExponent, seed);
    }

    /** The expected number of interactions. */
    public long expectedInteractions() {
        return (long) users * meanLength;
    }
}
