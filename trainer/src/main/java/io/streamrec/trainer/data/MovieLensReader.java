package io.streamrec.trainer.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads MovieLens ratings as implicit feedback (every rating is an interaction, as in the NCF
 * protocol): {@code u.data} of ml-100k (tab-separated {@code user item rating time}) and
 * {@code ratings.dat} of ml-1m/10m ({@code UserID::MovieID::Rating::Timestamp}). Interactions of a
 * user are ordered by timestamp; equal timestamps keep the file order.
 */
public final class MovieLensReader {

    private MovieLensReader() {}

    /** Reads {@code u.data} (ml-100k). */
    static Corpus readUData(Path file) {
        return read(file, "\t");
    }

    /** Reads {@code ratings.dat} (ml-1m, ml-10m). */
    static Corpus readRatingsDat(Path file) {
        return read(file, "::");
    }

    /** Reads a MovieLens directory or file, choosing the format by file name. */
    public static Corpus readAny(Path path) {
        if (Files.isDirectory(path)) {
            if (Files.exists(path.resolve("u.data"))) {
                return readUData(path.resolve("u.data"));
            }
            if (Files.exists(path.resolve("ratings.dat"))) {
                return readRatingsDat(path.resolve("ratings.dat"));
            }
            throw new IllegalArgumentException("no u.data or ratings.dat in " + path);
        }
        return path.getFileName().toString().endsWith(".dat") ? readRatingsDat(path) : readUData(path);
    }

    private static Corpus read(Path file, String delimiter) {
        LineFields fields = LineFields.read(file, delimiter, 4);
        NumericIds users = NumericIds.of(fields.columns[0], fields.rows);
        NumericIds items = NumericIds.of(fields.columns[1], fields.rows);
        Interactions.Builder builder = new Interactions.Builder(users.size(), items.size(), fields.rows);
        for (int row = 0; row < fields.rows; row++) {
            builder.add(users.index(fields.columns[0][row]), items.index(fields.columns[1][row]), fields.columns[3][row]);
        }
        Path parent = file.toAbsolutePath().getParent();
        String name = parent == null || parent.getFileName() == null ? file.toString() : parent.getFileName().toString();
        return new Corpus(name, users.vocabulary(), items.vocabulary(), builder.build());
    }
}
