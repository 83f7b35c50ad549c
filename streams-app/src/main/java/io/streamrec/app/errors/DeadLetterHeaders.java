package io.streamrec.app.errors;

import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;

/**
 * The headers of every dead letter the app writes, whatever refused the record: Kafka Streams' own dead-letter
 * convention (KIP-1034, the headers its built-in exception handlers write when
 * {@code errors.dead.letter.queue.topic.name} is set) for what every refusal has, plus {@link #REASON},
 * streamrec's machine-readable label, as the one extra header. A tool written for Kafka Streams' dead letters
 * reads streamrec's as they are.
 *
 * <p>Kafka Streams defines its six names in {@link ExceptionHandlerUtils}, outside its public API; they are
 * compile-time constants, so this class copies their values into streamrec's build, and a Kafka release that
 * renamed or moved them fails the compilation here instead of splitting the convention silently.
 *
 * <table>
 *   <caption>The headers (values UTF-8 text)</caption>
 *   <tr><th>header</th><th>value</th></tr>
 *   <tr><td>{@value #EXCEPTION}</td><td>class name of the exception that refused the record; for a record
 *       refused by one of streamrec's checks, where nothing threw, {@link RecordRefusedException}</td></tr>
 *   <tr><td>{@value #MESSAGE}</td><td>a sentence for humans, at most 1,000 characters</td></tr>
 *   <tr><td>{@value #STACKTRACE}</td><td>the exception's stack trace as {@code printStackTrace} writes it, cut to
 *       2,000 characters; for a check's refusal its one line</td></tr>
 *   <tr><td>{@value #TOPIC}, {@value #PARTITION}, {@value #OFFSET}</td><td>where the refused record was
 *       read</td></tr>
 *   <tr><td>{@value #REASON}</td><td>streamrec's label: {@code undeserializable}, {@code unknown-event-type},
 *       {@code processing-failed}, {@code signature}, {@code production-failed}, ... (docs/design.md lists
 *       them); the {@code reason} tag of {@code streamrec.dead.letters}</td></tr>
 * </table>
 *
 * <p>Only when the app cut the record to fit (streamrec's letters, never Kafka-built ones): {@link #KEY_LENGTH},
 * {@link #KEY_SHA256}, {@link #VALUE_LENGTH}, {@link #VALUE_SHA256} and {@link #HEADERS_DROPPED}.
 */
public final class DeadLetterHeaders {

    /** Kafka Streams' header: the exception's class name. */
    public static final String EXCEPTION = ExceptionHandlerUtils.HEADER_ERRORS_EXCEPTION_NAME;
    /** Kafka Streams' header: the exception's message. */
    public static final String MESSAGE = ExceptionHandlerUtils.HEADER_ERRORS_EXCEPTION_MESSAGE_NAME;
    /** Kafka Streams' header: the exception's stack trace. */
    public static final String STACKTRACE = ExceptionHandlerUtils.HEADER_ERRORS_STACKTRACE_NAME;
    /** Kafka Streams' header: the topic the refused record was read from. */
    public static final String TOPIC = ExceptionHandlerUtils.HEADER_ERRORS_TOPIC_NAME;
    /** Kafka Streams' header: its partition. */
    public static final String PARTITION = ExceptionHandlerUtils.HEADER_ERRORS_PARTITION_NAME;
    /** Kafka Streams' header: its offset. */
    public static final String OFFSET = ExceptionHandlerUtils.HEADER_ERRORS_OFFSET_NAME;

    /** streamrec's one extra header on every dead letter: a short stable label, e.g. {@code undeserializable}. */
    public static final String REASON = "streamrec.dlq.reason";

    /** Set when the key was cut: its full length in bytes. */
    public static final String KEY_LENGTH = "streamrec.dlq.key.length";
    /** Set when the key was cut: lower-case hex SHA-256 of the full key. */
    public static final String KEY_SHA256 = "streamrec.dlq.key.sha256";
    /** Set when the value was cut: its full length in bytes. */
    public static final String VALUE_LENGTH = "streamrec.dlq.value.length";
    /** Set when the value was cut: lower-case hex SHA-256 of the full value. */
    public static final String VALUE_SHA256 = "streamrec.dlq.value.sha256";
    /** Set when the original headers were too large to carry: how many were dropped. */
    public static final String HEADERS_DROPPED = "streamrec.dlq.headers.dropped";

    private DeadLetterHeaders() {
    }
}
