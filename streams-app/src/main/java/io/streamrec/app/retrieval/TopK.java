package io.streamrec.app.retrieval;

import java.util.function.IntPredicate;

/**
 * Selects the K best-scored model indices with a bounded min-heap: O(C log K) for C candidates, no boxing.
 */
public final class TopK {

    private TopK() {
    }

    /**
     * The indices (1-based model indices, {@code scores[i]} scoring index {@code i + 1}) of the {@code k}
     * highest scores, best first, skipping indices for which {@code excluded} is true. Ties go to the lower
     * index, so the answer is deterministic.
     */
    public static int[] select(float[] scores, int k, IntPredicate excluded) {
        int[] heap = new int[k]; // min-heap of model indices by (score, -index)
        int size = 0;
        for (int i = 0; i < scores.length; i++) {
            int index = i + 1;
            if (excluded.test(index)) {
                continue;
            }
            if (size < k) {
                heap[size] = index;
                siftUp(heap, size++, scores);
            } else if (better(index, heap[0], scores)) {
                heap[0] = index;
                siftDown(heap, size, scores);
            }
        }
        int[] best = new int[size];
        for (int slot = size - 1; slot >= 0; slot--) {
            best[slot] = heap[0];
            heap[0] = heap[--size];
            siftDown(heap, size, scores);
        }
        return best;
    }

    /** True when model index a ranks above model index b. */
    private static boolean better(int a, int b, float[] scores) {
        float scoreA = scores[a - 1];
        float scoreB = scores[b - 1];
        return scoreA > scoreB || (scoreA == scoreB && a < b);
    }

    private static void siftUp(int[] heap, int position, float[] scores) {
        while (position > 0) {
            int parent = (position - 1) >>> 1;
            if (!better(heap[parent], heap[position], scores)) {
                return;
            }
            swap(heap, parent, position);
            position = parent;
        }
    }

    private static void siftDown(int[] heap, int size, float[] scores) {
        int position = 0;
        while (true) {
            int left = 2 * position + 1;
            if (left >= size) {
                return;
            }
            int worst = left;
            int right = left + 1;
            if (right < size && better(heap[left], heap[right], scores)) {
                worst = right;
            }
            if (!better(heap[position], heap[worst], scores)) {
                return;
            }
            swap(heap, position, worst);
            position = worst;
        }
    }

    private static void swap(int[] heap, int a, int b) {
        int held = heap[a];
        heap[a] = heap[b];
        heap[b] = held;
    }
}
