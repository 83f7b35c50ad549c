package io.streamrec.trainer.data;

/** A stable merge sort of index arrays by a primitive key, so sorting never boxes. */
final class StableSort {

    private StableSort() {}

    /** Sorts {@code idx[from, to)} by {@code key[idx[i]]}, keeping the order of equal keys. */
    static void byKey(int[] idx, int[] scratch, long[] key, int from, int to) {
        if (to - from < 2) {
            return;
        }
        if (to - from <= 24) {
            for (int i = from + 1; i < to; i++) {
                int v = idx[i];
                long k = key[v];
                int j = i - 1;
                while (j >= from && key[idx[j]] > k) {
                    idx[j + 1] = idx[j];
                    j--;
                }
                idx[j + 1] = v;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        byKey(idx, scratch, key, from, mid);
        byKey(idx, scratch, key, mid, to);
        if (key[idx[mid - 1]] <= key[idx[mid]]) {
            return;
        }
        System.arraycopy(idx, from, scratch, from, to - from);
        int a = from;
        int b = mid;
        int out = from;
        while (a < mid && b < to) {
            idx[out++] = key[scratch[b]] < key[scratch[a]] ? scratch[b++] : scratch[a++];
        }
        while (a < mid) {
            idx[out++] = scratch[a++];
        }
        while (b < to) {
            idx[out++] = scratch[b++];
        }
    }
}
