package io.streamrec.trainer.select;

import io.streamrec.trainer.baseline.AlsConfig;
import io.streamrec.trainer.baseline.ImplicitAls;
import io.streamrec.trainer.data.Split;
import io.streamrec.trainer.eval.Evaluator;
import io.streamrec.trainer.eval.RankingMetrics;
import io.streamrec.trainer.model.Scorer;
import io.streamrec.trainer.parallel.WorkerPool;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The baselines a selection measures beside the model family (Dacrema et al. 2019, Rendle et al. 2020: simple,
 * tuned baselines are the bar a neural recommender has to clear), each tuned on the validation items only:
 * <ul>
 *   <li>{@code popularity}: training interaction counts, nothing to tune;</li>
 *   <li>{@code item-knn}: cosine item-item neighbours with shrinkage; the neighbour count, then the shrinkage,
 *       by coordinate search over {@link #NEIGHBOURS} and {@link #SHRINKAGES};</li>
 *   <li>{@code ease}: Steck's closed-form linear item-item model; λ over {@link #EASE_LAMBDAS};</li>
 *   <li>{@code ials}: implicit ALS; λ over {@link #ALS_REGULARIZATION_SCALES} times the default, the iteration
 *       count by early stopping.</li>
 * </ul>
 * Item-kNN and EASE score from the user's history, as long as {@code historyLength}; iALS folds users it did not
 * train on in from theirs. With {@code pinned} settings (chosen by an earlier tuning) the baseline is fitted once
 * with them instead: what the trainer service does between re-tunings, since EASE's grid alone costs minutes on
 * MovieLens-1M.
 *
 * @param name          {@code popularity}, {@code item-knn}, {@code ease} or {@code ials}
 * @param historyLength the history the history-based baselines read (the whole training row, in the bench)
 * @param pinned        settings to fit with instead of tuning, of this baseline's kind
 */
public record BaselineCandidate(String name, int historyLength, Optional<BaselineSetting> pinned)
        implements Candidate {

    /** The names {@link #of} accepts. */
    public static final List<String> NAMES = List.of("popularity", "item-knn", "ease", "ials");
    static final int[] NEIGHBOURS = {20, 50, 100, 200, 500, 1000};
    static final double[] SHRINKAGES = {0, 10, 50, 200};
    static final double[] EASE_LAMBDAS = {100, 250, 500, 1000, 2500, 5000, 10000};
    static final double[] ALS_REGULARIZATION_SCALES = {0.3, 1, 3};
    private static final int ALS_PATIENCE = 2;
    private static final int ALS_MAX_ITERATIONS = 20;

    /** Validates the name, the history length and that a pin belongs to this baseline. */
    public BaselineCandidate {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown baseline '" + name + "'; known: " + NAMES);
        }
        if (historyLength < 1) {
            throw new IllegalArgumentException("history length must be at least 1");
        }
        if (pinned.isPresent() && !pinned.get().baseline().equals(name)) {
            throw new IllegalArgumentException(pinned.get() + " does not configure " + name);
        }
    }

    /** The baseline {@code name}, tuned, reading {@code historyLength} history items. */
    public static BaselineCandidate of(String name, int historyLength) {
        return new BaselineCandidate(name, historyLength, Optional.empty());
    }

    /** The baseline that {@code setting} configures, fitted with it. */
    public static BaselineCandidate pinned(BaselineSetting setting, int historyLength) {
        return new BaselineCandidate(setting.baseline(), historyLength, Optional.of(setting));
    }

    @Override
    public boolean baseline() {
        return true;
    }

    @Override
    public Fitted fit(Split validation, WorkerPool pool) {
        long begin = System.nanoTime();
        Tuned tuned = pinned.map(setting -> measured(setting, validation, pool)).orElseGet(() -> switch (name) {
            case "popularity" -> measured(new BaselineSetting.Counts(), validation, pool);
            case "item-knn" -> itemKnn(validation, pool);
            case "ease" -> ease(validation, pool);
            case "ials" -> ials(validation, pool);
            default -> throw new IllegalStateException(name);
        });
        return new Fitted(name, tuned.setting().describe() + (pinned.isPresent() ? " (pinned)" : ""), true,
                tuned.scorer(), tuned.validation(), Duration.ofNanos(System.nanoTime() - begin), Optional.empty(),
                Optional.of(tuned.setting()));
    }

    /** A fitted setting and its validation figures. */
    private record Tuned(BaselineSetting setting, Scorer scorer, RankingMetrics validation) {
        boolean beats(Tuned other) {
            return other == null || validation.beats(other.validation);
        }
    }

    private Tuned measured(BaselineSetting setting, Split validation, WorkerPool pool) {
        return measured(setting, setting.fit(validation.train(), historyLength, pool), validation, pool);
    }

    private static Tuned measured(BaselineSetting setting, Scorer scorer, Split validation, WorkerPool pool) {
        return new Tuned(setting, scorer, Evaluator.sampled(scorer, validation.train(), validation.heldOut(), 10, pool));
    }

    private Tuned itemKnn(Split validation, WorkerPool pool) {
        Tuned best = null;
        for (int neighbours : NEIGHBOURS) {
            Tuned t = measured(new BaselineSetting.Knn(neighbours, SHRINKAGES[1]), validation, pool);
            best = t.beats(best) ? t : best;
        }
        int chosen = ((BaselineSetting.Knn) best.setting()).neighbours();
        for (double shrinkage : SHRINKAGES) {
            if (shrinkage != SHRINKAGES[1]) {
                Tuned t = measured(new BaselineSetting.Knn(chosen, shrinkage), validation, pool);
                best = t.beats(best) ? t : best;
            }
        }
        return best;
    }

    private Tuned ease(Split validation, WorkerPool pool) {
        Tuned best = null;
        for (double lambda : EASE_LAMBDAS) {
            Tuned t = measured(new BaselineSetting.EaseLambda(lambda), validation, pool);
            best = t.beats(best) ? t : best;
        }
        return best;
    }

    private Tuned ials(Split validation, WorkerPool pool) {
        Tuned best = null;
        AlsConfig defaults = AlsConfig.defaults().withHistoryLength(historyLength).withIterations(ALS_MAX_ITERATIONS);
        for (double scale : ALS_REGULARIZATION_SCALES) {
            Tuned t = alsEarlyStopped(validation, defaults.withRegularization(defaults.regularization() * scale), pool);
            best = t.beats(best) ? t : best;
        }
        return best;
    }

    /** Fits with the iteration count chosen on validation (stops after {@value #ALS_PATIENCE} without gain). */
    private static Tuned alsEarlyStopped(Split validation, AlsConfig config, WorkerPool pool) {
        Tuned[] best = new Tuned[1];
        ImplicitAls.fit(validation.train(), config, pool, (iteration, model) -> {
            Tuned t = measured(new BaselineSetting.Als(config.withIterations(iteration)), model, validation, pool);
            if (t.beats(best[0])) {
                best[0] = t;
            }
            return iteration - ((BaselineSetting.Als) best[0].setting()).config().iterations() < ALS_PATIENCE;
        });
        return best[0];
    }
}
