package io.streamrec.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.trainer.model.Variant;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class TrainerServiceConfigTest {

    @Test
    void defaultsDescribeTheHistoryAttentiveProductionModel() {
        TrainerServiceConfig config = new TrainerServiceConfig(Map.of());
        assertThat(config.modelConfig().variant()).isEqualTo(Variant.HISTORY_ANEUMF);
        assertThat(config.modelsTopic()).isEqualTo("models");
        assertThat(config.interactionsTopic()).isEqualTo("interactions");
        assertThat(config.gateMetric()).isEqualTo("ndcg@10");
        assertThat(config.untrained()).isFalse();
    }

    @Test
    void autoSelectsAmongTheAneumfFamilyAndMeasuresEveryBaselineByDefault() {
        TrainerServiceConfig config = new TrainerServiceConfig(Map.of());
        assertThat(config.candidateConfigs()).extracting(c -> c.variant())
                .containsExactly(Variant.HISTORY_ANEUMF, Variant.ANEUMF);
        assertThat(config.candidateConfigs().get(1).gmfFactors()).isEqualTo(32);
        assertThat(config.candidateConfigs().get(1).historyLength()).isZero();
        assertThat(config.baselines()).containsExactly("popularity", "item-knn", "ease", "ials");
        assertThat(config.trainConfig(config.candidateConfigs().get(0)).unknownUserRate()).isEqualTo(0.1);
        assertThat(config.trainConfig(config.candidateConfigs().get(1)).unknownUserRate()).isZero();
        assertThat(config.warmPatience()).isEqualTo(1);
        assertThat(config.baselineRetuneEvery()).isEqualTo(10);

        TrainerServiceConfig single = new TrainerServiceConfig(Map.of("model.variant", "neumf", "model.baselines", ""));
        assertThat(single.candidateConfigs()).extracting(c -> c.variant()).containsExactly(Variant.NEUMF);
        assertThat(single.baselines()).isEmpty();
    }

    @Test
    void unknownCandidatesAndBaselinesAreRefusedByName() {
        assertThatThrownBy(() -> new TrainerServiceConfig(Map.of("model.candidates", "aneumf,sasrec")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("model.candidates").hasMessageContaining("sasrec");
        assertThatThrownBy(() -> new TrainerServiceConfig(Map.of("model.candidates", "")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("model.candidates");
        assertThatThrownBy(() -> new TrainerServiceConfig(Map.of("model.baselines", "ease,slim")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("model.baselines").hasMessageContaining("slim");
        assertThatThrownBy(() -> new TrainerServiceConfig(Map.of("train.history.context", "sometimes")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("train.history.context");
    }

    @Test
    void variantsGetOnlyTheBranchesTheyHave() {
        TrainerServiceConfig gmf = new TrainerServiceConfig(Map.of("model.variant", "gmf", "model.factors", "16"));
        assertThat(gmf.modelConfig().mlpLayers()).isEmpty();
        TrainerServiceConfig mlp = new TrainerServiceConfig(Map.of("model.variant", "mlp", "model.layers", "32,16,8"));
        assertThat(mlp.modelConfig().gmfFactors()).isZero();
        assertThat(mlp.modelConfig().mlpLayers()).containsExactly(32, 16, 8);
    }

    @Test
    void invalidCombinationsAndValuesAreRefusedByName() {
        assertThatThrownBy(() -> new TrainerServiceConfig(Map.of("model.variant", "neumf", "model.layers", "")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("model.variant");
        assertThatThrownBy(() -> new TrainerServiceConfig(Map.of("model.variant", "transformer")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("model.variant");
        assertThatThrownBy(() -> new TrainerServiceConfig(Map.of("gate.metric", "auc")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("gate.metric");
        assertThat(new TrainerServiceConfig(Map.of("train.max.epochs", "0")).untrained()).isTrue();
    }
}
