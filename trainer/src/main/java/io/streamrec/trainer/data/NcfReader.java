package io.streamrec.trainer.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads the split format of the NCF paper (He et al. 2017): {@code <prefix>.train.rating},
 * {@code <prefix>.test.rating} and {@code <prefix>.test.negative}.
 *
 * <p>Ids in the files are 0-based; they become the external ids of the vocabularies, so NCF user
 * {@code k} is model user {@code k + 1}. The training file lists each user's interactions newest
 * first; they are ordered oldest first by timestamp, and equal timestamps keep the reverse file
 * order. Timestamps are used only for that order (see the data's PROVENANCE). A training file without
 * timestamps (three columns, or one timestamp for all of a user's rows) has no time order, and its file order is
 * often by item id; each user's row is then shuffled with the fixed seed {@link #ORDERLESS_SEED}, so that
 * neither the validation item cut from its end nor a history model reads the id order as time. The original negative
 * file lists the test item among its own negatives for some users; that duplicate is dropped, so
 * those users are ranked against 98 negatives.
 */
public final class NcfReader {

    /** Seed of the per-user shuffle of a training file without time order. */
    public static final long ORDERLESS_SEED = 1L;

    private NcfReader() {}

    /** Reads {@code dir/<prefix>.*} (e.g. prefix {@code ml-1m}). */
    public static Dataset read(Path dir, String prefix) {
        LineFields train = LineFields.read(dir.resolve(prefix + ".train.rating"), "\t", 4);
        LineFields test = LineFields.read(dir.resolve(prefix + ".test.rating"), "\t", 2);
        NegativeLines negatives = NegativeLines.read(dir.resolve(prefix + ".test.negative"));

        NumericIds users = NumericIds.of(train.columns[0], train.rows, Arrays.copyOf(test.columns[0], test.rows));
        NumericIds items = NumericIds.of(train.columns[1], train.rows,
                Arrays.copyOf(test.columns[1], test.rows), negatives.allItems());

        Interactions.Builder builder = new Interactions.Builder(users.size(), items.size(), train.rows);
        for (int row = train.rows - 1; row >= 0; row--) {
            builder.add(users.index(train.columns[0][row]), items.index(train.columns[1][row]), train.columns[3][row]);
        }

        HeldOut.Builder heldOut = new HeldOut.Builder(users.size());
        for (int row = 0; row < test.rows; row++) {
            heldOut.targets(users.index(test.columns[0][row]), items.index(test.columns[1][row]));
        }
        for (int row = 0; row < negatives.users.length; row++) {
            int user = users.index(negatives.users[row]);
            int target = items.index(negatives.targets[row]);
            long[] raw = negatives.negatives[row];
            int[] mapped = new int[raw.length];
            int kept = 0;
            for (long item : raw) {
                int index = items.index(item);
                if (index != target) {
                    mapped[kept++] = index;
                }
            }
            heldOut.negatives(user, Arrays.copyOf(mapped, kept));
        }
        String name = dir.getFileName() == null ? prefix : dir.getFileName().toString();
        Interactions training = builder.build();
        if (!training.hasTimeOrder()) {
            training = training.shuffledWithinUsers(ORDERLESS_SEED);
        }
        return new Dataset(name, users.vocabulary(), items.vocabulary(), training, heldOut.build());
    }

    /** Reads a directory holding exactly one {@code *.train.rating} file. */
    public static Dataset read(Path dir) {
        try (var files = Files.list(dir)) {
            String prefix = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".train.rating"))
                    .map(n -> n.substring(0, n.length() - ".train.rating".length()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no *.train.rating in " + dir));
            return read(dir, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The parsed negative file: {@code (user,item)} then the negatives. */
    private record NegativeLines(long[] users, long[] targets, long[][] negatives) {
        static NegativeLines read(Path file) {
            long[] users = new long[1024];
            long[] targets = new long[1024];
            long[][] negatives = new long[1024][];
            int rows = 0;
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    String[] fields = line.trim().split("\t");
                    String pair = fields[0].trim();
                    int comma = pair.indexOf(',');
                    if (!pair.startsWith("(") || !pair.endsWith(")") || comma < 0) {
                        throw new IllegalArgumentException(file + ": expected (user,item) but got " + pair);
                    }
                    if (rows == users.length) {
                        users = Arrays.copyOf(users, rows * 2);
                        targets = Arrays.copyOf(targets, rows * 2);
                        negatives = Arrays.copyOf(negatives, rows * 2);
                    }
                    users[rows] = Long.parseLong(pair.substring(1, comma).trim());
                    targets[rows] = Long.parseLong(pair.substring(comma + 1, pair.length() - 1).trim());
                    long[] neg = new long[fields.length - 1];
                    for (int i = 1; i < fields.length; i++) {
                        neg[i - 1] = Long.parseLong(fields[i].trim());
                    }
                    negatives[rows] = neg;
                    rows++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            return new NegativeLines(Arrays.copyOf(users, rows), Arrays.copyOf(targets, rows), Arrays.copyOf(negatives, rows));
        }

        long[] allItems() {
            int total = 0;
            for (long[] n : negatives) {
                total += n.length;
            }
            long[] all = new long[total];
            int w = 0;
            for (long[] n : negatives) {
                System.arraycopy(n, 0, all, w, n.length);
                w += n.length;
            }
            return all;
        }
    }
}
