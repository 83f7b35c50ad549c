package io.streamrec.trainer.data;

import java.util.SplittableRandom;

/**
 * Generates large corpora with a planted structure, user by user, so that a corpus of 20 million interactions
 * fits in primitive arrays and a click source can stream 10 million users without holding them:
 * <ul>
 *   <li>every item belongs to one of {@code topics} topics; topic popularity is Zipf, and so is item
 *       popularity within a topic and across the catalogue;</li>
 *   <li>a user holds a few interests (topics) at a time, switches between them, and drifts: with
 *       {@code driftProbability} per interaction one interest is replaced by a new topic;</li>
 *   <li>the next item is a habitual successor of the previous one (the next few items of its topic by
 *       popularity rank) with {@code followProbability}, a popular item of the whole catalogue with
 *       {@code exploreProbability}, and otherwise an item of the active interest by its popularity;</li>
 *   <li>a user never repeats an item; interactions are one minute apart, in order.</li>
 * </ul>
 * A model that learns the topics and the habits ranks the held-out item far above popularity, which is how
 * accuracy is still checked at this size. User {@code u}'s sequence depends only on the config and {@code u}.
 * Users are {@code u1..uU}, items {@code i1..iN}, as in {@link SyntheticGenerator}.
 *
 * <p>Immutable and thread-safe once constructed (construction is O(items)).
 */
public final class ScaleGenerator {

    private static final int SUCCESSORS = 3;
    private static final int ATTEMPTS = 16;

    private final ScaleConfig config;
    /** Items grouped by topic, each topic's items most popular first; topic t owns [topicStart[t], topicStart[t+1]). */
    private final int[] itemsByTopic;
    private final int[] topicStart;
    /** Per item: its topic and its position in {@link #itemsByTopic}. */
    private final int[] topicOf;
    private final int[] positionOf;
    /** Cumulative popularity within each topic's range of {@link #itemsByTopic}, each range ending at 1. */
    private final double[] withinTopicCdf;
    private final double[] topicCdf;
    /** Cumulative popularity of {@link #globalOrder}, the catalogue by global popularity rank. */
    private final double[] globalCdf;
    private final int[] globalOrder;

    /** Lays out the topics and popularity of {@code config}'s catalogue. */
    public ScaleGenerator(ScaleConfig config) {
        this.config = config;
        int n = config.items();
        int topics = config.topics();
        SplittableRandom random = new SplittableRandom(config.seed());
        int[] shuffled = permutation(n, random);
        this.itemsByTopic = new int[n];
        this.topicStart = new int[topics + 1];
        this.topicOf = new int[n + 1];
        this.positionOf = new int[n + 1];
        for (int t = 0; t <= topics; t++) {
            topicStart[t] = (int) ((long) n * t / topics);
        }
        for (int p = 0; p < n; p++) {
            int item = shuffled[p] + 1;
            itemsByTopic[p] = item;
            positionOf[item] = p;
        }
        this.withinTopicCdf = new double[n];
        for (int t = 0; t < topics; t++) {
            double total = 0;
            for (int p = topicStart[t]; p < topicStart[t + 1]; p++) {
                topicOf[itemsByTopic[p]] = t;
                total += zipf(p - topicStart[t]);
                withinTopicCdf[p] = total;
            }
            for (int p = topicStart[t]; p < topicStart[t + 1]; p++) {
                withinTopicCdf[p] /= total;
            }
        }
        this.topicCdf = cumulativeZipf(topics);
        this.globalOrder = permutation(n, random);
        for (int r = 0; r < n; r++) {
            globalOrder[r] += 1;
        }
        this.globalCdf = cumulativeZipf(n);
    }

    public ScaleConfig config() {
        return config;
    }

    /** The planted topic of an item in {@code 1..items}. */
    public int topicOf(int item) {
        return topicOf[item];
    }

