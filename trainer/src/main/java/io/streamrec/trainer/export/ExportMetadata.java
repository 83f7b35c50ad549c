package io.streamrec.trainer.export;

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
}
