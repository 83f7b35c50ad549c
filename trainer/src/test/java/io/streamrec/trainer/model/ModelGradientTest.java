package io.streamrec.trainer.model;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Finite-difference check of the whole model's backward pass, parameter by parameter, per variant. */
class ModelGradientTest {

    static ModelConfig[] variants() {
        return new ModelConfig[] {
            ModelConfig.gmf(4).withInitStd(0.5),
            ModelConfig.mlp(8, 6, 4).withInitStd(0.5),
            ModelConfig.neumf(3, 8, 5, 4).withInitStd(0.5),
            ModelConfig.aneumf(3, 8, 5, 4).withInitStd(0.5),
            ModelConfig.historyAneumf(3, 4, 8, 5, 4).withInitStd(0.5),
            ModelConfig.historyAneumf(4, 3).withInitStd(0.5).withUserEmbedding(false),
            ModelConfig.historyAneumf(3, 4, 8, 5, 4).withInitStd(0.5).withSeed(2).withAttentionQuery(AttentionQuery.RECENT),
            ModelConfig.historyAneumf(4, 3).withInitStd(0.5).withUserEmbedding(false)
                    .withAttentionQuery(AttentionQuery.RECENT),
        };
    }

    @ParameterizedTest
    @MethodSource("variants")
    void analyticGradientsMatchFiniteDifferences(ModelConfig config) {
        int users = 5;
        int items = 9;
        NcfModel model = NcfModel.create(config, users, items);
        SplittableRandom random = new SplittableRandom(3);
        float[] dense = model.parameters().dense();
        for (int i = 0; i < dense.length; i++) {
            dense[i] += (float) ((random.nextDouble() - 0.5) * 0.4); // biases away from zero too
        }
        Workspace ws = model.newWorkspace(32);
        int h = config.historyLength();
        int[][] groups = {{1, 2, 3}, {2, 4, 5, 6}, {0, 7, 8}};
        int[][] histories = {{0, 0, 4, 5}, {1, 3, 9, 2}, {0, 0, 0, 0}};
        DoubleSupplier loss = () -> {
            fill(ws, groups, histories, h);
            model.forward(ws);
            return model.backward(ws, 1f, new float[dense.length]);
        };
        fill(ws, groups, histories, h);
        model.forward(ws);
        float[] denseGrad = new float[dense.length];
        model.backward(ws, 1f, denseGrad);
        int d = config.embeddingWidth();
        Parameters p = model.parameters();
        float[][] userGrad = new float[users + 1][d];
        float[][] itemGrad = new float[items + 1][d];
        float[][] histGrad = new float[items + 1][d];
        for (int g = 0; g < ws.groups(); g++) {
            Kernels.add(ws.userGradients()[g], userGrad[ws.groupUser(g)], d);
        }
        RowGradientSums historySums = ws.historyGradientSums();
        for (int k = 0; historySums != null && k < historySums.touchedRows(); k++) {
            int row = historySums.touchedRow(k);
            Kernels.add(historySums.sumOf(row), histGrad[row], d);
        }
        for (int s = 0; s < ws.size(); s++) {
            Kernels.add(ws.itemGradients()[s], itemGrad[ws.item(s)], d);
        }
        GradientCheck.checkAll(config.describe() + " dense", loss, dense, denseGrad, 1);
        if (p.users() != null) {
            checkTable(config.describe() + " users", loss, p.users(), userGrad);
        }
        checkTable(config.describe() + " items", loss, p.items(), itemGrad);
        if (p.history() != null) {
            checkTable(config.describe() + " history", loss, p.history(), histGrad);
        }
    }

    private static void checkTable(String what, DoubleSupplier loss, float[][] table, float[][] grad) {
        for (int r = 0; r < table.length; r++) {
            GradientCheck.checkAll(what + " row " + r, loss, table[r], grad[r], 1);
        }
    }

    private static void fill(Workspace ws, int[][] groups, int[][] histories, int h) {
        ws.clear();
        for (int g = 0; g < groups.length; g++) {
            int gi = ws.beginGroup(groups[g][0]);
            if (h > 0) {
                int[] hist = histories[g];
                System.arraycopy(hist, hist.length - h, ws.histories(), ws.historyOffset(gi), h);
            }
            for (int k = 1; k < groups[g].length; k++) {
                ws.addSample(groups[g][k], k == 1 ? 1f : 0f);
            }
        }
    }
}