    /** User {@code user}'s items in time order (indices {@code 1..items}, no repeats). */
    public int[] sequence(int user) {
        if (user < 1 || user > config.users()) {
            throw new IllegalArgumentException("user " + user + " outside 1.." + config.users());
        }
        SplittableRandom random = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + user);
        int tail = config.meanLength() - ScaleConfig.MIN_LENGTH;
        int length = ScaleConfig.MIN_LENGTH + (int) Math.round(-tail * Math.log(1 - random.nextDouble()));
        length = Math.min(length, Math.min(config.items() / 2, 20 * config.meanLength()));
        int[] interests = new int[config.interestsPerUser()];
        for (int k = 0; k < interests.length; k++) {
            interests[k] = sample(topicCdf, 0, topicCdf.length, random);
        }
        int[] sequence = new int[length];
        int active = 0;
        for (int t = 0; t < length; t++) {
            if (random.nextDouble() < config.driftProbability()) {
                interests[random.nextInt(interests.length)] = sample(topicCdf, 0, topicCdf.length, random);
            }
            if (random.nextDouble() < 0.3) {
                active = random.nextInt(interests.length);
            }
            sequence[t] = next(sequence, t, interests[active], random);
        }
        return sequence;
    }

    private int next(int[] sequence, int t, int topic, SplittableRandom random) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double u = random.nextDouble();
            int item;
            if (t > 0 && u < config.followProbability()) {
                item = successor(sequence[t - 1], 1 + random.nextInt(SUCCESSORS));
            } else if (u < config.followProbability() + config.exploreProbability()) {
                item = globalOrder[sample(globalCdf, 0, globalCdf.length, random)];
            } else {
                item = itemsByTopic[sample(withinTopicCdf, topicStart[topic], topicStart[topic + 1], random)];
            }
            if (!contains(sequence, t, item)) {
                return item;
            }
        }
        // A user who has exhausted the likely items: the first unseen one from the topic's most popular on, then
        // the following topics' (a sequence holds at most half the catalogue, so one is always left).
        for (int p = 0; ; p++) {
            int item = itemsByTopic[(topicStart[topic] + p) % itemsByTopic.length];
            if (!contains(sequence, t, item)) {
                return item;
            }
        }
    }

    /** The item {@code step} places after {@code item} in its topic's popularity order, wrapping. */
    private int successor(int item, int step) {
        int t = topicOf[item];
        int size = topicStart[t + 1] - topicStart[t];
        return itemsByTopic[topicStart[t] + (positionOf[item] - topicStart[t] + step) % size];
    }

    /** The whole corpus, users {@code 1..users} in order, in primitive arrays. */
    public Corpus corpus() {
        Interactions.Builder builder = new Interactions.Builder(config.users(), config.items(),
                (int) Math.min(Integer.MAX_VALUE - 16, config.expectedInteractions() + config.expectedInteractions() / 8));
        for (int u = 1; u <= config.users(); u++) {
            int[] sequence = sequence(u);
            for (int t = 0; t < sequence.length; t++) {
                builder.add(u, sequence[t], 1_000_000_000L + t * 60L);
            }
        }
        return new Corpus("scale " + config.users() + "x" + config.items(), Vocabulary.sequential("u",
                config.users()), Vocabulary.sequential("i", config.items()), builder.build());
    }

    /** The corpus with each user's latest interaction held out against 99 seeded negatives. */
    public Dataset dataset() {
        return Dataset.leaveLastOut(corpus(), 99, config.seed() + 1);
    }

    private double zipf(int rank) {
        return Math.pow(rank + 1, -config.popularityExponent());
    }

    private double[] cumulativeZipf(int n) {
        double[] cdf = new double[n];
        double total = 0;
        for (int r = 0; r < n; r++) {
            total += zipf(r);
            cdf[r] = total;
        }
        for (int r = 0; r < n; r++) {
            cdf[r] /= total;
        }
        return cdf;
    }

    /**
     * An index in {@code [from, to)} drawn by the cumulative weights {@code cdf[from..to)} (one draw of
     * {@code random}, scaled by {@code cdf[to - 1]}). Also {@link SyntheticGenerator}'s sampler.
     */
    static int sample(double[] cdf, int from, int to, SplittableRandom random) {
        double target = random.nextDouble() * cdf[to - 1];
        int lo = from;
        int hi = to - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] > target) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    private static boolean contains(int[] sequence, int length, int item) {
        for (int i = 0; i < length; i++) {
            if (sequence[i] == item) {
                return true;
            }
        }
        return false;
    }

    /** 0..n-1 shuffled. */
    private static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }
}
