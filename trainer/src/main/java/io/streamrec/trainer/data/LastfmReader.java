package io.streamrec.trainer.data;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Reads the Last.fm (HetRec 2011) split used by LightGCN: {@code data1.txt} (train) and
 * {@code test1.txt} (test), tab-separated {@code user item weight}.
 *
 * <p>The files carry no timestamps, so a user's training interactions keep the file order (the
 * history-attentive model then sees an arbitrary order). A user's test items are all their targets;
 * for the sampled protocol each user also gets {@code negatives} items sampled with a fixed seed from
 * the items absent from both their training and test rows.
 */
public final class LastfmReader {

    private LastfmReader() {}

    /** Reads {@code dir/data1.txt} and {@code dir/test1.txt}. */
    public static Dataset read(Path dir, int negatives, long seed) {
        LineFields train = LineFields.read(dir.resolve("data1.txt"), "\t", 3);
        LineFields test = LineFields.read(dir.resolve("test1.txt"), "\t", 3);
        NumericIds users = NumericIds.of(train.columns[0], train.rows, java.util.Arrays.copyOf(test.columns[0], test.rows));
        NumericIds items = NumericIds.of(train.columns[1], train.rows, java.util.Arrays.copyOf(test.columns[1], test.rows));

        Interactions.Builder trainBuilder = new Interactions.Builder(users.size(), items.size(), train.rows);
        for (int row = 0; row < train.rows; row++) {
            trainBuilder.add(users.index(train.columns[0][row]), items.index(train.columns[1][row]), row);
        }
        Interactions.Builder testBuilder = new Interactions.Builder(users.size(), items.size(), test.rows);
        Interactions.Builder allBuilder = new Interactions.Builder(users.size(), items.size(), train.rows + test.rows);
        for (int row = 0; row < train.rows; row++) {
            allBuilder.add(users.index(train.columns[0][row]), items.index(train.columns[1][row]), row);
        }
        for (int row = 0; row < test.rows; row++) {
            int u = users.index(test.columns[0][row]);
            int i = items.index(test.columns[1][row]);
            testBuilder.add(u, i, row);
            allBuilder.add(u, i, train.rows + row);
        }
        Interactions trainRows = trainBuilder.build();
        Interactions testRows = testBuilder.build();
        int[][] excluded = allBuilder.build().distinctItemSets();
        HeldOut.Builder heldOut = new HeldOut.Builder(users.size());
        SplittableRandom random = new SplittableRandom(seed);
        for (int u = 1; u <= users.size(); u++) {
            if (testRows.length(u) == 0) {
                continue;
            }
            heldOut.targets(u, testRows.itemsOf(u));
            heldOut.negatives(u, Splits.sampleNegatives(excluded[1], excluded[0][u], excluded[0][u + 1],
                    items.size(), negatives, random));
        }
        return new Dataset("lastfm", users.vocabulary(), items.vocabulary(), trainRows, heldOut.build());
    }
}
