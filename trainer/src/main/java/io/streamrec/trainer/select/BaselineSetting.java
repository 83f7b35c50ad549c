package io.streamrec.trainer.select;

import io.streamrec.trainer.baseline.AlsConfig;
import io.streamrec.trainer.baseline.Ease;
import io.streamrec.trainer.baseline.ImplicitAls;
import io.streamrec.trainer.baseline.ItemKnn;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.eval.PopularityScorer;
import io.streamrec.trainer.model.Scorer;
import io.streamrec.trainer.parallel.WorkerPool;
import java.util.Locale;

/**
 * One point of a baseline's hyperparameter grid: what {@link BaselineCandidate} tunes over, and what a caller
 * pins to refit a baseline with the settings chosen earlier instead of tuning it again.
 */
public sealed interface BaselineSetting {

    /** Fits the baseline on {@code train}; history-based ones read {@code historyLength} items. */
    Scorer fit(Interactions train, int historyLength, WorkerPool pool);

    /** The settings in reports, e.g. {@code lambda 500.0}. */
    String describe();

    /** The name of the baseline it configures ({@link BaselineCandidate#NAMES}). */
    String baseline();

    /** Popularity: nothing to set. */
    record Counts() implements BaselineSetting {
        @Override
        public String baseline() {
            return "popularity";
        }

        @Override
        public Scorer fit(Interactions train, int historyLength, WorkerPool pool) {
            return PopularityScorer.fit(train);
        }

        @Override
        public String describe() {
            return "counts";
        }
    }

    /** Item-kNN with {@code neighbours} per item and cosine shrinkage. */
    record Knn(int neighbours, double shrinkage) implements BaselineSetting {
        @Override
        public String baseline() {
            return "item-knn";
        }

        @Override
        public Scorer fit(Interactions train, int historyLength, WorkerPool pool) {
            return ItemKnn.fit(train, neighbours, shrinkage, historyLength, pool);
        }

        @Override
        public String describe() {
            return String.format(Locale.ROOT, "neighbours %d, shrinkage %s", neighbours, shrinkage);
        }
    }

    /** EASE with L2 weight {@code lambda}. */
    record EaseLambda(double lambda) implements BaselineSetting {
        @Override
        public String baseline() {
            return "ease";
        }

        @Override
        public Scorer fit(Interactions train, int historyLength, WorkerPool pool) {
            return Ease.fit(train, lambda, historyLength, pool);
        }

        @Override
        public String describe() {
            return String.format(Locale.ROOT, "lambda %s", lambda);
        }
    }

    /** iALS with {@code config}, all its iterations. */
    record Als(AlsConfig config) implements BaselineSetting {
        @Override
        public String baseline() {
            return "ials";
        }

        @Override
        public Scorer fit(Interactions train, int historyLength, WorkerPool pool) {
            return ImplicitAls.fit(train, config.withHistoryLength(historyLength), pool);
        }

        @Override
        public String describe() {
            return String.format(Locale.ROOT, "factors %d, lambda %s, alpha0 %s, %d iterations", config.factors(),
                    config.regularization(), config.unobservedWeight(), config.iterations());
        }
    }
}
