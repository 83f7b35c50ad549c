package io.streamrec.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaBrokerTest {

    @TempDir
    Path directory;

    @Test
    void serverPropertiesMakeOneNodeWorkForGroupsTransactionsAndLargeReleases() {
        Properties p = LocalKafkaBroker.serverProperties(
                LocalKafkaBroker.Settings.in(directory).withOverride("auto.create.topics.enable", "false"),
                directory.resolve("logs"), 9092, 9093);
        assertThat(p.getProperty("process.roles")).isEqualTo("broker,controller");
        assertThat(p.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:9093");
        assertThat(p.getProperty("listeners")).isEqualTo("PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093");
        for (String key : new String[] {"offsets.topic.replication.factor", "transaction.state.log.replication.factor",
                "transaction.state.log.min.isr", "share.coordinator.state.topic.replication.factor",
                "share.coordinator.state.topic.min.isr"}) {
            assertThat(p.getProperty(key)).as(key).isEqualTo("1");
        }
        assertThat(p.getProperty("group.initial.rebalance.delay.ms")).isEqualTo("0");
        assertThat(Integer.parseInt(p.getProperty("message.max.bytes"))).isGreaterThan(64 * 1024 * 1024);
        assertThat(Integer.parseInt(p.getProperty("replica.fetch.max.bytes"))).isGreaterThan(64 * 1024 * 1024);
        assertThat(p.getProperty("auto.create.topics.enable")).as("overrides win").isEqualTo("false");
    }

    @Test
    void theClusterIdOfAFormattedDirectoryComesFromMetaProperties() throws IOException {
        assertThat(LocalKafkaBroker.existingClusterId(directory)).isNull();
        Files.writeString(directory.resolve("meta.properties"), "version=1\ncluster.id=abcDEF123\nnode.id=1\n");
        assertThat(LocalKafkaBroker.existingClusterId(directory)).isEqualTo("abcDEF123");
        Files.writeString(directory.resolve("meta.properties"), "version=1\n");
        assertThatThrownBy(() -> LocalKafkaBroker.existingClusterId(directory))
                .isInstanceOf(DevStackException.class).hasMessageContaining("no cluster.id");
    }

    @Test
    void settingsRejectImpossiblePorts() {
        LocalKafkaBroker.Settings settings = LocalKafkaBroker.Settings.in(directory);
        assertThatThrownBy(() -> settings.withBrokerPort(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("broker port");
        assertThatThrownBy(() -> settings.withBrokerPort(70_000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withBrokerPort(9092).withControllerPort(9092))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must differ");
        assertThat(settings.withBrokerPort(9092)).isNotSameAs(settings);
        assertThat(settings.brokerPort()).as("settings are immutable").isZero();
    }

    @Test
    void aBusyPortIsReportedByNumberAndRole() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, Ports.loopback())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> Ports.requireFree(port, "Kafka broker"))
                    .isInstanceOf(DevStackException.class)
                    .hasMessageContaining("Kafka broker port " + port)
                    .hasMessageContaining("already in use");
        }
    }
}
