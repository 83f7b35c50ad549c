package io.streamrec.trainer.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.data.SyntheticConfig;
import io.streamrec.trainer.data.SyntheticGenerator;
import io.streamrec.trainer.eval.Evaluator;
import io.streamrec.trainer.eval.PopularityScorer;
import io.streamrec.trainer.eval.RankingMetrics;
import io.streamrec.trainer.parallel.WorkerPool;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImplicitAlsTest {

    private static final AlsConfig SMALL = AlsConfig.defaults().withFactors(8).withRegularization(0.02)
            .withUnobservedWeight(0.3).withIterations(10);

    private static Interactions smallTrain() {
        return SyntheticGenerator.generate(SyntheticConfig.defaults().withSize(150, 90)).interactions();
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 1.0})
    void exactAlternatingSolvesNeverIncreaseTheObjective(double exponent) {
        Interactions train = smallTrain();
        AlsConfig config = SMALL.withRegularizationExponent(exponent);
        List<Double> losses = new ArrayList<>();
        try (WorkerPool pool = new WorkerPool(2)) {
            ImplicitAls.fit(train, config, pool, (iteration, model) -> losses.add(objective(model, train)));
        }
        assertThat(losses).hasSize(config.iterations());
        for (int i = 1; i < losses.size(); i++) {
            assertThat(losses.get(i)).as("objective after iteration %d of %s", i + 1, losses)
                    .isLessThanOrEqualTo(losses.get(i - 1) * (1 + 1e-12));
        }
        assertThat(losses.get(losses.size() - 1)).isLessThan(losses.get(0) * 0.99);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 1.0})
    void usersAreTheExactMinimisersAgainstTheFinalItems(double exponent) {
        Interactions train = smallTrain();
        AlsConfig config = SMALL.withRegularizationExponent(exponent).withIterations(3);
        ImplicitAls model;
        try (WorkerPool pool = new WorkerPool(2)) {
            model = ImplicitAls.fit(train, config, pool);
        }
        double[][] items = new double[train.numItems() + 1][];
        for (int i = 1; i <= train.numItems(); i++) {
            items[i] = model.itemFactors(i);
        }
        for (int u = 1; u <= train.numUsers(); u++) {
            double[] w = model.userFactors(u);
            boolean[] observed = new boolean[train.numItems() + 1];
            int count = 0;
            for (int item : train.itemsOf(u)) {
                count += observed[item] ? 0 : 1;
                observed[item] = true;
            }
            // Half the gradient of the objective in w_u, and the size of its observed part for scale.
            double[] gradient = scaled(w, penalty(config, count, train.numItems()));
            double[] pull = new double[w.length];
            for (int i = 1; i <= train.numItems(); i++) {
                double s = dot(w, items[i]);
                double coefficient = config.unobservedWeight() * s + (observed[i] ? s - 1 : 0);
                for (int f = 0; f < w.length; f++) {
                    gradient[f] += coefficient * items[i][f];
                    pull[f] += observed[i] ? items[i][f] : 0;
                }
            }
            assertThat(Math.sqrt(dot(gradient, gradient))).as("user %d", u)
                    .isLessThan(1e-9 * Math.sqrt(dot(pull, pull)));
        }
    }

    @Test
    void recoversTwoPlantedTasteGroups() {
        int half = 30;
        Interactions train = plantedGroups(half, 15, 8);
        AlsConfig config = AlsConfig.defaults().withFactors(4).withRegularization(0.1).withUnobservedWeight(0.1)
                .withIterations(15);
        try (WorkerPool pool = new WorkerPool(2)) {
            ImplicitAls model = ImplicitAls.fit(train, config, pool);
            int[] all = range(1, 30);
            for (int u = 1; u <= 2 * half; u++) {
                float[] scores = scoreAll(model, u, null, all);
                boolean groupA = u <= half;
                double lowestUnseenInGroup = Double.POSITIVE_INFINITY;
                double highestOutOfGroup = Double.NEGATIVE_INFINITY;
                int[] seen = train.itemsOf(u);
                for (int item = 1; item <= 30; item++) {
                    boolean inGroup = (item <= 15) == groupA;
                    if (!inGroup) {
                        highestOutOfGroup = Math.max(highestOutOfGroup, scores[item - 1]);
                    } else if (!contains(seen, item)) {
                        lowestUnseenInGroup = Math.min(lowestUnseenInGroup, scores[item - 1]);
                    }
                }
                assertThat(lowestUnseenInGroup).as("user %d", u).isGreaterThan(highestOutOfGroup + 0.3);
            }
        }
    }

    @Test
    void foldingInAUsersTrainingItemsGivesTheTrainedVector() {
        Interactions train = smallTrain();
        int longest = 0;
        for (int u = 1; u <= train.numUsers(); u++) {
            longest = Math.max(longest, train.length(u));
        }
        AlsConfig config = SMALL.withHistoryLength(longest + 5);
        try (WorkerPool pool = new WorkerPool(2)) {
            ImplicitAls model = ImplicitAls.fit(train, config, pool);
            int[] all = range(1, train.numItems());
            for (int u = 1; u <= train.numUsers(); u += 7) {
                int[] history = train.historyBefore(u, train.end(u), config.historyLength());
                float[] trained = scoreAll(model, u, new int[config.historyLength()], all);
                float[] folded = scoreAll(model, 0, history, all);
                for (int i = 0; i < all.length; i++) {
                    assertThat(folded[i]).as("user %d item %d", u, all[i]).isCloseTo(trained[i], within(1e-5f));
                }
                assertThat(maxAbs(trained)).isGreaterThan(0.05f);
            }
        }
    }

    @Test
    void usersWithoutTrainingRowsAreServedFromTheirHistory() {
        Interactions full = smallTrain();
        Interactions train = full.withoutUsers(u -> u % 5 == 0);
        try (WorkerPool pool = new WorkerPool(2)) {
            ImplicitAls model = ImplicitAls.fit(train, SMALL, pool);
            int[] all = range(1, full.numItems());
            int[] history = full.historyBefore(10, full.end(10), SMALL.historyLength());
            float[] unknown = scoreAll(model, 0, history, all);
            assertThat(maxAbs(unknown)).isGreaterThan(0.05f);
            assertThat(scoreAll(model, 10, history, all)).containsExactly(unknown);
            assertThat(scoreAll(model, full.numUsers() + 3, history, all)).containsExactly(unknown);
            assertThat(scoreAll(model, -1, history, all)).containsExactly(unknown);
            int[] noisy = history.clone();
            noisy[0] = full.numItems() + 9;
            noisy[1] = history[history.length - 1];
            assertThat(scoreAll(model, 0, noisy, all)).containsExactly(unknown);
            assertThat(scoreAll(model, 0, new int[SMALL.historyLength()], all)).containsOnly(0f);
            assertThat(scoreAll(model, 1, history, new int[] {0, full.numItems() + 1})).containsOnly(0f);
        }
    }

    @Test
    void sameSeedGivesTheSameModelWhateverTheThreadCount() {
        Interactions train = smallTrain();
        ImplicitAls a;
        ImplicitAls b;
        ImplicitAls c;
        ImplicitAls otherSeed;
        try (WorkerPool two = new WorkerPool(2); WorkerPool one = new WorkerPool(1)) {
            a = ImplicitAls.fit(train, SMALL, two);
            b = ImplicitAls.fit(train, SMALL, two);
            c = ImplicitAls.fit(train, SMALL, one);
            otherSeed = ImplicitAls.fit(train, SMALL.withSeed(SMALL.seed() + 1), two);
        }
        for (int u = 1; u <= train.numUsers(); u++) {
            assertThat(b.userFactors(u)).containsExactly(a.userFactors(u));
            assertThat(c.userFactors(u)).containsExactly(a.userFactors(u));
        }
        for (int i = 0; i <= train.numItems(); i++) {
            assertThat(b.itemFactors(i)).containsExactly(a.itemFactors(i));
            assertThat(c.itemFactors(i)).containsExactly(a.itemFactors(i));
        }
        assertThat(otherSeed.userFactors(1)).isNotEqualTo(a.userFactors(1));
    }

    @Test
    void listenerStopsTheFitAndSeesEachIteration() {
        Interactions train = smallTrain();
        List<Integer> seen = new ArrayList<>();
        try (WorkerPool pool = new WorkerPool(1)) {
            ImplicitAls model = ImplicitAls.fit(train, SMALL, pool, (iteration, m) -> {
                seen.add(iteration);
                assertThat(m.iterations()).isEqualTo(iteration);
                return iteration < 3;
            });
            assertThat(model.iterations()).isEqualTo(3);
        }
        assertThat(seen).containsExactly(1, 2, 3);
    }

    @Test
    void beatsPopularityOnTheSyntheticDataset() {
        Dataset data = SyntheticGenerator.dataset(SyntheticConfig.defaults());
        AlsConfig config = AlsConfig.defaults().withFactors(32).withIterations(8);
        try (WorkerPool pool = new WorkerPool(2)) {
            ImplicitAls model = ImplicitAls.fit(data.train(), config, pool);
            RankingMetrics als = Evaluator.sampled(model, data.train(), data.test(), 10, pool);
            RankingMetrics popularity = Evaluator.sampled(PopularityScorer.fit(data.train()), data.train(),
                    data.test(), 10, pool);
            assertThat(als.count()).isEqualTo(popularity.count()).isGreaterThan(1000);
            assertThat(als.hitRate()).as("iALS %s vs popularity %s", als, popularity)
                    .isGreaterThan(popularity.hitRate() + 0.10);
            assertThat(als.ndcg()).isGreaterThan(popularity.ndcg());
        }
    }

    @Test
    void rejectsInvalidSettings() {
        AlsConfig ok = AlsConfig.defaults();
        assertThatThrownBy(() -> ok.withFactors(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ok.withRegularization(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ok.withRegularization(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ok.withRegularizationExponent(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ok.withUnobservedWeight(-0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ok.withIterations(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ok.withInitStd(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ok.withHistoryLength(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ok.withUnobservedWeight(0).unobservedWeight()).isZero();
    }

    /** The iALS objective of {@link AlsConfig}, summed directly over every (user, item) pair. */
    private static double objective(ImplicitAls model, Interactions train) {
        AlsConfig config = model.config();
        int numUsers = train.numUsers();
        int numItems = train.numItems();
        double[][] items = new double[numItems + 1][];
        int[] itemCounts = new int[numItems + 1];
        boolean[][] observed = new boolean[numUsers + 1][numItems + 1];
        for (int u = 1; u <= numUsers; u++) {
            for (int item : train.itemsOf(u)) {
                if (!observed[u][item]) {
                    observed[u][item] = true;
                    itemCounts[item]++;
                }
            }
        }
        double loss = 0;
        for (int i = 1; i <= numItems; i++) {
            items[i] = model.itemFactors(i);
            loss += penalty(config, itemCounts[i], numUsers) * dot(items[i], items[i]);
        }
        for (int u = 1; u <= numUsers; u++) {
            double[] w = model.userFactors(u);
            int count = 0;
            for (int i = 1; i <= numItems; i++) {
                double s = dot(w, items[i]);
                loss += config.unobservedWeight() * s * s;
                if (observed[u][i]) {
                    loss += (1 - s) * (1 - s);
                    count++;
                }
            }
            loss += penalty(config, count, numItems) * dot(w, w);
        }
        return loss;
    }

    private static double penalty(AlsConfig config, int count, int otherSide) {
        return config.regularization()
                * Math.pow(count + config.unobservedWeight() * otherSide, config.regularizationExponent());
    }

    /** Users 1..half like items 1..groupItems, the next half items groupItems+1..2·groupItems; each picks perUser. */
    private static Interactions plantedGroups(int half, int groupItems, int perUser) {
        SplittableRandom random = new SplittableRandom(5);
        Interactions.Builder builder = new Interactions.Builder(2 * half, 2 * groupItems, 2 * half * perUser);
        for (int u = 1; u <= 2 * half; u++) {
            int first = u <= half ? 1 : groupItems + 1;
            int[] pool = range(first, groupItems);
            for (int k = 0; k < perUser; k++) {
                int j = k + random.nextInt(groupItems - k);
                int pick = pool[j];
                pool[j] = pool[k];
                pool[k] = pick;
                builder.add(u, pick, k);
            }
        }
        return builder.build();
    }

    private static double[] scaled(double[] v, double factor) {
        double[] out = new double[v.length];
        for (int f = 0; f < v.length; f++) {
            out[f] = v[f] * factor;
        }
        return out;
    }

    private static float[] scoreAll(ImplicitAls model, int user, int[] history, int[] candidates) {
        float[][] out = new float[1][candidates.length];
        model.score(new int[] {user}, new int[][] {history}, new int[][] {candidates}, out);
        return out[0];
    }

    private static int[] range(int first, int count) {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = first + i;
        }
        return out;
    }

    private static boolean contains(int[] items, int item) {
        for (int x : items) {
            if (x == item) {
                return true;
            }
        }
        return false;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int f = 0; f < a.length; f++) {
            s += a[f] * b[f];
        }
        return s;
    }

    private static float maxAbs(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
