package io.streamrec.trainer.export;

import io.streamrec.schemas.model.ServingSignature;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What an exported graph says about itself in its ONNX metadata, beside the counts the exporter derives from
 * the model. Immutable (the maps are copied).
 *
 * @param modelName       the release name, e.g. {@code default}
 * @param version         the release version
 * @param codeVersion     the trainer build that exported the graph (ONNX {@code producer_version})
 * @param hyperparameters model and training hyperparameters, as the release carries them
 * @param provenance      training-data provenance (source, offsets or file, pair count, training time, ...)
 */
public record ExportMetadata(String modelName, long version, String codeVersion, Map<String, String> hyperparameters,
                             Map<String, String> provenance) {

    /** Validates and copies. */
    public ExportMetadata {
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(codeVersion, "codeVersion");
        if (modelName.isBlank()) {
            throw new IllegalArgumentException("model name must not be blank");
        }
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, got " + version);
        }
        hyperparameters = Map.copyOf(hyperparameters);
        provenance = Map.copyOf(provenance);
    }

    /**
     * The ONNX metadata of a graph with the serving signature, the same keys for every exporter: this
     * metadata (hyperparameters and provenance under their {@link OnnxExporter} prefixes) and what the graph
     * is, under the {@code ServingSignature.META_*} keys and {@link OnnxExporter#META_DESCRIPTION} and
     * {@link OnnxExporter#META_CANDIDATE_SCORING}. A new map, which the caller may extend.
     */
    public Map<String, String> onnxMetadata(String variant, String description, int historyLength, int itemCount,
                                            int userCount, CandidateScoring scoring) {
        Map<String, String> out = new HashMap<>();
        hyperparameters.forEach((key, value) -> out.put(OnnxExporter.META_HYPERPARAMETER_PREFIX + key, value));
        provenance.forEach((key, value) -> out.put(OnnxExporter.META_PROVENANCE_PREFIX + key, value));
        out.put(ServingSignature.META_MODEL_NAME, modelName);
        out.put(ServingSignature.META_VARIANT, variant);
        out.put(ServingSignature.META_VERSION, Long.toString(version));
        out.put(ServingSignature.META_HISTORY_LENGTH, Integer.toString(historyLength));
        out.put(ServingSignature.META_ITEM_COUNT, Integer.toString(itemCount));
        out.put(ServingSignature.META_USER_COUNT, Integer.toString(userCount));
        out.put(OnnxExporter.META_DESCRIPTION, description);
        out.put(OnnxExporter.META_CANDIDATE_SCORING, scoring.label());
        return out;
    }
}
