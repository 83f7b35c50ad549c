package io.streamrec.trainer.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Dense indices for numeric external ids: distinct ids sorted ascending get indices 1..n. */
final class NumericIds {

    private final long[] sorted;

    private NumericIds(long[] sorted) {
        this.sorted = sorted;
    }

    /** The distinct values among {@code ids[0, count)}, plus any in {@code more}. */
    static NumericIds of(long[] ids, int count, long[]... more) {
        int total = count;
        for (long[] m : more) {
            total += m.length;
        }
        long[] all = Arrays.copyOf(ids, total);
        int w = count;
        for (long[] m : more) {
            System.arraycopy(m, 0, all, w, m.length);
            w += m.length;
        }
        Arrays.sort(all);
        int distinct = 0;
        for (int i = 0; i < all.length; i++) {
            if (i == 0 || all[i] != all[i - 1]) {
                all[distinct++] = all[i];
            }
        }
        return new NumericIds(Arrays.copyOf(all, distinct));
    }

    int size() {
        return sorted.length;
    }

    /** Model index (1-based) of an id known to be present. */
    int index(long id) {
        int i = Arrays.binarySearch(sorted, id);
        if (i < 0) {
            throw new IllegalArgumentException("unknown id " + id);
        }
        return i + 1;
    }

    Vocabulary vocabulary() {
        List<String> ids = new ArrayList<>(sorted.length);
        for (long id : sorted) {
            ids.add(Long.toString(id));
        }
        return Vocabulary.of(ids);
    }
}
