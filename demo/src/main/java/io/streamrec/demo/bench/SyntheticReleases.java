package io.streamrec.demo.bench;

import io.streamrec.avro.ModelRelease;
import io.streamrec.schemas.model.ReleaseSigner;
import io.streamrec.trainer.data.Corpus;
import io.streamrec.trainer.data.Splits;
import io.streamrec.trainer.model.AttentionQuery;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.model.NcfModel;
import io.streamrec.trainer.model.Variant;
import io.streamrec.trainer.release.Provenance;
import io.streamrec.trainer.release.ReleaseBuilder;
import io.streamrec.trainer.release.ReleaseRequest;
import io.streamrec.trainer.release.ReleaseSettings;
import io.streamrec.trainer.train.TrainConfig;
import io.streamrec.trainer.train.Trainer;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Signed releases of model {@code default} trained for one epoch on a synthetic corpus, for the benchmarks and
 * the chaos suite: serving cost depends on the architecture and the catalogue, not on accuracy.
 */
public final class SyntheticReleases {

    /** The variants {@link #train} knows. */
    public static final List<String> VARIANTS = List.of("gmf", "mlp", "neumf", "aneumf", "history-aneumf",
            "history-gmf64", "history-recent");

    private SyntheticReleases() {
    }

    /** Trains {@code variant} for one epoch on {@code corpus} and signs it as version {@code version}. */
    public static ModelRelease train(String variant, Corpus corpus, KeyPair keys, long version, long seed) {
        return release(trainModel(variant, corpus, seed), corpus, keys, version, ReleaseSettings.inlineOnly());
    }

    /** {@code variant} trained for one epoch on {@code corpus} (its latest item per user held out). */
    public static NcfModel trainModel(String variant, Corpus corpus, long seed) {
        NcfModel model = NcfModel.create(config(variant).withSeed(seed), corpus.users().size(), corpus.items().size());
        TrainConfig training = TrainConfig.defaults().withMaxEpochs(1).withSeed(seed);
        try (Trainer trainer = new Trainer(training)) {
            trainer.fit(model, Splits.leaveLastOut(corpus.interactions(), 99, seed).train(), null);
        }
        return model;
    }

    /** The model signed as version {@code version} of model {@code default}. */
    public static ModelRelease release(NcfModel model, Corpus corpus, KeyPair keys, long version,
                                       ReleaseSettings settings) {
        return new ReleaseBuilder(new ReleaseSigner(keys), settings, Clock.systemUTC())
                .build(new ReleaseRequest("default", version, model, corpus.users(), corpus.items(), Map.of(),
                        Map.of(), Provenance.of("synthetic " + corpus.users().size() + "x" + corpus.items().size(),
                                corpus.interactions().size(), Duration.ZERO)));
    }

    private static ModelConfig config(String variant) {
        return switch (variant) {
            case "gmf" -> ModelConfig.gmf(32);
            case "mlp" -> ModelConfig.mlp(64, 32, 16, 8);
            case "neumf" -> ModelConfig.neumf(32, 64, 32, 16, 8);
            case "aneumf" -> ModelConfig.aneumf(32, 64, 32, 16, 8);
            case "history-aneumf" -> ModelConfig.historyAneumf(32, 50, 64, 32, 16, 8);
            // The history-attentive model with a GMF-only head: the trainer's other validation finalist, at half
            // the scoring cost (no per-candidate MLP).
            case "history-gmf64" -> new ModelConfig(Variant.HISTORY_ANEUMF, 64, List.of(), 50, true, 0.01, 1L);
            // The history-attentive model with the recent-item query: one user vector per click.
            case "history-recent" -> ModelConfig.historyAneumf(32, 50, 64, 32, 16, 8)
                    .withAttentionQuery(AttentionQuery.RECENT);
            default -> throw new IllegalArgumentException("unknown variant " + variant + "; known: " + VARIANTS);
        };
    }
}
