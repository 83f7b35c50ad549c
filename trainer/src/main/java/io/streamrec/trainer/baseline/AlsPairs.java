package io.streamrec.trainer.baseline;

import io.streamrec.trainer.data.Interactions;
import java.util.Arrays;

/**
 * The distinct (user, item) pairs of a training set from both sides, as compressed sparse rows: user {@code u}'s
 * items are {@code userItems[userOffsets[u], userOffsets[u + 1])}, ascending, and item {@code i}'s users are
 * {@code itemUsers[itemOffsets[i], itemOffsets[i + 1])}, ascending; row 0 is empty on both sides. iALS treats
 * feedback as binary, so a repeated interaction counts once. Immutable once built.
 */
final class AlsPairs {

    final int numUsers;
    final int numItems;
    final int[] userOffsets;
    final int[] userItems;
    final int[] itemOffsets;
    final int[] itemUsers;

    private AlsPairs(int numUsers, int numItems, int[] userOffsets, int[] userItems, int[] itemOffsets,
                     int[] itemUsers) {
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.userOffsets = userOffsets;
        this.userItems = userItems;
        this.itemOffsets = itemOffsets;
        this.itemUsers = itemUsers;
    }

    static AlsPairs of(Interactions train) {
        int numUsers = train.numUsers();
        int[] userOffsets = new int[numUsers + 2];
        int[] userItems = new int[train.size()];
        int size = 0;
        for (int u = 1; u <= numUsers; u++) {
            userOffsets[u] = size;
            size = appendDistinct(train, u, userItems, size);
        }
        userOffsets[numUsers + 1] = size;
        userItems = Arrays.copyOf(userItems, size);
        int[] itemOffsets = new int[train.numItems() + 2];
        int[] itemUsers = transpose(numUsers, userOffsets, userItems, itemOffsets);
        return new AlsPairs(numUsers, train.numItems(), userOffsets, userItems, itemOffsets, itemUsers);
    }

    /** Number of distinct items of {@code user}. */
    int userCount(int user) {
        return userOffsets[user + 1] - userOffsets[user];
    }

    /** Number of distinct users of {@code item}. */
    int itemCount(int item) {
        return itemOffsets[item + 1] - itemOffsets[item];
    }

    /** Writes {@code user}'s distinct items, ascending, at {@code out[from..]}; returns the new end. */
    private static int appendDistinct(Interactions train, int user, int[] out, int from) {
        int to = from;
        for (int p = train.start(user); p < train.end(user); p++) {
            out[to++] = train.itemAt(p);
        }
        Arrays.sort(out, from, to);
        int end = from;
        for (int p = from; p < to; p++) {
            if (p == from || out[p] != out[p - 1]) {
                out[end++] = out[p];
            }
        }
        return end;
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
