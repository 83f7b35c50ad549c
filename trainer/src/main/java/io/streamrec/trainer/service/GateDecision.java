package io.streamrec.trainer.service;

import io.streamrec.trainer.eval.RankingMetrics;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The refit gate's verdict, a pure function of the figures: the candidate is published unless its gate metric
 * falls more than the tolerance below the serving release's on the same holdout; with no serving release, or one
 * that could not be evaluated, there is nothing to compare against and the candidate is published. Immutable.
 *
 * @param publish        whether the candidate replaces the serving release
 * @param metric         the gate metric ({@code hr@10} or {@code ndcg@10})
 * @param candidateValue the candidate's gate metric
 * @param servingValue   the serving release's gate metric, when it was evaluated
 * @param comparison     one sentence with the figures, for the log and the refit's reason
 */
record GateDecision(boolean publish, String metric, double candidateValue, OptionalDouble servingValue,
                    String comparison) {

    /**
     * What the gate compares: the candidate's and the serving release's metrics on one holdout.
     *
     * @param holdout   the held-out users both were evaluated on
     * @param candidate the candidate's metrics
     * @param serving   the serving release's metrics; empty without a serving release or when it could not be
     *                  evaluated
     */
    record Figures(GateHoldout holdout, RankingMetrics candidate, Optional<RankingMetrics> serving) { }

    /**
     * Decides on {@code figures}.
     *
     * @param metric           {@code hr@10} compares hit rates; anything else compares NDCG
     * @param tolerance        how far below the serving release's value the candidate may fall and still be published
     * @param candidateVersion the version the candidate would be published as
     * @param servingVersion   the serving release's version, or -1 without one
     */
    static GateDecision decide(String metric, double tolerance, long candidateVersion, long servingVersion,
                               Figures figures) {
        double candidateValue = value(figures.candidate(), metric);
        int users = figures.holdout().users();
        if (figures.serving().isEmpty()) {
            String comparison = String.format(Locale.ROOT, "%s %.4f for v%d on %d held-out users; %s", metric,
                    candidateValue, candidateVersion, users,
                    servingVersion < 0 ? "no serving model" : "the serving release could not be evaluated");
            return new GateDecision(true, metric, candidateValue, OptionalDouble.empty(), comparison);
        }
        double servingValue = value(figures.serving().get(), metric);
        String comparison = String.format(Locale.ROOT, "%s %.4f for v%d against %.4f for serving v%d on %d%s"
                        + " held-out users (tolerance %.4f)", metric, candidateValue, candidateVersion, servingValue,
                servingVersion, users, figures.holdout().fresh() ? " fresh" : "", tolerance);
        boolean publish = !(candidateValue < servingValue - tolerance);
        return new GateDecision(publish, metric, candidateValue, OptionalDouble.of(servingValue), comparison);
    }

    /** The refit's reason: the verdict and the comparison behind it. */
    String reason() {
        return (publish ? "published: " : "kept the serving model: ") + comparison;
    }

    private static double value(RankingMetrics metrics, String metric) {
        return metric.equals("hr@10") ? metrics.hitRate() : metrics.ndcg();
    }
}
