package io.streamrec.trainer.release;

import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.train.TrainConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The hyperparameter maps a release carries: the model's ({@code model.*}, enough to rebuild its shapes) and
 * the training run's ({@code train.*}). Stateless.
 */
public final class Hyperparameters {

    private Hyperparameters() {
    }

    /** {@code model.variant}, {@code model.gmf_factors}, {@code model.mlp_layers} (dash-separated), ... */
    public static Map<String, String> of(ModelConfig config) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("model.variant", config.variant().label());
        map.put("model.gmf_factors", Integer.toString(config.gmfFactors()));
        map.put("model.mlp_layers", config.mlpLayers().stream().map(String::valueOf).collect(Collectors.joining("-")));
        map.put("model.history_length", Integer.toString(config.historyLength()));
        map.put("model.user_embedding", Boolean.toString(config.userEmbedding()));
        map.put("model.attention_query", config.attentionQuery().label());
        map.put("model.init_std", number(config.initStd()));
        map.put("model.seed", Long.toString(config.seed()));
        return map;
    }

    /** {@code train.max_epochs}, {@code train.batch_size}, {@code train.learning_rate}, ... */
    public static Map<String, String> of(TrainConfig config) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("train.max_epochs", Integer.toString(config.maxEpochs()));
        map.put("train.batch_size", Integer.toString(config.batchSize()));
        map.put("train.learning_rate", number(config.learningRate()));
        map.put("train.negatives", Integer.toString(config.negatives()));
        map.put("train.l2", number(config.l2()));
        map.put("train.average_epochs", number(config.averageEpochs()));
        map.put("train.unknown_user_rate", number(config.unknownUserRate()));
        map.put("train.patience", Integer.toString(config.patience()));
        map.put("train.threads", Integer.toString(config.threads()));
        map.put("train.seed", Long.toString(config.seed()));
        return map;
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%s", value);
    }
}
