package io.streamrec.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.devstack.LocalStack;
import io.streamrec.devstack.LocalStackExtension;
import io.streamrec.schemas.topics.ProvisionTopicsCommand;
import io.streamrec.schemas.topics.TopicCatalog;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The provisioning command against a real broker: idempotent, and it puts drifted configs back. */
@ExtendWith(LocalStackExtension.class)
class ProvisionTopicsIT {

    @Test
    void provisioningIsIdempotentAndRepairsDrift(LocalStack stack) throws Exception {
        String[] args = {"--bootstrap-server", stack.bootstrapServers(), "--replication-factor", "1",
                "--partitions", String.valueOf(stack.catalog().topic("clicks").partitions())};
        assertThat(ProvisionTopicsCommand.run(args)).isZero();

        ConfigResource clicks = new ConfigResource(ConfigResource.Type.TOPIC, TopicCatalog.CLICKS.name());
        try (Admin admin = stack.createAdmin()) {
            admin.incrementalAlterConfigs(Map.of(clicks, List.of(new AlterConfigOp(
                    new ConfigEntry("retention.ms", "1000"), AlterConfigOp.OpType.SET)))).all().get();
            assertThat(retentionOnceSettled(admin, clicks, "1000")).isEqualTo("1000");

            assertThat(ProvisionTopicsCommand.run(args)).isZero();

            String expected = TopicCatalog.CLICKS.configs().get("retention.ms");
            assertThat(retentionOnceSettled(admin, clicks, expected)).isEqualTo(expected);
        }
    }

    /**
     * The topic's retention, read until it shows {@code expected} or 10 s pass: a broker describes a committed
     * config change a moment after the alter call returns (on a loaded machine the repaired value was once read
     * back as the drifted one).
     */
    private static String retentionOnceSettled(Admin admin, ConfigResource topic, String expected) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            String value = admin.describeConfigs(List.of(topic)).all().get().get(topic).get("retention.ms").value();
            if (value.equals(expected) || System.nanoTime() >= deadline) {
                return value;
            }
            Thread.sleep(50);
        }
    }

    @Test
    void anUnreachableClusterIsAFailure() {
        assertThat(ProvisionTopicsCommand.run(new String[] {"--bootstrap-server", "127.0.0.1:1",
                "--timeout-seconds", "2"})).isEqualTo(1);
        assertThat(ProvisionTopicsCommand.run(new String[] {"--partitions"})).isEqualTo(2);
    }
}
