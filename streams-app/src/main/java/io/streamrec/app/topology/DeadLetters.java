package io.streamrec.app.topology;

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
 * headers plus headers saying why and where they came from, so they can be inspected, fixed and replayed.
 *
 * <p>Whatever came in must fit in a dead letter, also a record that only passed the broker because its producer
 * compressed it: a key or value longer than the configured limit is cut to that limit, with its full length and
 * SHA-256 in headers; original headers larger than {@link #MAX_ORIGINAL_HEADER_BYTES} in total are dropped and
 * counted. So a dead letter never exceeds twice the limit plus about 70 KiB.
 */
public final class DeadLetters {

    /** A short stable label, e.g. {@code undeserializable}, {@code unknown-event-type}. */
    public static final String REASON = "streamrec.dlq.reason";
    /** A sentence for humans. */
    public static final String MESSAGE = "streamrec.dlq.message";
    public static final String SOURCE_TOPIC = "streamrec.dlq.source.topic";
    public static final String SOURCE_PARTITION = "streamrec.dlq.source.partition";
    public static final String SOURCE_OFFSET = "streamrec.dlq.source.offset";
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

    /** Original headers are carried while their keys and values total at most this many bytes. */
    public static final int MAX_ORIGINAL_HEADER_BYTES = 64 * 1024;
    /** Messages quote exceptions, which may quote the record: kept to this many characters. */
    static final int MAX_MESSAGE_CHARS = 1_000;

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
     * The dead letter of a refused record.
     *
     * @param maxBytes the most bytes of the key, and of the value, carried
     */
    public static Letter letter(byte[] key, byte[] value, Headers original, Source source, String reason,
                                String message, int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1, got " + maxBytes);
        }
        Headers headers = carriedHeaders(original);
        set(headers, REASON, reason);
        set(headers, MESSAGE, abbreviate(message));
        set(headers, SOURCE_TOPIC, source.topic());
        set(headers, SOURCE_PARTITION, Integer.toString(source.partition()));
        set(headers, SOURCE_OFFSET, Long.toString(source.offset()));
        return new Letter(cut(key, maxBytes, headers, KEY_LENGTH, KEY_SHA256),
                cut(value, maxBytes, headers, VALUE_LENGTH, VALUE_SHA256), headers);
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
        set(headers, HEADERS_DROPPED, Integer.toString(all.length));
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

    private static String abbreviate(String message) {
        String text = message == null ? "" : message;
        return text.length() <= MAX_MESSAGE_CHARS ? text : text.substring(0, MAX_MESSAGE_CHARS) + "...";
    }

    private static void set(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
