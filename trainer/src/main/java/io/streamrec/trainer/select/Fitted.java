package io.streamrec.trainer.select;

import io.streamrec.trainer.eval.RankingMetrics;
import io.streamrec.trainer.model.NcfModel;
import io.streamrec.trainer.model.Scorer;
import io.streamrec.trainer.train.FitResult;
import java.time.Duration;
import java.util.Optional;

/**
 * What one entry of a {@link VariantSelection} produced: a scorer fitted on the validation split's training part,
 * its figures on that split's held-out items, and how it got there.
 *
 * @param name       the entry's name, e.g. {@code history-aneumf} or {@code ease}
 * @param settings   the hyperparameters it ended with (for a tuned baseline, the ones chosen on validation)
 * @param baseline   whether it is a baseline (evaluated beside the candidates, published only when listed as one)
 * @param scorer     the fitted scorer
 * @param validation its figures on the validation items
 * @param time       wall time of fitting and tuning
 * @param fit        the training run of a neural model (epochs, chosen epoch), empty for a baseline
 * @param setting    a baseline's chosen settings, to pin them in a later selection; empty for a neural model
 */
public record Fitted(String name, String settings, boolean baseline, Scorer scorer, RankingMetrics validation,
                     Duration time, Optional<FitResult> fit, Optional<BaselineSetting> setting) {

    /** The neural model, when the scorer is one. */
    public Optional<NcfModel> model() {
        return scorer instanceof NcfModel model ? Optional.of(model) : Optional.empty();
    }

    /** The figure the selection compares: HR@10 for {@code hr@10}, else NDCG@10. */
    public double metric(String metric) {
        return metric.equals("hr@10") ? validation.hitRate() : validation.ndcg();
    }
}
