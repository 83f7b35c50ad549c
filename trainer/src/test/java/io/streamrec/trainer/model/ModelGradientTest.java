package io.streamrec.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
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
            for (int j = 0; j < h; j++) {
                int row = ws.historyGradientRows()[g * h + j];
                if (row != 0) {
                    Kernels.add(ws.historyGradients()[g * h + j], histGrad[row], d);
                }
            }
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

    static ModelConfig[] deferrableVariants() {
        return new ModelConfig[] {
            ModelConfig.mlp(8, 6, 4).withInitStd(0.5),
            ModelConfig.neumf(3, 8, 5, 4).withInitStd(0.5),
            ModelConfig.neumf(3, 4, 7, 4).withInitStd(0.5).withSeed(5), // first layer wider than its input half
        };
    }

    /**
     * The item half deferred to {@link NcfModel#itemHalfBackward}, once per distinct item on gradients summed
     * over the samples, gives the gradients of the per-sample backward checked above: dense and per item row.
     */
    @ParameterizedTest
    @MethodSource("deferrableVariants")
    void theDeferredItemHalfGivesThePerSampleGradients(ModelConfig config) {
        int users = 5;
        int items = 9;
        NcfModel model = NcfModel.create(config, users, items);
        assertThat(model.canDeferItemHalf()).isTrue();
        int[][] groups = {{1, 2, 3, 9}, {2, 4, 2, 6, 3}, {0, 7, 3, 2}};
        int d = config.embeddingWidth();
        int dense = model.parameters().dense().length;

        Workspace perSample = model.newWorkspace(32);
        fill(perSample, groups, null, 0);
        model.forward(perSample);
        float[] expectedDense = new float[dense];
        model.backward(perSample, 1f, expectedDense);
        float[][] expectedRows = new float[items + 1][d];
        for (int s = 0; s < perSample.size(); s++) {
            Kernels.add(perSample.itemGradients()[s], expectedRows[perSample.item(s)], d);
        }

        Workspace deferred = model.newWorkspace(32);
        deferred.deferItemHalf(true);
        fill(deferred, groups, null, 0);
        model.forward(deferred);
        float[] denseGrad = new float[dense];
        model.backward(deferred, 1f, denseGrad);
        int columns = d + NcfModel.deferredItemColumns(config);
        float[][] summed = new float[items + 1][columns];
        for (int s = 0; s < deferred.size(); s++) {
            Kernels.add(deferred.itemGradients()[s], summed[deferred.item(s)], columns);
        }
        int[] distinct = {2, 3, 4, 6, 7, 9};
        float[][] block = new float[distinct.length][];
        for (int j = 0; j < distinct.length; j++) {
            block[j] = summed[distinct[j]];
        }
        model.itemHalfBackward(block, distinct, distinct.length, denseGrad, deferred);

        for (int i = 0; i < dense; i++) {
            assertThat((double) denseGrad[i]).as("dense %d", i)
                    .isCloseTo(expectedDense[i], offset(1e-5 * (1 + Math.abs(expectedDense[i]))));
        }
        for (int j = 0; j < distinct.length; j++) {
            for (int c = 0; c < d; c++) {
                double expected = expectedRows[distinct[j]][c];
                assertThat((double) block[j][c]).as("item %d column %d", distinct[j], c)
                        .isCloseTo(expected, offset(1e-5 * (1 + Math.abs(expected))));
            }
        }
    }

    @Test
    void onlyASplitFirstLayerDefersItsItemHalf() {
        NcfModel gated = NcfModel.create(ModelConfig.aneumf(3, 8, 5, 4), 5, 9);
        assertThat(gated.canDeferItemHalf()).isFalse();
        Workspace ws = gated.newWorkspace(8);
        ws.deferItemHalf(true);
        fill(ws, new int[][] {{1, 2, 3}}, null, 0);
        gated.forward(ws);
        assertThatThrownBy(() -> gated.backward(ws, 1f, new float[gated.parameters().dense().length]))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("deferrable");
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
