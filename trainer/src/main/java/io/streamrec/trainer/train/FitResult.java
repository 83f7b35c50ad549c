package io.streamrec.trainer.train;

import io.streamrec.trainer.eval.RankingMetrics;
import java.util.List;

/**
 * The outcome of {@link Trainer#fit}.
 *
 * @param epochs         every epoch run
 * @param bestEpoch      the epoch whose parameters the model was left with (1-based)
 * @param bestValidation validation metrics of that epoch ({@code null} without validation)
 * @param historyContext the history a positive saw, {@link HistoryContext#AUTO} resolved (recorded for models
 *                       without history too, where it changes nothing)
 */
public record FitResult(List<EpochStats> epochs, int bestEpoch, RankingMetrics bestValidation,
                        HistoryContext historyContext) {

    /** Freezes the list. */
    public FitResult {
        epochs = List.copyOf(epochs);
    }

    /** Mean training seconds per epoch. */
    public double secondsPerEpoch() {
        return epochs.stream().mapToDouble(EpochStats::seconds).average().orElse(0);
    }

    /** Mean process CPU seconds per epoch (all threads). */
    public double cpuSecondsPerEpoch() {
        return epochs.stream().mapToDouble(EpochStats::cpuSeconds).average().orElse(0);
    }

    /** Mean training throughput in samples per second. */
    public double samplesPerSecond() {
        double seconds = epochs.stream().mapToDouble(EpochStats::seconds).sum();
        long samples = epochs.stream().mapToLong(EpochStats::samples).sum();
        return seconds == 0 ? 0 : samples / seconds;
    }
}
