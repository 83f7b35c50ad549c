package io.streamrec.trainer.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.NcfReader;
import io.streamrec.trainer.data.Split;
import io.streamrec.trainer.data.Splits;
import io.streamrec.trainer.eval.Evaluator;
import io.streamrec.trainer.eval.RankingMetrics;
import io.streamrec.trainer.parallel.WorkerPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A one-off measurement, not a regression test: tunes {@link ImplicitAls} on MovieLens-1M's NCF split and reports
 * the chosen setting's test HR@10 / NDCG@10 (where {@link AlsConfig#defaults()} came from). Minutes of CPU, so it
 * runs only with {@code -Dials.ml1m=true} and skips without the shared data. Protocol: each user's latest
 * training item is the validation target; every grid point runs up to {@link #MAX_ITERATIONS} iterations and stops
 * after {@link #PATIENCE} without a better validation HR@10; the best point is refitted on the whole training
 * split for its best iteration count and only that model meets the test file. The grid can be narrowed with
 * {@code -Dials.factors=64,128 -Dials.regularization=... -Dials.unobserved=...}.
 */
@EnabledIfSystemProperty(named = "ials.ml1m", matches = "true")
class ImplicitAlsMovieLensTest {

    private static final int MAX_ITERATIONS = 30;
    private static final int PATIENCE = 3;
    private static final int THREADS = 2;

    /** The best validation point of one grid setting. */
    private record Trial(AlsConfig config, int iteration, RankingMetrics validation, double secondsPerIteration) {}

    @Test
    void tuneOnValidationThenMeasureOnTest() {
        Path dir = Path.of(System.getProperty("streamrec.shared.data", "../shared/data")).resolve("ml-1m-ncf");
        Assumptions.assumeTrue(Files.isDirectory(dir), dir + " not found; skipping");
        Dataset data = NcfReader.read(dir);
        Split validation = Splits.leaveLastOut(data.train(), 99, 18);
        AlsConfig base = AlsConfig.defaults().withIterations(MAX_ITERATIONS);
        try (WorkerPool pool = new WorkerPool(THREADS)) {
            Trial best = null;
            for (double factors : grid("ials.factors", "64,128")) {
                for (double regularization : grid("ials.regularization", "0.001,0.003,0.01")) {
                    for (double unobserved : grid("ials.unobserved", "0.1,0.3,1.0")) {
                        AlsConfig config = base.withFactors((int) factors).withRegularization(regularization)
                                .withUnobservedWeight(unobserved);
                        Trial trial = tune(config, validation, pool);
                        System.out.printf("validation d=%d lambda=%s alpha0=%s: best iteration %d %s, %.2f s/iteration%n",
                                config.factors(), regularization, unobserved, trial.iteration(), trial.validation(),
                                trial.secondsPerIteration());
                        if (best == null || trial.validation().hitRate() > best.validation().hitRate()) {
                            best = trial;
                        }
                    }
                }
            }
            measure(best, data, pool);
        }
    }

    private static void measure(Trial best, Dataset data, WorkerPool pool) {
        AlsConfig chosen = best.config().withIterations(best.iteration());
        long start = System.nanoTime();
        ImplicitAls model = ImplicitAls.fit(data.train(), chosen, pool);
        double seconds = (System.nanoTime() - start) / 1e9;
        RankingMetrics test = Evaluator.sampled(model, data.train(), data.test(), 10, pool);
        System.out.printf("chosen %s (validation %s)%ntest %s; refit %.1f s = %.2f s/iteration on %d threads%n",
                chosen, best.validation(), test, seconds, seconds / chosen.iterations(), THREADS);
        assertThat(test.count()).isEqualTo(6040);
        assertThat(test.hitRate()).isGreaterThan(0.6);
    }

    /** Fits with early stopping on validation HR@10; the clock stops while the listener evaluates. */
    private static Trial tune(AlsConfig config, Split validation, WorkerPool pool) {
        Trial[] best = new Trial[1];
        long[] clock = {System.nanoTime(), 0};
        ImplicitAls.fit(validation.train(), config, pool, (iteration, model) -> {
            clock[1] += System.nanoTime() - clock[0];
            RankingMetrics metrics = Evaluator.sampled(model, validation.train(), validation.heldOut(), 10, pool);
            double perIteration = clock[1] / 1e9 / iteration;
            if (best[0] == null || metrics.hitRate() > best[0].validation().hitRate()) {
                best[0] = new Trial(config, iteration, metrics, perIteration);
            }
            clock[0] = System.nanoTime();
            return iteration - best[0].iteration() < PATIENCE;
        });
        return best[0];
    }

    private static double[] grid(String property, String fallback) {
        return Arrays.stream(System.getProperty(property, fallback).split(",")).mapToDouble(Double::parseDouble)
                .toArray();
    }
}
