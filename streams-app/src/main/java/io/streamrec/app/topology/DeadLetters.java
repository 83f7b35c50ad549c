package io.streamrec.app.topology;

import io.streamrec.app.errors.DeadLetterHeaders;
import io.streamrec.app.errors.RecordRefusedException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Dead letters: records the app refuses, written to the dead-letter topic with their original key, value and
 * headers plus the headers of {@link DeadLetterHeaders}: Kafka Streams' dead-letter convention (exception,
 * message, stack trace, source topic, partition and offset) and streamrec's reason, so that they can be
 * inspected, fixed and replayed with the same tools as the dead letters Kafka Streams writes itself.
 *
 * <p>Whatever came in must fit in a dead letter, also a record that only passed the broker because its producer
 * compressed it: a key or value longer than the configured limit is cut to that limit, with its full length and
 * SHA-256 in headers; original headers larger than {@link #MAX_ORIGINAL_HEADER_BYTES} in total are dropped and
 * counted. So a dead letter never exceeds twice the limit plus about 80 KiB.
 */
public final class DeadLetters {

    /** Original headers are carried while their keys and values total at most this many bytes. */
    public static final int MAX_ORIGINAL_HEADER_BYTES = 64 * 1024;
    /** Messages quote exceptions, which may quote the record: kept to this many characters. */
    static final int MAX_MESSAGE_CHARS = 1_000;
    /** Stack traces are kept to this many characters: the top frames and the first causes say where. */
    static final int MAX_STACKTRACE_CHARS = 2_000;

    private DeadLetters() {
    }

    /** Where a refused record was read: its topic, partition and offset. Immutable. */
    public record Source(String topic, int partition, long offset) {
        public Source {
            Objects.requireNonNull(topic, "topic");
        }
    }

    /**
     * A dead letter ready to send. Key and value may be null (a null key, a tombstone).
     *
     * @param key     the original key, cut to the limit
     * @param value   the original value, cut to the limit
     * @param headers the original headers (when small enough) and the dead-letter headers
     */
    public record Letter(byte[] key, byte[] value, Headers headers) { }

    /**
     * The dead letter of a record refused by one of streamrec's checks, where nothing threw: its exception
     * header names {@link RecordRefusedException}, with {@code message} as its message.
     *
     * @param reason   the label, {@link DeadLetterHeaders#REASON}
     * @param maxBytes the most bytes of the key, and of the value, carried
     */
    public static Letter letter(byte[] key, byte[] value, Headers original, Source source, String reason,
                                String message, int maxBytes) {
        return letter(key, value, original, source, reason, message, new RecordRefusedException(message), maxBytes);
    }

    /**
     * The dead letter of a record refused because of {@code error}: the exception and stack trace headers are
     * the error's, as Kafka Streams writes them, and the message header is {@code message}.
     *
     * @param reason   the label, {@link DeadLetterHeaders#REASON}
     * @param maxBytes the most bytes of the key, and of the value, carried
     */
    public static Letter letter(byte[] key, byte[] value, Headers original, Source source, String reason,
                                String message, Throwable error, int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1, got " + maxBytes);
        }
        Objects.requireNonNull(error, "error");
        Headers headers = carriedHeaders(original);
        set(headers, DeadLetterHeaders.EXCEPTION, error.getClass().getName());
        set(headers, DeadLetterHeaders.MESSAGE, abbreviate(message, MAX_MESSAGE_CHARS));
        set(headers, DeadLetterHeaders.STACKTRACE, abbreviate(stackTrace(error), MAX_STACKTRACE_CHARS));
        set(headers, DeadLetterHeaders.TOPIC, source.topic());
        set(headers, DeadLetterHeaders.PARTITION, Integer.toString(source.partition()));
        set(headers, DeadLetterHeaders.OFFSET, Long.toString(source.offset()));
        set(headers, DeadLetterHeaders.REASON, reason);
        return new Letter(cut(key, maxBytes, headers, DeadLetterHeaders.KEY_LENGTH, DeadLetterHeaders.KEY_SHA256),
                cut(value, maxBytes, headers, DeadLetterHeaders.VALUE_LENGTH, DeadLetterHeaders.VALUE_SHA256),
                headers);
    }

    /** The value of a header as text, or null. */
    public static String header(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null || header.value() == null ? null
                : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static Headers carriedHeaders(Headers original) {
        Header[] all = original == null ? new Header[0] : original.toArray();
        long bytes = 0;
        for (Header header : all) {
            bytes += header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        if (bytes <= MAX_ORIGINAL_HEADER_BYTES) {
            return new RecordHeaders(all);
        }
        Headers headers = new RecordHeaders();
        set(headers, DeadLetterHeaders.HEADERS_DROPPED, Integer.toString(all.length));
        return headers;
    }

    private static byte[] cut(byte[] bytes, int maxBytes, Headers headers, String lengthHeader, String digestHeader) {
        if (bytes == null || bytes.length <= maxBytes) {
            return bytes;
        }
        set(headers, lengthHeader, Integer.toString(bytes.length));
        set(headers, digestHeader, sha256(bytes));
        return Arrays.copyOf(bytes, maxBytes);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String abbreviate(String message, int maxChars) {
        String text = message == null ? "" : message;
        return text.length() <= maxChars ? text : text.substring(0, maxChars) + "...";
    }

    private static String stackTrace(Throwable error) {
        StringWriter trace = new StringWriter();
        try (PrintWriter writer = new PrintWriter(trace)) {
            error.printStackTrace(writer);
        }
        return trace.toString();
    }

    private static void set(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
