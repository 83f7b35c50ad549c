package io.streamrec.trainer.release;

import io.streamrec.trainer.data.Vocabulary;
import io.streamrec.trainer.model.NcfModel;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a release is built from. The model is read when the release is built, so it must not be trained
 * meanwhile; the maps are copied.
 *
 * @param name            model name, the record key on the models topic (e.g. {@code default})
 * @param version         release version, strictly increasing per name (see
 *                        {@code ModelsSnapshot#nextVersion})
 * @param model           the trained model
 * @param users           the user vocabulary the model was trained with (index i + 1 = entry i)
 * @param items           the item vocabulary the model was trained with
 * @param metrics         evaluation results, e.g. {@code hr@10}, {@code ndcg@10}
 * @param hyperparameters training hyperparameters (e.g.
 *                        {@link Hyperparameters#of(io.streamrec.trainer.train.TrainConfig)}); the model's own
 *                        are added by the builder
 * @param provenance      where the model came from
 */
public record ReleaseRequest(String name, long version, NcfModel model, Vocabulary users, Vocabulary items,
                             Map<String, Double> metrics, Map<String, String> hyperparameters, Provenance provenance) {

    /** Validates and copies. */
    public ReleaseRequest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(provenance, "provenance");
        metrics = Map.copyOf(metrics);
        hyperparameters = Map.copyOf(hyperparameters);
        metrics.forEach((key, value) -> {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("metric " + key + " is not finite: " + value);
            }
        });
    }
}
