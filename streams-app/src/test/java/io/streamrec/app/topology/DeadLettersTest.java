package io.streamrec.app.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
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
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.REASON)).isEqualTo("undeserializable");
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("42");
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.VALUE_LENGTH)).isNull();
        assertThat(original.lastHeader(DeadLetters.REASON)).as("the input's headers are not changed").isNull();
    }

    @Test
    void anOversizeKeyAndValueAreCutWithTheirLengthAndDigestRecorded() throws Exception {
        byte[] value = new byte[10_000];
        value[9_999] = 7;
        byte[] key = new byte[3_000];

        DeadLetters.Letter letter = DeadLetters.letter(key, value, new RecordHeaders(), SOURCE, "r", "m", 1024);

        assertThat(letter.value()).hasSize(1024);
        assertThat(letter.key()).hasSize(1024);
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.VALUE_LENGTH)).isEqualTo("10000");
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.KEY_LENGTH)).isEqualTo("3000");
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.VALUE_SHA256))
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value)));
    }

    @Test
    void oversizeOriginalHeadersAreDroppedAndCounted() {
        RecordHeaders original = new RecordHeaders();
        original.add("a", new byte[DeadLetters.MAX_ORIGINAL_HEADER_BYTES]);
        original.add("b", new byte[1]);

        DeadLetters.Letter letter = DeadLetters.letter(null, null, original, SOURCE, "r", "x".repeat(5_000), 1024);

        assertThat(letter.headers().lastHeader("a")).isNull();
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.HEADERS_DROPPED)).isEqualTo("2");
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.MESSAGE)).hasSize(DeadLetters.MAX_MESSAGE_CHARS + 3);
        assertThat(letter.key()).isNull();
        assertThat(letter.value()).isNull();
    }
}
