package io.streamrec.trainer.baseline;

import io.streamrec.trainer.data.Interactions;

/**
 * The distinct (user, item) pairs of a training set from both sides, as compressed sparse rows: user {@code u}'s
 * items are {@code userItems[userOffsets[u], userOffsets[u + 1])}, ascending, and item {@code i}'s users are
 * {@code itemUsers[itemOffsets[i], itemOffsets[i + 1])}, ascending; row 0 is empty on both sides. The baselines
 * (iALS, EASE, item-kNN) treat feedback as binary, so a repeated interaction counts once. Immutable once built.
 */
final class BinaryPairs {

    final int numUsers;
    final int numItems;
    final int[] userOffsets;
    final int[] userItems;
    final int[] itemOffsets;
    final int[] itemUsers;

    private BinaryPairs(int numUsers, int numItems, int[] userOffsets, int[] userItems, int[] itemOffsets,
                     int[] itemUsers) {
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.userOffsets = userOffsets;
        this.userItems = userItems;
        this.itemOffsets = itemOffsets;
        this.itemUsers = itemUsers;
    }

    static BinaryPairs of(Interactions train) {
        int numUsers = train.numUsers();
        int[][] distinct = train.distinctItemSets();
        int[] userOffsets = distinct[0];
        int[] userItems = distinct[1];
        int[] itemOffsets = new int[train.numItems() + 2];
        int[] itemUsers = transpose(numUsers, userOffsets, userItems, itemOffsets);
        return new BinaryPairs(numUsers, train.numItems(), userOffsets, userItems, itemOffsets, itemUsers);
    }

    /** Number of distinct items of {@code user}. */
    int userCount(int user) {
        return userOffsets[user + 1] - userOffsets[user];
    }

    /** Number of distinct users of {@code item}. */
    int itemCount(int item) {
        return itemOffsets[item + 1] - itemOffsets[item];
    }

    /** The item-side rows of the user-side table; fills {@code itemOffsets} (length numItems + 2). */
    private static int[] transpose(int numUsers, int[] userOffsets, int[] userItems, int[] itemOffsets) {
        for (int item : userItems) {
            itemOffsets[item + 1]++;
        }
        for (int i = 1; i < itemOffsets.length; i++) {
            itemOffsets[i] += itemOffsets[i - 1];
        }
        int[] cursor = itemOffsets.clone();
        int[] itemUsers = new int[userItems.length];
        for (int u = 1; u <= numUsers; u++) {
            for (int p = userOffsets[u]; p < userOffsets[u + 1]; p++) {
                itemUsers[cursor[userItems[p]]++] = u;
            }
        }
        return itemUsers;
    }
}
