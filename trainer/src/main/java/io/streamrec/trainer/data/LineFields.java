package io.streamrec.trainer.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads delimiter-separated numeric columns into primitive arrays (no per-line boxing), the shared
 * parsing core of the file readers.
 */
final class LineFields {

    /** Column values: {@code columns[c][row]}. */
    final long[][] columns;
    /** Number of rows read. */
    final int rows;

    private LineFields(long[][] columns, int rows) {
        this.columns = columns;
        this.rows = rows;
    }

    /**
     * Reads the first {@code wanted} numeric columns of every non-blank line; lines with fewer
     * columns get 0 in the missing ones.
     */
    static LineFields read(Path file, String delimiter, int wanted) {
        long[][] columns = new long[wanted][1 << 14];
        int rows = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String line;
            int lineNo = 0;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                if (rows == columns[0].length) {
                    for (int c = 0; c < wanted; c++) {
                        columns[c] = Arrays.copyOf(columns[c], rows * 2);
                    }
                }
                int pos = 0;
                for (int c = 0; c < wanted; c++) {
                    int next = line.indexOf(delimiter, pos);
                    String field = (next < 0 ? line.substring(pos) : line.substring(pos, next)).trim();
                    try {
                        columns[c][rows] = field.isEmpty() ? 0 : parseNumber(field);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(file + ":" + lineNo + ": not a number: '" + field + "'", e);
                    }
                    if (next < 0) {
                        for (int rest = c + 1; rest < wanted; rest++) {
                            columns[rest][rows] = 0;
                        }
                        break;
                    }
                    pos = next + delimiter.length();
                }
                rows++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return new LineFields(columns, rows);
    }

    private static long parseNumber(String field) {
        if (field.indexOf('.') >= 0 || field.indexOf('e') >= 0 || field.indexOf('E') >= 0) {
            return Math.round(Double.parseDouble(field));
        }
        return Long.parseLong(field);
    }
}
