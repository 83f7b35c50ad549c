package io.streamrec.app.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.SerializationExceptionOrigin;
import org.junit.jupiter.api.Test;

/**
 * The dead letters Kafka Streams' built-in handlers write follow the app's convention: Kafka's headers, built by
 * Kafka's code, plus streamrec's reason; and the handlers decide as Kafka's defaults do.
 */
class ProductionFailureHandlerTest {

    private static final Map<String, Object> CONFIG =
            Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "dead-letters");
    private static final ProducerRecord<byte[], byte[]> OUTPUT = new ProducerRecord<>("recommendations", new byte[1],
            new byte[1]);

    @Test
    void aRefusedOutputFailsTheThreadWithADeadLetterOfTheInputInTheConvention() {
        ProductionFailureHandler handler = new ProductionFailureHandler();
        handler.configure(CONFIG);

        ProductionExceptionHandler.Response response = handler.handleError(
                DeadLetterConvention.context("clicks", 2, 40, new RecordHeaders()), OUTPUT,
                new RecordTooLargeException("too large"));

        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).singleElement().satisfies(letter -> {
            assertThat(letter.topic()).isEqualTo("dead-letters");
            assertThat(letter.value()).as("the input's bytes").containsExactly(0, 1, 2);
            DeadLetterConvention.assertConvention(letter.headers(), ProductionFailureHandler.PRODUCTION_FAILED,
                    "clicks", 40);
            assertThat(DeadLetterConvention.text(letter.headers(), DeadLetterHeaders.EXCEPTION))
                    .isEqualTo(RecordTooLargeException.class.getName());
        });
    }

    @Test
    void aRetriableFailureIsRetriedWithoutADeadLetter() {
        ProductionFailureHandler handler = new ProductionFailureHandler();
        handler.configure(CONFIG);

        ProductionExceptionHandler.Response response = handler.handleError(
                DeadLetterConvention.context("clicks", 0, 1, new RecordHeaders()), OUTPUT, new TimeoutException("x"));

        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RETRY);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    @Test
    void anOutputThatCannotBeSerializedIsDeadLetteredWithItsOwnReason() {
        ProductionFailureHandler handler = new ProductionFailureHandler();
        handler.configure(CONFIG);

        ProductionExceptionHandler.Response response = handler.handleSerializationError(
                DeadLetterConvention.context("clicks", 1, 9, new RecordHeaders()), OUTPUT,
                new SerializationException("no schema"), SerializationExceptionOrigin.VALUE);

        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).singleElement().satisfies(letter ->
                DeadLetterConvention.assertConvention(letter.headers(), ProductionFailureHandler.SERIALIZATION_FAILED,
                        "clicks", 9));
    }

    @Test
    void anUndecodableInputIsSkippedWithADeadLetterInTheConvention() {
        DeserializationFailureHandler handler = new DeserializationFailureHandler();
        handler.configure(CONFIG);
        ConsumerRecord<byte[], byte[]> input = new ConsumerRecord<>("clicks", 3, 5, new byte[1], new byte[] {9});

        DeserializationExceptionHandler.Response response = handler.handleError(
                DeadLetterConvention.context("clicks", 3, 5, new RecordHeaders()), input,
                new SerializationException("not avro"));

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).singleElement().satisfies(letter ->
                DeadLetterConvention.assertConvention(letter.headers(), DeserializationFailureHandler.UNDESERIALIZABLE,
                        "clicks", 5));
    }
}
