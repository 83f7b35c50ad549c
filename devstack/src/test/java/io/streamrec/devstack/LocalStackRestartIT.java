package io.streamrec.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Whole stacks of their own: stopping and starting one on the same directory, and a busy registry port. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LocalStackRestartIT {

    @TempDir
    Path directory;

    @Test
    void aStackRestartedOnItsDirectoryServesTheSameTopicsAndSchemas() {
        String schema = "{\"type\":\"record\",\"name\":\"Kept\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}";
        int id;
        try (LocalStack stack = LocalStack.start(LocalStack.Settings.in(directory).withPartitions(2))) {
            assertThat(stack.provisioning().created()).hasSize(stack.catalog().topics().size());
            id = new RegistryClient(stack.schemaRegistryUrl()).register("kept-value", schema);
        }
        try (LocalStack stack = LocalStack.start(LocalStack.Settings.in(directory).withPartitions(2))) {
            assertThat(stack.provisioning().created()).isEmpty();
            assertThat(stack.provisioning().unchanged()).hasSize(stack.catalog().topics().size());
            RegistryClient registry = new RegistryClient(stack.schemaRegistryUrl());
            assertThat(registry.get("/schemas/ids/" + id).json().get("schema").asText()).contains("Kept");
            assertThat(registry.register("kept-value", schema)).isEqualTo(id);
        }
    }

    @Test
    void aBusyRegistryPortFailsBeforeTheBrokerStarts() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, Ports.loopback())) {
            int port = taken.getLocalPort();
            long started = System.nanoTime();
            assertThatThrownBy(() -> LocalStack.start(LocalStack.Settings.in(directory).withRegistryPort(port)))
                    .isInstanceOf(DevStackException.class)
                    .hasMessageContaining("schema registry port " + port);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(1_000);
        }
    }
}
