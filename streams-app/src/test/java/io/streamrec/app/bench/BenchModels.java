package io.streamrec.app.bench;

import io.streamrec.avro.ModelRelease;
import io.streamrec.schemas.model.ReleaseSigner;
import io.streamrec.trainer.data.Vocabulary;
import io.streamrec.trainer.model.AttentionQuery;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.model.NcfModel;
import io.streamrec.trainer.model.Parameters;
import io.streamrec.trainer.model.Variant;
import io.streamrec.trainer.release.Provenance;
import io.streamrec.trainer.release.ReleaseBuilder;
import io.streamrec.trainer.release.ReleaseRequest;
import io.streamrec.trainer.release.ReleaseSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The benchmark's models: every variant at MovieLens-1M size (6,040 users, 3,706 items, H = 50) with random
 * weights, exported and signed by the trainer's own release builder, so the streams app loads exactly what
 * production would. Stateless.
 */
final class BenchModels {

    static final int USERS = 6_040;
    static final int ITEMS = 3_706;
    static final int HISTORY = 50;

    /** The variants measured, by benchmark parameter name. */
    static Map<String, ModelConfig> configs() {
        Map<String, ModelConfig> configs = new LinkedHashMap<>();
        configs.put("gmf", ModelConfig.gmf(32));
        configs.put("mlp", ModelConfig.mlp(64, 32, 16, 8));
        configs.put("neumf", ModelConfig.neumf(32, 64, 32, 16, 8));
        configs.put("aneumf", ModelConfig.aneumf(32, 64, 32, 16, 8));
        // History-attentive ANeuMF with the candidate as attention query (history:32:64-32-16-8:50).
        configs.put("history-aneumf", ModelConfig.historyAneumf(32, HISTORY, 64, 32, 16, 8));
        // The GMF-only head of width 64 the MLP head was chosen over (history:64:-:50).
        configs.put("history-gmf64", new ModelConfig(Variant.HISTORY_ANEUMF, 64, List.of(), HISTORY, true, 0.01, 1L));
        // The trainer's production default (BenchRow.HISTORY_DEFAULT): the same model with the recent-item
        // attention query (history:32:64-32-16-8:50:recent).
        configs.put("history-recent", ModelConfig.historyAneumf(32, HISTORY, 64, 32, 16, 8)
                .withAttentionQuery(AttentionQuery.RECENT));
        return configs;
    }

    /** A model of the variant at benchmark size with every parameter drawn from N(0, 0.1²). */
    static NcfModel randomModel(ModelConfig config, long seed) {
        return randomModel(config, USERS, ITEMS, seed);
    }

    /** A model of the variant with every parameter drawn from N(0, 0.1²): no zero terms to skip. */
    static NcfModel randomModel(ModelConfig config, int users, int items, long seed) {
        NcfModel model = NcfModel.create(config, users, items);
        SplittableRandom random = new SplittableRandom(seed);
        Parameters p = model.parameters();
        for (float[][] table : new float[][][] {p.users(), p.items(), p.history()}) {
            if (table != null) {
                for (float[] row : table) {
                    for (int c = 0; c < row.length; c++) {
                        row[c] = (float) (random.nextGaussian() * 0.1);
                    }
                }
            }
        }
        float[] dense = p.dense();
        for (int i = 0; i < dense.length; i++) {
            dense[i] = (float) (random.nextGaussian() * 0.1);
        }
        return model;
    }

    /** The signed release of the model, graph inline. */
    static ModelRelease release(NcfModel model, ReleaseSigner signer) {
        return release(model, signer, ReleaseSettings.inlineOnly());
    }

    /** The signed release of the model, vocabularies {@code user-1..} and {@code item-1..}. */
    static ModelRelease release(NcfModel model, ReleaseSigner signer, ReleaseSettings settings) {
        ReleaseBuilder builder = new ReleaseBuilder(signer, settings, Clock.systemUTC());
        return builder.build(new ReleaseRequest("bench", 1, model, Vocabulary.sequential("user-", model.numUsers()),
                Vocabulary.sequential("item-", model.numItems()), Map.of("hr@10", 0.5), Map.of(),
                Provenance.of("random weights", 0, Duration.ZERO)));
    }

    private BenchModels() {
    }
}
