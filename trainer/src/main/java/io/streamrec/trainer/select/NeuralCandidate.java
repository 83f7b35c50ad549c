package io.streamrec.trainer.select;

import io.streamrec.trainer.data.Split;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.model.NcfModel;
import io.streamrec.trainer.parallel.WorkerPool;
import io.streamrec.trainer.train.EpochStats;
import io.streamrec.trainer.train.FitResult;
import io.streamrec.trainer.train.TrainConfig;
import io.streamrec.trainer.train.Trainer;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A member of the model family as a candidate: trained with early stopping on the validation items, from
 * {@code start} when given (a warm start: the last model of the same configuration) or from scratch.
 *
 * @param model    the architecture
 * @param training the training recipe
 * @param start    parameters to start from (copied), or empty for a fresh model
 * @param epochs   told of every epoch (progress, metrics, cancellation by throwing)
 */
public record NeuralCandidate(ModelConfig model, TrainConfig training, Optional<NcfModel> start,
                              Consumer<EpochStats> epochs) implements Candidate {

    /** A candidate trained from scratch, epochs unreported. */
    public static NeuralCandidate fresh(ModelConfig model, TrainConfig training) {
        return new NeuralCandidate(model, training, Optional.empty(), stats -> { });
    }

    @Override
    public String name() {
        return model.variant().label();
    }

    @Override
    public boolean baseline() {
        return false;
    }

    @Override
    public Fitted fit(Split validation, WorkerPool pool) {
        long begin = System.nanoTime();
        NcfModel fitted = start.map(NcfModel::copy).orElseGet(() -> NcfModel.create(model,
                validation.train().numUsers(), validation.train().numItems()));
        try (Trainer trainer = new Trainer(training)) {
            FitResult fit = trainer.fit(fitted, validation.train(), validation.heldOut(), epochs);
            String settings = model.describe() + (model.usesHistory() ? " context=" + fit.historyContext().label() : "")
                    + (start.isPresent() ? " warm" : " scratch") + ", epoch " + fit.bestEpoch() + "/" + fit.epochs().size();
            return new Fitted(name(), settings, false, fitted, fit.bestValidation(),
                    Duration.ofNanos(System.nanoTime() - begin), Optional.of(fit), Optional.empty());
        }
    }
}
