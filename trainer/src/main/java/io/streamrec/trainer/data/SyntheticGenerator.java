package io.streamrec.trainer.data;

import java.util.SplittableRandom;

/**
 * Generates interaction corpora with the structure real ones have, so models can be trained and
 * tested without downloading anything:
 * <ul>
 *   <li>power-law item popularity (Zipf, over a random permutation of the items);</li>
 *   <li>users with hidden tastes: a user picks item {@code i} with probability proportional to
 *       {@code exp(tasteStrength * <user, item> + log popularity(i))};</li>
 *   <li>sequential habits: each item has a few habitual successors, and with probability
 *       {@code followProbability} the next interaction is one of the previous item's successors.</li>
 * </ul>
 * A user never repeats an item. Timestamps are one minute apart within a user. Stateless; the
 * output depends only on the config.
 */
public final class SyntheticGenerator {

    private SyntheticGenerator() {}

    /** Generates a corpus; users are {@code u1..uU} and items {@code i1..iN}. */
    public static Corpus generate(SyntheticConfig config) {
        SplittableRandom random = new SplittableRandom(config.seed());
        int n = config.items();
        int k = config.factors();
        double scale = 1.0 / Math.sqrt(k);

        float[] traits = new float[(n + 1) * k];
        for (int i = 1; i <= n; i++) {
            for (int f = 0; f < k; f++) {
                traits[i * k + f] = (float) (random.nextGaussian() * scale);
            }
        }
        int[] rankOf = permutation(n, random);
        double[] logPopularity = new double[n + 1];
        double[] popularityCdf = new double[n + 1];
        for (int i = 1; i <= n; i++) {
            logPopularity[i] = -config.popularityExponent() * Math.log(rankOf[i]);
            popularityCdf[i] = popularityCdf[i - 1] + Math.exp(logPopularity[i]);
        }
        int s = config.successorsPerItem();
        int[] successors = new int[(n + 1) * s];
        for (int i = 1; i <= n; i++) {
            for (int j = 0; j < s; j++) {
                int next;
                do {
                    next = sample(popularityCdf, n, random);
                } while (next == i);
                successors[i * s + j] = next;
            }
        }

        Interactions.Builder builder = new Interactions.Builder(config.users(), n, config.users() * config.meanLength());
        double[] cdf = new double[n + 1];
        float[] taste = new float[k];
        boolean[] seen = new boolean[n + 1];
        int[] sequence = new int[n];
        int tail = config.meanLength() - config.minLength();
        for (int u = 1; u <= config.users(); u++) {
            for (int f = 0; f < k; f++) {
                taste[f] = (float) random.nextGaussian();
            }
            for (int i = 1; i <= n; i++) {
                double dot = 0;
                for (int f = 0; f < k; f++) {
                    dot += taste[f] * traits[i * k + f];
                }
                cdf[i] = cdf[i - 1] + Math.exp(config.tasteStrength() * dot + logPopularity[i]);
            }
            int length = config.minLength() + (int) Math.round(-tail * Math.log(1 - random.nextDouble()));
            length = Math.min(length, n / 2);
            int previous = 0;
            for (int t = 0; t < length; t++) {
                int item = 0;
                if (previous != 0 && random.nextDouble() < config.followProbability()) {
                    int candidate = successors[previous * s + random.nextInt(s)];
                    if (!seen[candidate]) {
                        item = candidate;
                    }
                }
                for (int attempt = 0; item == 0 && attempt < 64; attempt++) {
                    int candidate = sample(cdf, n, random);
                    if (!seen[candidate]) {
                        item = candidate;
                    }
                }
                if (item == 0) {
                    item = firstUnseen(seen, n, random.nextInt(n) + 1);
                }
                seen[item] = true;
                sequence[t] = item;
                builder.add(u, item, 1_000_000_000L + t * 60L);
                previous = item;
            }
            for (int t = 0; t < length; t++) {
                seen[sequence[t]] = false;
            }
        }
        return new Corpus("synthetic", Vocabulary.sequential("u", config.users()), Vocabulary.sequential("i", n),
                builder.build());
    }

    /** Generates a corpus and holds out each user's latest interaction with 99 seeded negatives. */
    public static Dataset dataset(SyntheticConfig config) {
        return Dataset.leaveLastOut(generate(config), 99, config.seed() + 1);
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] rank = new int[n + 1];
        for (int i = 1; i <= n; i++) {
            rank[i] = i;
        }
        for (int i = n; i > 1; i--) {
            int j = 1 + random.nextInt(i);
            int tmp = rank[i];
            rank[i] = rank[j];
            rank[j] = tmp;
        }
        return rank;
    }

    /** Samples an index in 1..n from the cumulative weights {@code cdf[1..n]} (cdf[0] = 0). */
    private static int sample(double[] cdf, int n, SplittableRandom random) {
        return ScaleGenerator.sample(cdf, 1, n + 1, random);
    }

    private static int firstUnseen(boolean[] seen, int n, int from) {
        for (int d = 0; d < n; d++) {
            int i = (from - 1 + d) % n + 1;
            if (!seen[i]) {
                return i;
            }
        }
        throw new IllegalStateException("user has seen every item");
    }
}
