package io.streamrec.trainer.export;

import ai.onnxruntime.OrtException;
import io.streamrec.trainer.model.AttentionQuery;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.model.NcfModel;
import io.streamrec.trainer.model.Parameters;
import io.streamrec.trainer.model.Variant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Small models of every variant with non-trivial parameters, and the parity measurement, for export tests. */
public final class ExportFixtures {

    /**
     * Every variant and the history variant's optional parts (no user embedding, no GMF, no MLP, the recent-item
     * attention query).
     */
    public static Map<String, ModelConfig> configs() {
        Map<String, ModelConfig> configs = new LinkedHashMap<>();
        configs.put("gmf", ModelConfig.gmf(8));
        configs.put("mlp", ModelConfig.mlp(16, 8, 4));
        configs.put("neumf", ModelConfig.neumf(8, 16, 8, 4));
        configs.put("aneumf", ModelConfig.aneumf(8, 16, 8, 4));
        configs.put("history-aneumf", ModelConfig.historyAneumf(8, 6, 16, 8, 4));
        configs.put("history-aneumf-no-user", ModelConfig.historyAneumf(8, 6, 16, 8, 4).withUserEmbedding(false));
        configs.put("history-gmf-head", new ModelConfig(Variant.HISTORY_ANEUMF, 12, List.of(), 5, true, 0.01, 1L));
        configs.put("history-mlp-head", new ModelConfig(Variant.HISTORY_ANEUMF, 0, List.of(12, 6), 4, true, 0.01, 1L));
        configs.put("history-recent", ModelConfig.historyAneumf(8, 6, 16, 8, 4).withAttentionQuery(AttentionQuery.RECENT));
        configs.put("history-recent-no-user", ModelConfig.historyAneumf(8, 6, 16, 8, 4).withUserEmbedding(false)
                .withAttentionQuery(AttentionQuery.RECENT));
        configs.put("history-recent-gmf-head", new ModelConfig(Variant.HISTORY_ANEUMF, 12, List.of(), 5, true, 0.01,
                1L, AttentionQuery.RECENT));
        return configs;
    }

    /**
     * A model whose every parameter (embedding rows 0 included, biases, position terms) is drawn from
     * N(0, scale²), so no term of the math is zero by initialisation and parity checks all of it.
     */
    public static NcfModel randomModel(ModelConfig config, int users, int items, long seed, double scale) {
        NcfModel model = NcfModel.create(config, users, items);
        SplittableRandom random = new SplittableRandom(seed);
        Parameters p = model.parameters();
        fill(p.users(), random, scale);
        fill(p.items(), random, scale);
        fill(p.history(), random, scale);
        float[] dense = p.dense();
        for (int i = 0; i < dense.length; i++) {
            dense[i] = (float) (random.nextGaussian() * scale);
        }
        return model;
    }

    private static void fill(float[][] table, SplittableRandom random, double scale) {
        if (table == null) {
            return;
        }
        for (float[] row : table) {
            for (int c = 0; c < row.length; c++) {
                row[c] = (float) (random.nextGaussian() * scale);
            }
        }
    }

    /** The largest |ONNX Runtime - NcfModel| over the batch. */
    public static double maxAbsDiff(NcfModel model, OrtGraph graph, int[] users, int[][] histories,
                                    int[][] candidates) throws OrtException {
        float[][] expected = new float[candidates.length][];
        for (int b = 0; b < candidates.length; b++) {
            expected[b] = new float[candidates[b].length];
        }
        int[][] modelHistories = model.historyLength() > 0 ? histories : null;
        model.score(users, modelHistories, candidates, expected);
        float[][] actual = graph.score(users, histories, candidates);
        double max = 0;
        for (int b = 0; b < expected.length; b++) {
            for (int c = 0; c < expected[b].length; c++) {
                if (!Float.isFinite(actual[b][c])) {
                    return Double.POSITIVE_INFINITY;
                }
                max = Math.max(max, Math.abs(actual[b][c] - expected[b][c]));
            }
        }
        return max;
    }

    /** An all-padding history of width {@code h}. */
    public static int[] emptyHistory(int h) {
        return new int[h];
    }

    /** A full history of valid items, most recent last. */
    public static int[] fullHistory(int h, int items, SplittableRandom random) {
        int[] history = new int[h];
        for (int j = 0; j < h; j++) {
            history[j] = 1 + random.nextInt(items);
        }
        return history;
    }

    /** Candidates 1..items in order: the full catalogue. */
    public static int[] catalogue(int items) {
        int[] all = new int[items];
        for (int i = 0; i < items; i++) {
            all[i] = i + 1;
        }
        return all;
    }

    private ExportFixtures() {
    }
}
