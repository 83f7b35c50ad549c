package io.streamrec.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.schemas.topics.TopicCatalog;
import io.streamrec.schemas.topics.TopicSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocalStackSettingsTest {

    private final LocalStack.Settings defaults = LocalStack.Settings.in(Path.of("/tmp/x"));

    @Test
    void theCatalogIsTheStandardOneAtReplicationFactorOne() {
        TopicCatalog catalog = defaults.catalog();
        assertThat(catalog.topics()).extracting(TopicSpec::name)
                .containsExactlyElementsOf(TopicCatalog.standard().topics().stream().map(TopicSpec::name).toList());
        assertThat(catalog.topics()).allSatisfy(t -> assertThat(t.replicationFactor()).isEqualTo((short) 1));
        assertThat(catalog.topic("clicks").partitions()).isEqualTo(TopicCatalog.DEFAULT_PARTITIONS);
    }

    @Test
    void fewerPartitionsLeaveSinglePartitionTopicsAlone() {
        TopicCatalog catalog = defaults.withPartitions(2).catalog();
        assertThat(catalog.topic("clicks").partitions()).isEqualTo(2);
        assertThat(catalog.topic("models").partitions()).isEqualTo(1);
        assertThat(catalog.topic("_schemas").partitions()).isEqualTo(1);
    }

    @Test
    void withersReturnChangedCopies() {
        LocalStack.Settings changed = defaults.withBrokerPort(19092).withRegistryPort(18081)
                .withBrokerOverride("log.retention.hours", "1");
        assertThat(changed.brokerPort()).isEqualTo(19092);
        assertThat(changed.registryPort()).isEqualTo(18081);
        assertThat(changed.brokerOverrides()).containsEntry("log.retention.hours", "1");
        assertThat(defaults.brokerPort()).isZero();
        assertThat(defaults.brokerOverrides()).isEmpty();
        assertThatThrownBy(() -> changed.brokerOverrides().put("x", "y"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void invalidValuesAreRejectedAtOnce() {
        assertThatThrownBy(() -> defaults.withRegistryPort(65_536)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schema registry port");
        assertThatThrownBy(() -> defaults.withPartitions(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("partitions");
    }
}
