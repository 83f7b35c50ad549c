package io.streamrec.app.errors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/**
 * streamrec's deserialization exception handler: Kafka Streams' {@link LogAndContinueExceptionHandler} (log,
 * skip the record, and write its dead letter since the app sets {@code errors.dead.letter.queue.topic.name}),
 * plus {@link DeadLetterHeaders#REASON} {@value #UNDESERIALIZABLE} on that dead letter, the label the click
 * intake gives a click it cannot decode. The app's sources read bytes and decode in its processors, so this
 * only acts for a source that decodes (none today). Holds only its configuration; Kafka Streams creates and
 * configures it.
 */
public final class DeserializationFailureHandler extends LogAndContinueExceptionHandler {

    /** The reason of a record that cannot be decoded. */
    public static final String UNDESERIALIZABLE = "undeserializable";

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                Exception exception) {
        Response response = super.handleError(context, record, exception);
        ProductionFailureHandler.withReason(response.deadLetterQueueRecords(), UNDESERIALIZABLE);
        return response;
    }
}
