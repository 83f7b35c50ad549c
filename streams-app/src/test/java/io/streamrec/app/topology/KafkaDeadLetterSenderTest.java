package io.streamrec.app.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.app.StreamsAppConfig;
import io.streamrec.app.errors.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class KafkaDeadLetterSenderTest {

    private static DeadLetters.Letter letter(String value) {
        return DeadLetters.letter("default".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8),
                new RecordHeaders(), new DeadLetters.Source("models", 0, 42), "undeserializable", "not avro", 1024);
    }

    @Test
    void lettersGoToTheDeadLetterTopicUntilClosed() throws InterruptedException {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        KafkaDeadLetterSender sender = new KafkaDeadLetterSender("dead-letters", producer);
        sender.send(letter("first"), 1_234L);
        assertThat(sender.awaitClose(Duration.ofMillis(10))).isFalse();

        sender.close();
        sender.send(letter("after close"), 5_678L);

        assertThat(sender.awaitClose(Duration.ZERO)).isTrue();
        assertThat(producer.closed()).isTrue();
        assertThat(producer.history()).hasSize(1);
        ProducerRecord<byte[], byte[]> sent = producer.history().get(0);
        assertThat(sent.topic()).isEqualTo("dead-letters");
        assertThat(sent.timestamp()).isEqualTo(1_234L);
        assertThat(new String(sent.value(), StandardCharsets.UTF_8)).isEqualTo("first");
        assertThat(DeadLetters.header(sent.headers(), DeadLetterHeaders.REASON)).isEqualTo("undeserializable");
        assertThat(DeadLetters.header(sent.headers(), DeadLetterHeaders.OFFSET)).isEqualTo("42");
    }

    @Test
    void theProducerIsConfiguredLikeTheAppsOwnButOutsideTransactions() {
        StreamsAppConfig config = new StreamsAppConfig(Map.of(
                "application.id", "shop",
                "bootstrap.servers", "broker:9092",
                "security.protocol", "SSL",
                "processing.guarantee", "exactly_once_v2",
                "producer.max.request.size", 8_388_608,
                "producer.transactional.id", "not-for-letters",
                "schema.registry.url", "http://registry:8081"));

        Map<String, Object> producer = KafkaDeadLetterSender.producerConfig(config);

        assertThat(producer).containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9092")
                .containsEntry("security.protocol", "SSL")
                .containsEntry(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8_388_608)
                .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "shop-models-dead-letters")
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .doesNotContainKeys(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "processing.guarantee",
                        "schema.registry.url", "application.id");
    }
}
