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
