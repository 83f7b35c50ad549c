package io.streamrec.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.Split;
import io.streamrec.trainer.data.Splits;
import io.streamrec.trainer.data.SyntheticConfig;
import io.streamrec.trainer.data.SyntheticGenerator;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.model.NcfModel;
import io.streamrec.trainer.model.ParameterTensor;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Pins the trainer's arithmetic: two epochs on a tiny synthetic corpus, for a fixed seed and thread count, must
 * give exactly the parameters and losses they gave when the expected fingerprints were recorded. A refactoring of
 * the optimiser loop (which tables it visits, in which order, lazy or dense) has to keep every float bit for bit;
 * a change that is meant to alter the numbers updates the fingerprints on purpose.
 *
 * <p>Java's float and double arithmetic is IEEE 754 without fused operations, so the fingerprints hold on any
 * JVM; only {@code Math}'s transcendental functions (exp, log, pow) may round differently on another CPU
 * architecture.
 */
class TrainerNumericsTest {

    private static final Dataset DATA = SyntheticGenerator.dataset(SyntheticConfig.defaults().withSize(200, 120));
    private static final Split VALIDATION = Splits.leaveLastOut(DATA.train(), 20, 3);

    private static TrainConfig twoEpochs() {
        return TrainConfig.defaults().withMaxEpochs(2).withBatchSize(512).withLearningRate(0.01).withThreads(2);
    }

    /** Users, items and dense parameters; lazy Adam. */
    @Test
    void lazyAdamOnUserAndItemTables() {
        assertFingerprint(ModelConfig.gmf(8), twoEpochs(), "55024009033ff6de");
    }

    /** Every table (users, items, history) with L2, unknown users and weight averaging; lazy Adam. */
    @Test
    void lazyAdamOnEveryTableWithAveraging() {
        assertFingerprint(ModelConfig.historyAneumf(8, 5, 16, 8),
                twoEpochs().withL2(1e-4).withUnknownUserRate(0.2).withAverageEpochs(1), "96c156e17ac02ced");
    }

    /** Dense Adam moves every row (the unknown user's too) except the items' padding row. */
    @Test
    void denseAdamOnUserAndItemTables() {
        assertFingerprint(ModelConfig.neumf(8, 16, 8), twoEpochs().withLazy(false).withL2(1e-4), "8ccdb8025fd0d1ce");
    }

    /** A history-only model (no user table), dense Adam with weight averaging. */
    @Test
    void denseAdamWithoutUsersWithAveraging() {
        assertFingerprint(ModelConfig.historyAneumf(8, 5, 16, 8).withUserEmbedding(false),
                twoEpochs().withLazy(false).withAverageEpochs(1), "2ede2858a4b0a065");
    }

    private static void assertFingerprint(ModelConfig modelConfig, TrainConfig trainConfig, String expected) {
        NcfModel model = NcfModel.create(modelConfig, DATA.users().size(), DATA.items().size());
        FitResult fit;
        try (Trainer trainer = new Trainer(trainConfig)) {
            fit = trainer.fit(model, VALIDATION.train(), null);
        }
        long hash = 1;
        for (ParameterTensor tensor : model.parameterTensors()) {
            for (float value : tensor.values()) {
                hash = mix(hash, Float.floatToRawIntBits(value));
            }
        }
        for (EpochStats epoch : fit.epochs()) {
            hash = mix(hash, Double.doubleToRawLongBits(epoch.loss()));
        }
        String actual = Long.toHexString(hash);
        assertThat(actual).as(String.format(Locale.ROOT, "%s, %s: parameters and losses (loss %s)",
                modelConfig.describe(), trainConfig, fit.epochs().get(fit.epochs().size() - 1).loss()))
                .isEqualTo(expected);
    }

    /** One step of a 64-bit polynomial hash followed by SplitMix64's finaliser, so nearby values spread apart. */
    private static long mix(long hash, long value) {
        long z = hash * 0x100000001B3L + value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
