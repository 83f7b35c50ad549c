package io.streamrec.app.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.app.errors.DeadLetterConvention;
import io.streamrec.app.errors.DeadLetterHeaders;
import io.streamrec.app.errors.RecordRefusedException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    private static final DeadLetters.Source SOURCE = new DeadLetters.Source("clicks", 3, 42);

    @Test
    void aSmallRecordTravelsWholeWithItsHeadersAndTheReason() {
        RecordHeaders original = new RecordHeaders();
        original.add("trace", "abc".getBytes(StandardCharsets.UTF_8));
        byte[] value = {0, 1, 2, 3};

        DeadLetters.Letter letter = DeadLetters.letter("u1".getBytes(StandardCharsets.UTF_8), value, original, SOURCE,
                "undeserializable", "too short", 1024);

        assertThat(letter.key()).asString(StandardCharsets.UTF_8).isEqualTo("u1");
        assertThat(letter.value()).isEqualTo(value);
        assertThat(DeadLetters.header(letter.headers(), "trace")).isEqualTo("abc");
        assertThat(DeadLetters.header(letter.headers(), DeadLetterHeaders.REASON)).isEqualTo("undeserializable");
        assertThat(DeadLetters.header(letter.headers(), DeadLetterHeaders.OFFSET)).isEqualTo("42");
        assertThat(DeadLetters.header(letter.headers(), DeadLetterHeaders.VALUE_LENGTH)).isNull();
        assertThat(original.lastHeader(DeadLetterHeaders.REASON)).as("the input's headers are not changed").isNull();
        assertThat(DeadLetters.header(letter.headers(), DeadLetterHeaders.MESSAGE)).isEqualTo("too short");
    }

    @Test
    void aChecksRefusalAndAThrownErrorCarryKafkaStreamsHeadersAndTheReason() {
        DeadLetters.Letter refused = DeadLetters.letter(null, new byte[] {1}, new RecordHeaders(), SOURCE,
                "unknown-event-type", "event type 'teleport' is not one of view, click", 1024);
        SerializationException error = new SerializationException("unknown magic byte 0x7b");
        DeadLetters.Letter thrown = DeadLetters.letter(null, new byte[] {1}, new RecordHeaders(), SOURCE,
                "undeserializable", error.getMessage(), error, 1024);

        for (DeadLetters.Letter letter : List.of(refused, thrown)) {
            DeadLetterConvention.assertConvention(letter.headers(),
                    DeadLetters.header(letter.headers(), DeadLetterHeaders.REASON), "clicks", 42);
            assertThat(DeadLetterConvention.names(letter.headers())).as("Kafka Streams' headers, then the reason")
                    .containsExactlyElementsOf(withReason(DeadLetterConvention.kafkaStreamsHeaderNames()));
        }
        assertThat(DeadLetters.header(refused.headers(), DeadLetterHeaders.EXCEPTION))
                .isEqualTo(RecordRefusedException.class.getName());
        assertThat(DeadLetters.header(refused.headers(), DeadLetterHeaders.STACKTRACE)).as("nothing threw: one line")
                .isEqualTo(RecordRefusedException.class.getName() + ": event type 'teleport' is not one of view, click"
                        + System.lineSeparator());
        assertThat(DeadLetters.header(thrown.headers(), DeadLetterHeaders.EXCEPTION))
                .isEqualTo(SerializationException.class.getName());
        assertThat(DeadLetters.header(thrown.headers(), DeadLetterHeaders.STACKTRACE))
                .contains("at io.streamrec.app.topology.DeadLettersTest");
        assertThat(DeadLetters.header(thrown.headers(), DeadLetterHeaders.PARTITION)).isEqualTo("3");
    }

    @Test
    void aLongStackTraceIsCut() {
        Exception deep = new IllegalStateException("deep");
        for (int i = 0; i < 50; i++) {
            deep = new IllegalStateException("level " + i, deep);
        }

        DeadLetters.Letter letter = DeadLetters.letter(null, null, new RecordHeaders(), SOURCE, "internal", "m", deep,
                1024);

        assertThat(DeadLetters.header(letter.headers(), DeadLetterHeaders.STACKTRACE))
                .hasSize(DeadLetters.MAX_STACKTRACE_CHARS + 3).endsWith("...");
    }

    private static List<String> withReason(Set<String> names) {
        List<String> all = new ArrayList<>(names);
        all.add(DeadLetterHeaders.REASON);
        return all;
    }

    @Test
    void anOversizeKeyAndValueAreCutWithTheirLengthAndDigestRecorded() throws Exception {
        byte[] value = new byte[10_000];
        value[9_999] = 7;
        byte[] key = new byte[3_000];

        DeadLetters.Letter letter = DeadLetters.letter(key, value, new RecordHeaders(), SOURCE, "r", "m", 1024);

        assertThat(letter.value()).hasSize(1024);
        assertThat(letter.key()).hasSize(1024);
        assertThat(DeadLetters.header(letter.headers(), DeadLetterHeaders.VALUE_LENGTH)).isEqualTo("10000");
        assertThat(DeadLetters.header(letter.headers(), DeadLetterHeaders.KEY_LENGTH)).isEqualTo("3000");
        assertThat(DeadLetters.header(letter.headers(), DeadLetterHeaders.VALUE_SHA256))
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value)));
    }

    @Test
    void oversizeOriginalHeadersAreDroppedAndCounted() {
        RecordHeaders original = new RecordHeaders();
        original.add("a", new byte[DeadLetters.MAX_ORIGINAL_HEADER_BYTES]);
        original.add("b", new byte[1]);

        DeadLetters.Letter letter = DeadLetters.letter(null, null, original, SOURCE, "r", "x".repeat(5_000), 1024);

        assertThat(letter.headers().lastHeader("a")).isNull();
        assertThat(DeadLetters.header(letter.headers(), DeadLetterHeaders.HEADERS_DROPPED)).isEqualTo("2");
        assertThat(DeadLetters.header(letter.headers(), DeadLetterHeaders.MESSAGE)).hasSize(DeadLetters.MAX_MESSAGE_CHARS + 3);
        assertThat(letter.key()).isNull();
        assertThat(letter.value()).isNull();
    }
}
