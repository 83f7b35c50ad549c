package io.streamrec.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class NcfModelTest {

    @Test
    void scoreMatchesTheDocumentedMathForNeuMF() {
        NcfModel model = NcfModel.create(ModelConfig.neumf(2, 4, 3).withInitStd(0.3), 3, 5);
        float[] p = row(model, "user_embedding", 2, 4);
        float[] q = row(model, "item_embedding", 4, 4);
        float[] w1 = tensor(model, "mlp_1_weight");
        float[] b1 = tensor(model, "mlp_1_bias");
        float[] wo = tensor(model, "output_weight");
        float bo = tensor(model, "output_bias")[0];
        double logit = bo + wo[0] * p[0] * q[0] + wo[1] * p[1] * q[1];
        float[] x = {p[2], p[3], q[2], q[3]};
        for (int o = 0; o < 3; o++) {
            double h = b1[o];
            for (int k = 0; k < 4; k++) {
                h += w1[o * 4 + k] * x[k];
            }
            logit += wo[2 + o] * Math.max(0, h);
        }
        float[][] out = new float[1][1];
        model.score(new int[] {2}, null, new int[][] {{4}}, out);
        assertThat((double) out[0][0]).isCloseTo(logit, within(1e-5));
    }

    @Test
    void historyModelScoresAManyCandidateRequestLikeSeparateRequests() {
        NcfModel model = NcfModel.create(ModelConfig.historyAneumf(4, 3, 8, 4).withInitStd(0.3), 4, 700);
        int[] candidates = new int[700];
        for (int i = 0; i < 700; i++) {
            candidates[i] = i + 1; // more than one workspace chunk
        }
        int[] history = {0, 5, 9};
        float[][] all = new float[1][700];
        model.score(new int[] {3}, new int[][] {history}, new int[][] {candidates}, all);
        for (int i : new int[] {0, 255, 511, 699}) {
            float[][] one = new float[1][1];
            model.score(new int[] {3}, new int[][] {history}, new int[][] {{candidates[i]}}, one);
            assertThat(all[0][i]).isCloseTo(one[0][0], within(1e-6f));
        }
    }

    @Test
    void unknownUsersAndOutOfRangeIdsAreServed() {
        for (ModelConfig config : List.of(ModelConfig.gmf(4), ModelConfig.mlp(8, 4), ModelConfig.aneumf(4, 8, 4),
                ModelConfig.historyAneumf(4, 3, 8, 4), ModelConfig.historyAneumf(4, 3).withUserEmbedding(false),
                ModelConfig.historyAneumf(4, 3, 8, 4).withAttentionQuery(AttentionQuery.RECENT))) {
            NcfModel model = NcfModel.create(config, 3, 5);
            int h = config.historyLength();
            int[][] histories = h == 0 ? null : new int[][] {new int[h], {0, 2, 99}};
            float[][] out = new float[2][2];
            model.score(new int[] {0, 42}, histories, new int[][] {{1, 2}, {3, 77}}, out);
            for (float[] row : out) {
                for (float v : row) {
                    assertThat(Float.isFinite(v)).as(config.describe()).isTrue();
                }
            }
        }
    }

    @Test
    void paddingAndItemsBeyondTheHistoryDoNotChangeScores() {
        NcfModel model = NcfModel.create(ModelConfig.historyAneumf(4, 4).withInitStd(0.3), 3, 9);
        float[][] a = new float[1][1];
        float[][] b = new float[1][1];
        model.score(new int[] {1}, new int[][] {{0, 0, 3, 4}}, new int[][] {{5}}, a);
        model.score(new int[] {1}, new int[][] {{0, 0, 3, 4}}, new int[][] {{5}}, b);
        assertThat(a[0][0]).isEqualTo(b[0][0]);
        float[][] c = new float[1][1];
        model.score(new int[] {1}, new int[][] {{0, 9, 3, 4}}, new int[][] {{5}}, c);
        assertThat(c[0][0]).isNotEqualTo(a[0][0]);
    }

    @Test
    void parametersAreNamedShapedCopies() {
        NcfModel model = NcfModel.create(ModelConfig.historyAneumf(4, 5, 8, 6, 2), 3, 7);
        List<ParameterTensor> tensors = model.parameterTensors();
        assertThat(tensors).extracting(ParameterTensor::name).containsExactly("user_embedding", "item_embedding",
                "history_embedding", "position_embedding", "position_bias", "gate_weight", "gate_bias", "mlp_1_weight",
                "mlp_1_bias", "mlp_2_weight", "mlp_2_bias", "output_weight", "output_bias");
        assertThat(tensors.get(0).shape()).containsExactly(4, 8);
        assertThat(tensors.get(3).shape()).containsExactly(5, 8);
        assertThat(tensors.get(7).shape()).containsExactly(6, 8);
        assertThat(tensors.get(11).shape()).containsExactly(1, 4 + 2);
        float[] values = tensors.get(1).values();
        values[5] = 1234f;
        assertThat(model.parameterTensors().get(1).values()[5]).isNotEqualTo(1234f);
        assertThat(tensors.get(1).values()).startsWith(0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f); // padding row
    }

    @Test
    void rejectsInconsistentConfigs() {
        assertThatThrownBy(() -> ModelConfig.mlp(7, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ModelConfig(Variant.GMF, 8, List.of(8, 4), 0, true, 0.01, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ModelConfig(Variant.NEUMF, 8, List.of(8, 4), 5, true, 0.01, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static float[] tensor(NcfModel model, String name) {
        return model.parameterTensors().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow().values();
    }

    private static float[] row(NcfModel model, String name, int row, int width) {
        return java.util.Arrays.copyOfRange(tensor(model, name), row * width, (row + 1) * width);
    }
}
