package io.streamrec.app.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a loaded model is and where it came from: the release's fields without the graph bytes and
 * vocabularies. Immutable.
 *
 * @param name            model name
 * @param version         release version
 * @param variant         model family member (gmf, mlp, neumf, aneumf, history-aneumf) or baseline (ease, item-knn)
 * @param createdAt       when the trainer made the release
 * @param itemCount       catalogue size (vocabulary entries)
 * @param userCount       users with a learned embedding
 * @param historyLength   H, the width of the graph's history input
 * @param metrics         the release's evaluation metrics
 * @param hyperparameters the release's hyperparameters
 * @param provenance      the release's provenance
 * @param signingKeyId    the key that signed it, or null when accepted unsigned
 * @param graphBytes      size of the ONNX graph
 */
public record ModelInfo(
        String name,
        long version,
        String variant,
        Instant createdAt,
        int itemCount,
        int userCount,
        int historyLength,
        Map<String, Double> metrics,
        Map<String, String> hyperparameters,
        Map<String, String> provenance,
        String signingKeyId,
        int graphBytes) {

    public ModelInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(variant, "variant");
        metrics = Map.copyOf(metrics);
        hyperparameters = Map.copyOf(hyperparameters);
        provenance = Map.copyOf(provenance);
    }

    /** True when the release carried a verified signature. */
    public boolean signed() {
        return signingKeyId != null;
    }

    @Override
    public String toString() {
        return name + " v" + version + " (" + variant + ", " + itemCount + " items)";
    }
}
