package io.streamrec.app.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;
import org.apache.kafka.streams.processor.TaskId;

/**
 * What every dead letter must carry, checked the same way in unit, topology and integration tests: the header
 * names of a dead letter that Kafka Streams itself builds (read off one, not copied), each with a value, plus
 * streamrec's reason.
 */
public final class DeadLetterConvention {

    private DeadLetterConvention() {
    }

    /** The header names of a dead letter built by Kafka Streams' own code, for a record without headers. */
    public static Set<String> kafkaStreamsHeaderNames() {
        ProducerRecord<byte[], byte[]> built = ExceptionHandlerUtils.buildDeadLetterQueueRecord("dead-letters",
                new byte[] {1}, new byte[] {2}, context("clicks", 1, 7, new RecordHeaders()),
                new IllegalStateException("boom"));
        return names(built.headers());
    }

    /** The names of the headers, in order, without duplicates. */
    public static Set<String> names(Headers headers) {
        Set<String> names = new LinkedHashSet<>();
        for (Header header : headers) {
            names.add(header.key());
        }
        return names;
    }

    /**
     * Asserts that the headers follow the convention: every Kafka Streams header present with a value, the
     * source where it was read, and the reason.
     */
    public static void assertConvention(Headers headers, String reason, String topic, long offset) {
        assertThat(names(headers)).as("a dead letter's headers").containsAll(kafkaStreamsHeaderNames())
                .contains(DeadLetterHeaders.REASON);
        for (String name : kafkaStreamsHeaderNames()) {
            assertThat(text(headers, name)).as(name).isNotNull();
        }
        assertThat(text(headers, DeadLetterHeaders.REASON)).isEqualTo(reason);
        assertThat(text(headers, DeadLetterHeaders.TOPIC)).isEqualTo(topic);
        assertThat(Integer.parseInt(text(headers, DeadLetterHeaders.PARTITION))).isNotNegative();
        assertThat(Long.parseLong(text(headers, DeadLetterHeaders.OFFSET))).isEqualTo(offset);
        assertThat(text(headers, DeadLetterHeaders.STACKTRACE)).as("the trace starts with the exception's name")
                .startsWith(text(headers, DeadLetterHeaders.EXCEPTION));
    }

    /** The last value of a header as text, or null. */
    public static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** An error handler context at the given source, as Kafka Streams hands one to a handler. */
    public static ErrorHandlerContext context(String topic, int partition, long offset, Headers headers) {
        return new ErrorHandlerContext() {
            @Override
            public String topic() {
                return topic;
            }

            @Override
            public int partition() {
                return partition;
            }

            @Override
            public long offset() {
                return offset;
            }

            @Override
            public Headers headers() {
                return headers;
            }

            @Override
            public String processorNodeId() {
                return "node";
            }

            @Override
            public TaskId taskId() {
                return new TaskId(0, Math.max(partition, 0)); // an unknown source has partition -1
            }

            @Override
            public long timestamp() {
                return 1_000L;
            }

            @Override
            public byte[] sourceRawKey() {
                return "user-1".getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public byte[] sourceRawValue() {
                return new byte[] {0, 1, 2};
            }
        };
    }
}
