package io.streamrec.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.devstack.AvroCompatibility.Previous;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AvroCompatibilityTest {

    private static final Schema V1 = record("{\"name\":\"a\",\"type\":\"int\"}");
    private static final Schema ADDED_WITH_DEFAULT =
            record("{\"name\":\"a\",\"type\":\"int\"}", "{\"name\":\"b\",\"type\":\"string\",\"default\":\"\"}");
    private static final Schema ADDED_WITHOUT_DEFAULT =
            record("{\"name\":\"a\",\"type\":\"int\"}", "{\"name\":\"b\",\"type\":\"string\"}");
    private static final Schema REMOVED = record();
    private static final Schema WIDENED = record("{\"name\":\"a\",\"type\":\"long\"}");
    private static final Schema RETYPED = record("{\"name\":\"a\",\"type\":\"string\"}");

    private static Schema record(String... fields) {
        return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Click\",\"namespace\":\"t\",\"fields\":["
                + String.join(",", fields) + "]}");
    }

    private static boolean compatible(CompatibilityLevel level, Schema candidate, Schema... previous) {
        List<Previous> versions = new java.util.ArrayList<>();
        for (int i = 0; i < previous.length; i++) {
            versions.add(new Previous(i + 1, previous[i]));
        }
        return AvroCompatibility.check(level, candidate, versions).isEmpty();
    }

    @ParameterizedTest(name = "{0}: added with default {1}, added without {2}, removed {3}, int->long {4},"
            + " int->string {5}")
    @CsvSource({
            "NONE,     true, true,  true,  true,  true",
            "BACKWARD, true, false, true,  true,  false",
            "FORWARD,  true, true,  false, false, false",
            "FULL,     true, false, false, false, false"})
    void decisionsFollowAvroResolutionInEachDirection(CompatibilityLevel level, boolean addedWithDefault,
                                                      boolean addedWithoutDefault, boolean removed, boolean widened,
                                                      boolean retyped) {
        assertThat(compatible(level, ADDED_WITH_DEFAULT, V1)).isEqualTo(addedWithDefault);
        assertThat(compatible(level, ADDED_WITHOUT_DEFAULT, V1)).isEqualTo(addedWithoutDefault);
        assertThat(compatible(level, REMOVED, V1)).isEqualTo(removed);
        assertThat(compatible(level, WIDENED, V1)).isEqualTo(widened);
        assertThat(compatible(level, RETYPED, V1)).isEqualTo(retyped);
    }

    @Test
    void transitiveLevelsCheckEveryVersionTheOthersOnlyTheLatest() {
        Schema stringA = record("{\"name\":\"a\",\"type\":\"string\"}");
        Schema intAWithDefault = record("{\"name\":\"a\",\"type\":\"int\",\"default\":0}");
        // The candidate reads the latest version (no field a: the default fills in) but not the first (a string).
        assertThat(compatible(CompatibilityLevel.BACKWARD, intAWithDefault, stringA, REMOVED)).isTrue();
        assertThat(compatible(CompatibilityLevel.BACKWARD_TRANSITIVE, intAWithDefault, stringA, REMOVED)).isFalse();
        assertThat(compatible(CompatibilityLevel.FULL_TRANSITIVE, intAWithDefault, stringA, REMOVED)).isFalse();
        // The latest version reads the candidate (its default fills in a) but the first does not (a has no default).
        assertThat(compatible(CompatibilityLevel.FORWARD, REMOVED, V1, intAWithDefault)).isTrue();
        assertThat(compatible(CompatibilityLevel.FORWARD_TRANSITIVE, REMOVED, V1, intAWithDefault)).isFalse();
    }

    @Test
    void aFirstVersionIsAlwaysCompatible() {
        assertThat(AvroCompatibility.check(CompatibilityLevel.FULL_TRANSITIVE, RETYPED, List.of())).isEmpty();
    }

    @Test
    void messagesNameTheErrorTheOldVersionAndTheLevel() {
        List<String> messages = AvroCompatibility.check(CompatibilityLevel.BACKWARD, ADDED_WITHOUT_DEFAULT,
                List.of(new Previous(7, V1)));
        assertThat(messages).anySatisfy(m -> assertThat(m)
                .contains("errorType:'READER_FIELD_MISSING_DEFAULT_VALUE'").contains("version 7"));
        assertThat(messages).contains("{oldSchemaVersion: 7}", "{compatibility: 'BACKWARD'}");
        assertThat(messages).anySatisfy(m -> assertThat(m).startsWith("{oldSchema: '{\"type\":\"record\""));
    }

    @Test
    void levelsParseIgnoringCaseAndRejectUnknownNames() {
        assertThat(CompatibilityLevel.parse("full_transitive")).contains(CompatibilityLevel.FULL_TRANSITIVE);
        assertThat(CompatibilityLevel.parse(" Backward ")).contains(CompatibilityLevel.BACKWARD);
        assertThat(CompatibilityLevel.parse("SIDEWAYS")).isEmpty();
        assertThat(CompatibilityLevel.parse(null)).isEmpty();
        assertThat(CompatibilityLevel.DEFAULT).isEqualTo(CompatibilityLevel.BACKWARD);
    }
}
