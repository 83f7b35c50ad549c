package io.streamrec.trainer.select;

import java.util.List;
import java.util.Optional;

/**
 * A {@link VariantSelection} without its fitted models, small enough for reports and metrics to keep.
 *
 * @param metric  the selecting figure, {@code hr@10} or {@code ndcg@10}
 * @param entries every candidate, then every baseline, in list order
 * @param winner  the selected candidate's name
 * @param reason  why it won ({@link VariantSelection#reason()})
 * @param warning the loud line when a baseline is ahead ({@link VariantSelection#warning()})
 */
public record SelectionSummary(String metric, List<Entry> entries, String winner, String reason,
                               Optional<String> warning) {

    /**
     * One entry's validation figures.
     *
     * @param name     e.g. {@code history-aneumf}, {@code ease}
     * @param baseline whether it is a baseline
     * @param settings its hyperparameters as fitted
     * @param hitRate  validation HR@10
     * @param ndcg     validation NDCG@10
     * @param seconds  wall time of fitting and tuning
     */
    public record Entry(String name, boolean baseline, String settings, double hitRate, double ndcg, double seconds) { }

    /** Freezes the list. */
    public SelectionSummary {
        entries = List.copyOf(entries);
    }

    /** Whether a baseline beat the winner on validation. */
    public boolean baselineAhead() {
        return warning.isPresent();
    }
}
