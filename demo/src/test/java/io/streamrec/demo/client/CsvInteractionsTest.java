package io.streamrec.demo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The backfill's reading of a CSV file: columns, quoting, timestamps, counting per pair and what is skipped. */
class CsvInteractionsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    private static CsvInteractions.Result read(String text, CsvInteractions.Columns columns, char delimiter)
            throws IOException {
        return CsvInteractions.read(new BufferedReader(new StringReader(text)), delimiter, columns, 16, NOW);
    }

    @Test
    void pairsAreCountedWithTheirFirstAndLastTimeAndBadRowsSkippedByReason() throws IOException {
        String csv = "\uFEFFuserId,movieId,rating,timestamp\n"
                + "u1,m1,5,1000000000\n"
                + "u1,m2,3,1000000100\n"
                + "\"u1\",\"m1\",4,1000000050\n"
                + "u2,\"m,3\",1,2026-01-31T12:00:00Z\n"
                + " ,m1,1,1000000000\n"
                + "u3,m1,1,yesterday\n"
                + "u4-with-a-long-id,m1,1,1000000000\n"
                + "u5,m1\n"
                + "\n";

        CsvInteractions.Result result = read(csv, new CsvInteractions.Columns("userId", "movieId",
                Optional.of("timestamp"), true), ',');

        assertThat(result.rows()).isEqualTo(8);
        assertThat(result.pairs()).containsExactly(
                Map.entry(new CsvInteractions.Pair("u1", "m1"), new CsvInteractions.Occurrences(2,
                        Instant.ofEpochSecond(1_000_000_000L), Instant.ofEpochSecond(1_000_000_050L))),
                Map.entry(new CsvInteractions.Pair("u1", "m2"), new CsvInteractions.Occurrences(1,
                        Instant.ofEpochSecond(1_000_000_100L), Instant.ofEpochSecond(1_000_000_100L))),
                Map.entry(new CsvInteractions.Pair("u2", "m,3"), new CsvInteractions.Occurrences(1,
                        Instant.parse("2026-01-31T12:00:00Z"), Instant.parse("2026-01-31T12:00:00Z"))));
        assertThat(result.skipped()).containsExactly(Map.entry("blank id", 1L), Map.entry("id over 16 bytes", 1L),
                Map.entry("too few fields", 1L), Map.entry("unreadable timestamp", 1L));
        assertThat(result.users()).isEqualTo(2);
        assertThat(result.items()).isEqualTo(3);
    }

    @Test
    void withoutATimestampColumnTheFilesOrderIsTheTimeOrderEndingNow() throws IOException {
        CsvInteractions.Result result = read("1\t10\n2\t10\n1\t11\n1\t10\n",
                new CsvInteractions.Columns("1", "2", Optional.empty(), false), CsvInteractions.delimiter("\\t"));

        assertThat(result.pairs().get(new CsvInteractions.Pair("1", "10")))
                .isEqualTo(new CsvInteractions.Occurrences(2, NOW.minusMillis(3), NOW));
        assertThat(result.pairs().get(new CsvInteractions.Pair("1", "11")).lastSeen()).isEqualTo(NOW.minusMillis(1));
    }

    @Test
    void timestampsInEveryAcceptedForm() {
        assertThat(CsvInteractions.parseTime("978300760")).isEqualTo(Instant.ofEpochSecond(978_300_760L));
        assertThat(CsvInteractions.parseTime("978300760.5")).isEqualTo(Instant.ofEpochMilli(978_300_760_500L));
        assertThat(CsvInteractions.parseTime("1764547200000")).isEqualTo(Instant.ofEpochMilli(1_764_547_200_000L));
        assertThat(CsvInteractions.parseTime("2026-01-31T12:00:00+01:00")).isEqualTo(
                Instant.parse("2026-01-31T11:00:00Z"));
        assertThat(CsvInteractions.parseTime("2026-01-31T12:00:00")).isEqualTo(Instant.parse("2026-01-31T12:00:00Z"));
        assertThat(CsvInteractions.parseTime("2026-01-31")).isEqualTo(Instant.parse("2026-01-31T00:00:00Z"));
    }

    @Test
    void aMissingColumnOrAnEmptyFileIsAnError() {
        assertThatThrownBy(() -> read("user,item\n", new CsvInteractions.Columns("userId", "item", Optional.empty(),
                true), ',')).hasMessageContaining("no column 'userId'").hasMessageContaining("user, item");
        assertThatThrownBy(() -> read("", new CsvInteractions.Columns("u", "i", Optional.empty(), true), ','))
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> read("a,b\n", new CsvInteractions.Columns("user", "2", Optional.empty(), false),
                ',')).hasMessageContaining("1-based numbers");
        assertThatThrownBy(() -> CsvInteractions.delimiter("::")).hasMessageContaining("one character");
    }
}
