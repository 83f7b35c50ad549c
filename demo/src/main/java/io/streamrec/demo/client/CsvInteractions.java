package io.streamrec.demo.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A CSV file of interactions read into what the {@code interactions} topic holds: one entry per (user, item)
 * pair with how often it occurred and when first and last. Pure parsing and counting, no Kafka.
 *
 * <p>The format: one record per line, fields separated by one delimiter character, a field may be quoted with
 * {@code "} (a doubled {@code ""} inside is a quote; a quoted field may not span lines). Columns are found by
 * name in the first line, or by 1-based number when the file has no header. Timestamps may be epoch seconds
 * (under 10^11, fractions allowed), epoch milliseconds, an ISO-8601 instant ({@code 2026-01-31T12:00:00Z}),
 * a local date-time (taken as UTC) or a date. Without a timestamp column, rows are timed by their order in the
 * file, one millisecond apart, the last one at the time of the read. Rows with a blank or oversize id, too few
 * fields or an unreadable timestamp are skipped and counted by why.
 */
public final class CsvInteractions {

    /** Numbers below this are epoch seconds, others epoch milliseconds (10^11 s is the year 5138). */
    static final double SECONDS_LIMIT = 1e11;

    /**
     * Which columns hold what: names when the file has a header, else 1-based numbers.
     *
     * @param timestamp empty: rows are timed by their order in the file
     */
    public record Columns(String user, String item, Optional<String> timestamp, boolean header) { }

    /** One (user, item) pair. */
    public record Pair(String userId, String itemId) { }

    /** A pair's occurrences: how many, and the first and last time. */
    public record Occurrences(long count, Instant firstSeen, Instant lastSeen) { }

    /**
     * What the file held.
     *
     * @param pairs   every pair, in the order of their first row
     * @param rows    data rows read (without the header)
     * @param skipped rows left out, by reason
     */
    public record Result(Map<Pair, Occurrences> pairs, long rows, Map<String, Long> skipped) {
        public long skippedRows() {
            return skipped.values().stream().mapToLong(Long::longValue).sum();
        }

        public int users() {
            Set<String> users = new HashSet<>();
            pairs.keySet().forEach(pair -> users.add(pair.userId()));
            return users.size();
        }

        public int items() {
            Set<String> items = new HashSet<>();
            pairs.keySet().forEach(pair -> items.add(pair.itemId()));
            return items.size();
        }
    }

    private CsvInteractions() {
    }

    /**
     * Reads every row.
     *
     * @param maxIdBytes ids longer than this in UTF-8 are refused, as the streams app refuses them in clicks
     * @param now        the time of the last row when the file has no timestamp column
     * @throws IllegalArgumentException when a named column is not in the header, or the file is empty
     */
    public static Result read(BufferedReader reader, char delimiter, Columns columns, int maxIdBytes, Instant now)
            throws IOException {
        String first = reader.readLine();
        if (first == null) {
            throw new IllegalArgumentException("the file is empty");
        }
        first = first.startsWith("\uFEFF") ? first.substring(1) : first;
        int user;
        int item;
        int time;
        String line;
        if (columns.header()) {
            List<String> header = fields(first, delimiter);
            user = index(header, columns.user());
            item = index(header, columns.item());
            time = columns.timestamp().map(name -> index(header, name)).orElse(-1);
            line = reader.readLine();
        } else {
            user = number(columns.user());
            item = number(columns.item());
            time = columns.timestamp().map(CsvInteractions::number).orElse(-1);
            line = first;
        }
        int needed = Math.max(user, Math.max(item, time)) + 1;
        Map<Pair, long[]> seen = new LinkedHashMap<>(); // count, first, last (time or row index)
        Map<String, Long> skipped = new TreeMap<>();
        long rows = 0;
        for (; line != null; line = reader.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            long row = rows++;
            List<String> fields = fields(line, delimiter);
            if (fields.size() < needed) {
                skipped.merge("too few fields", 1L, Long::sum);
                continue;
            }
            String userId = fields.get(user).strip();
            String itemId = fields.get(item).strip();
            if (userId.isEmpty() || itemId.isEmpty()) {
                skipped.merge("blank id", 1L, Long::sum);
                continue;
            }
            if (userId.getBytes(StandardCharsets.UTF_8).length > maxIdBytes
                    || itemId.getBytes(StandardCharsets.UTF_8).length > maxIdBytes) {
                skipped.merge("id over " + maxIdBytes + " bytes", 1L, Long::sum);
                continue;
            }
            long at;
            if (time < 0) {
                at = row;
            } else {
                try {
                    at = parseTime(fields.get(time)).toEpochMilli();
                } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
                    skipped.merge("unreadable timestamp", 1L, Long::sum);
                    continue;
                }
            }
            seen.merge(new Pair(userId, itemId), new long[] {1, at, at}, (old, one) -> {
                old[0]++;
                old[1] = Math.min(old[1], one[1]);
                old[2] = Math.max(old[2], one[2]);
                return old;
            });
        }
        long lastRow = rows - 1;
        Map<Pair, Occurrences> pairs = new LinkedHashMap<>();
        seen.forEach((pair, counts) -> pairs.put(pair, new Occurrences(counts[0],
                time < 0 ? now.minusMillis(lastRow - counts[1]) : Instant.ofEpochMilli(counts[1]),
                time < 0 ? now.minusMillis(lastRow - counts[2]) : Instant.ofEpochMilli(counts[2]))));
        return new Result(pairs, rows, skipped);
    }

    /** The fields of one line; quotes as described on the class. */
    static List<String> fields(String line, char delimiter) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    /** A timestamp as described on the class. */
    static Instant parseTime(String text) {
        String value = text.strip();
        if (value.matches("-?\\d+(\\.\\d+)?")) {
            double number = Double.parseDouble(value);
            if (Math.abs(number) < SECONDS_LIMIT) {
                return Instant.ofEpochMilli(Math.round(number * 1000));
            }
            return Instant.ofEpochMilli(Long.parseLong(value.replaceFirst("\\..*", "")));
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notADateTime) {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
        }
    }

    /** The delimiter an option names: one character, or {@code \t} / {@code tab}. */
    static char delimiter(String option) {
        if (option.equals("\\t") || option.equalsIgnoreCase("tab")) {
            return '\t';
        }
        if (option.length() != 1) {
            throw new IllegalArgumentException("the delimiter must be one character (or \\t), not '" + option + "'");
        }
        return option.charAt(0);
    }

    private static int index(List<String> header, String name) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).strip().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no column '" + name + "' in the header; its columns: "
                + String.join(", ", header));
    }

    private static int number(String column) {
        try {
            int number = Integer.parseInt(column);
            if (number < 1) {
                throw new NumberFormatException();
            }
            return number - 1;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("without a header, columns are 1-based numbers, not '" + column + "'");
        }
    }
}
