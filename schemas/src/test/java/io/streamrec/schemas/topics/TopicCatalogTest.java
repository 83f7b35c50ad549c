package io.streamrec.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class TopicCatalogTest {

    @Test
    void compactedTopicsAreTheOnesThatHoldState() {
        TopicCatalog catalog = TopicCatalog.standard();
        assertThat(catalog.topics())
                .filteredOn(spec -> spec.cleanupPolicy() == CleanupPolicy.COMPACT)
                .extracting(TopicSpec::name)
                .containsExactlyInAnyOrder("interactions", "models", "_schemas");
        assertThat(catalog.topic("models").configs())
                .containsEntry("cleanup.policy", "compact")
                .containsEntry("max.message.bytes", Integer.toString(64 * 1024 * 1024));
        assertThat(catalog.topic("clicks").configs()).containsEntry("retention.ms", "604800000");
    }

    @Test
    void singleBrokerAndScalingVariantsKeepSinglePartitionTopicsAtOne() {
        TopicCatalog local = TopicCatalog.standard().withReplicationFactor((short) 1).withPartitions(2);
        assertThat(local.topics()).allSatisfy(spec -> assertThat(spec.replicationFactor()).isEqualTo((short) 1));
        assertThat(local.topic("clicks").partitions()).isEqualTo(2);
        assertThat(local.topic("models").partitions()).isEqualTo(1);
        assertThat(local.topic("_schemas").partitions()).isEqualTo(1);
        assertThat(local.topic("clicks").toNewTopic().numPartitions()).isEqualTo(2);
    }

    @Test
    void unknownTopicsAndBadSpecsAreRejected() {
        assertThatThrownBy(() -> TopicCatalog.standard().topic("click"))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("clicks");
        assertThatThrownBy(() -> TopicCatalog.CLICKS.withPartitions(0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
