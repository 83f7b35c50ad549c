package io.streamrec.trainer.baseline;

/**
 * The best {@code capacity} of the (item, score) pairs offered since the last {@link #clear()}: higher scores
 * first, ties to the lower item index, so a selection does not depend on the order of the offers. A bounded heap
 * on primitive arrays with the worst kept pair at the root. Reusable; not thread-safe.
 */
final class TopK {

    private final int capacity;
    private final int[] items;
    private final double[] scores;
    private int size;

    TopK(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
        this.items = new int[capacity];
        this.scores = new double[capacity];
    }

    void clear() {
        size = 0;
    }

    void offer(int item, double score) {
        if (size < capacity) {
            items[size] = item;
            scores[size] = score;
            siftUp(size++);
        } else if (better(item, score, items[0], scores[0])) {
            items[0] = item;
            scores[0] = score;
            siftDown(0);
        }
    }

    /** Number of pairs kept. */
    int size() {
        return size;
    }

    /** The item of kept pair {@code k} ({@code 0 <= k < size()}, in no particular order). */
    int item(int k) {
        return items[k];
    }

    /** The score of kept pair {@code k}. */
    double score(int k) {
        return scores[k];
    }

    private static boolean better(int item, double score, int otherItem, double otherScore) {
        return score > otherScore || (score == otherScore && item < otherItem);
    }

    private boolean better(int a, int b) {
        return better(items[a], scores[a], items[b], scores[b]);
    }

    private void siftUp(int k) {
        while (k > 0) {
            int parent = (k - 1) >>> 1;
            if (!better(parent, k)) {
                return;
            }
            swap(parent, k);
            k = parent;
        }
    }

    private void siftDown(int k) {
        while (true) {
            int worst = k;
            for (int child = 2 * k + 1; child <= 2 * k + 2 && child < size; child++) {
                if (better(worst, child)) {
                    worst = child;
                }
            }
            if (worst == k) {
                return;
            }
            swap(worst, k);
            k = worst;
        }
    }

    private void swap(int a, int b) {
        int item = items[a];
        items[a] = items[b];
        items[b] = item;
        double score = scores[a];
        scores[a] = scores[b];
        scores[b] = score;
    }
}
