package io.streamrec.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Brokers of their own, in their own directories: restarts, and the errors a user can cause. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LocalKafkaBrokerIT {

    @TempDir
    Path directory;

    @Test
    void aRestartOnTheSameDirectoryKeepsClusterIdTopicsAndRecords() throws Exception {
        String clusterId;
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(directory)) {
            clusterId = broker.clusterId();
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + broker.port());
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("kept", "k", "before restart")).get(30, TimeUnit.SECONDS);
            }
        }
        // Free ports again, most likely others: the static voter set comes from the config, not the log.
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(directory)) {
            assertThat(broker.clusterId()).isEqualTo(clusterId);
            assertThat(broker.startupTime()).isLessThan(Duration.ofSeconds(30));
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.assign(List.of(new TopicPartition("kept", 0)));
                List<ConsumerRecord<String, String>> records = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (records.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                }
                assertThat(records).extracting(ConsumerRecord::value).containsExactly("before restart");
            }
        }
    }

    @Test
    void aDirectoryInUseByARunningBrokerIsRefusedAndTheRunningOneStillStops() {
        try (LocalKafkaBroker running = LocalKafkaBroker.start(directory)) {
            assertThatThrownBy(() -> LocalKafkaBroker.start(directory))
                    .isInstanceOf(DevStackException.class)
                    .hasMessageContaining("is in use by another running Kafka broker");
            assertThat(running.clusterId()).isNotBlank();
        }
        // Reaching this line within the timeout is the point: the running broker shut down normally.
    }

    @Test
    void aBusyConfiguredPortIsNamedInTheError() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, Ports.loopback())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> LocalKafkaBroker.start(LocalKafkaBroker.Settings.in(directory)
                    .withBrokerPort(port)))
                    .isInstanceOf(DevStackException.class)
                    .hasMessageContaining("port " + port)
                    .hasMessageContaining("already in use");
        }
    }

    @Test
    void aDataDirectoryThatIsAFileIsRefusedWithItsPath() throws IOException {
        Path file = Files.writeString(directory.resolve("not-a-directory"), "x");
        assertThatThrownBy(() -> LocalKafkaBroker.start(file))
                .isInstanceOf(DevStackException.class)
                .hasMessageContaining("cannot use data directory")
                .hasMessageContaining(file.toString());
    }
}
