package io.streamrec.app.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The headers of a dead letter: why the record was refused and where it came from. The record itself keeps
 * its original key and value bytes, so it can be inspected, fixed and replayed.
 */
public final class DeadLetters {

    /** A short stable label, e.g. {@code undeserializable}, {@code unknown-event-type}. */
    public static final String REASON = "streamrec.dlq.reason";
    /** A sentence for humans. */
    public static final String MESSAGE = "streamrec.dlq.message";
    public static final String SOURCE_TOPIC = "streamrec.dlq.source.topic";
    public static final String SOURCE_PARTITION = "streamrec.dlq.source.partition";
    public static final String SOURCE_OFFSET = "streamrec.dlq.source.offset";

    private DeadLetters() {
    }

    /** The original headers plus the dead-letter headers. */
    static Headers headers(Headers original, String reason, String message, RecordMetadata source) {
        Headers headers = new RecordHeaders(original.toArray());
        add(headers, REASON, reason);
        add(headers, MESSAGE, message);
        add(headers, SOURCE_TOPIC, source.topic());
        add(headers, SOURCE_PARTITION, Integer.toString(source.partition()));
        add(headers, SOURCE_OFFSET, Long.toString(source.offset()));
        return headers;
    }

    /** The value of a header as text, or null. */
    public static String header(Headers headers, String key) {
        var header = headers.lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void add(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
