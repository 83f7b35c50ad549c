package io.streamrec.app.errors;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * streamrec's production exception handler: Kafka Streams' default (retry a retriable failure, otherwise fail
 * the stream thread, with a dead letter of the input record when {@code errors.dead.letter.queue.topic.name} is
 * set, as the app sets it), plus {@link DeadLetterHeaders#REASON} on those dead letters, so that they follow
 * the convention of every other: {@value #PRODUCTION_FAILED} when the broker refused an output record,
 * {@value #SERIALIZATION_FAILED} when an output record could not be serialized.
 *
 * <p>Under exactly-once the thread's failure aborts its transaction, the dead letter with it; the task resumes
 * from its last commit. Holds only its configuration; Kafka Streams creates and configures it.
 */
public final class ProductionFailureHandler extends DefaultProductionExceptionHandler {

    /** The reason of a dead letter whose output record the broker refused. */
    public static final String PRODUCTION_FAILED = "production-failed";
    /** The reason of a dead letter whose output record could not be serialized. */
    public static final String SERIALIZATION_FAILED = "serialization-failed";

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
                                Exception exception) {
        Response response = super.handleError(context, record, exception);
        withReason(response.deadLetterQueueRecords(), PRODUCTION_FAILED);
        return response;
    }

    @Override
    @SuppressWarnings("rawtypes") // the interface's signature
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        Response response = super.handleSerializationError(context, record, exception, origin);
        withReason(response.deadLetterQueueRecords(), SERIALIZATION_FAILED);
        return response;
    }

    /** Adds the reason header to dead letters Kafka Streams built (they are not sent yet, so still writable). */
    static void withReason(List<ProducerRecord<byte[], byte[]>> deadLetters, String reason) {
        for (ProducerRecord<byte[], byte[]> letter : deadLetters) {
            letter.headers().remove(DeadLetterHeaders.REASON);
            letter.headers().add(DeadLetterHeaders.REASON, reason.getBytes(StandardCharsets.UTF_8));
        }
    }
}
