package io.streamrec.app.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Both indexes against a brute-force inner product over vectors of varied norms (the case maximum inner
 * product search must handle): the exact index is exact, HNSW in either geometry keeps most of the true top-k,
 * both honour
 * the exclusions, never return an item twice, and HNSW answers concurrent searches as sequential ones.
 */
class RetrievalIndexTest {

    private static final int ITEMS = 5_000;
    private static final int DIMENSION = 17;
    private static final float[] ROWS = rows(ITEMS, DIMENSION, 1);
    private static final HnswIndex HNSW = HnswIndex.build(ROWS, ITEMS, DIMENSION, HnswIndex.Geometry.UNIT_SPHERE, 16, 100, 2);

    private static float[] rows(int items, int dimension, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] rows = new float[items * dimension];
        for (int r = 0; r < items; r++) {
            double norm = 0.2 + 2 * random.nextDouble();
            for (int d = 0; d < dimension; d++) {
                rows[r * dimension + d] = (float) (random.nextGaussian() * norm);
            }
        }
        return rows;
    }

    private static float[] query(SplittableRandom random) {
        float[] query = new float[DIMENSION];
        for (int d = 0; d < DIMENSION; d++) {
            query[d] = (float) random.nextGaussian();
        }
        return query;
    }

    /** The true top-k model indices by brute force, best first. */
    private static int[] bruteForce(float[] query, int k, IntPredicate excluded) {
        return IntStream.rangeClosed(1, ITEMS).filter(index -> !excluded.test(index)).boxed()
                .sorted((a, b) -> Double.compare(dot(query, b), dot(query, a))).limit(k).mapToInt(Integer::intValue)
                .toArray();
    }

    private static double dot(float[] query, int index) {
        double sum = 0;
        for (int d = 0; d < DIMENSION; d++) {
            sum += (double) query[d] * ROWS[(index - 1) * DIMENSION + d];
        }
        return sum;
    }

    @Test
    void exactIndexFindsTheTrueTopK() {
        ExactIndex exact = new ExactIndex(ROWS, ITEMS, DIMENSION);
        SplittableRandom random = new SplittableRandom(2);
        for (int q = 0; q < 20; q++) {
            float[] query = query(random);
            IntPredicate odd = index -> index % 2 == 1;
            assertThat(exact.search(query, 50, odd)).containsExactly(bruteForce(query, 50, odd));
        }
    }

    @ParameterizedTest
    @EnumSource(HnswIndex.Geometry.class)
    void hnswKeepsMostOfTheTrueTopK(HnswIndex.Geometry geometry) {
        HnswIndex hnsw = HnswIndex.build(ROWS, ITEMS, DIMENSION, geometry, 16, 100, 2);
        SplittableRandom random = new SplittableRandom(3);
        int kept = 0;
        int queries = 100;
        for (int q = 0; q < queries; q++) {
            float[] query = query(random);
            int[] found = hnsw.search(query, 100, index -> false);
            int[] truth = bruteForce(query, 10, index -> false);
            assertThat(found).hasSize(100).doesNotHaveDuplicates();
            assertThat(Arrays.stream(found).boxed()).allMatch(index -> index >= 1 && index <= ITEMS);
            kept += (int) Arrays.stream(truth).filter(index -> Arrays.stream(found).anyMatch(f -> f == index)).count();
        }
        assertThat(kept / (10.0 * queries)).as("share of the true top-10 among 100 found").isGreaterThan(0.85);
    }

    @Test
    void excludedItemsAreNeverReturned() {
        SplittableRandom random = new SplittableRandom(4);
        float[] query = query(random);
        int[] best = bruteForce(query, 30, index -> false);
        int[] excluded = Arrays.stream(best).sorted().toArray();
        IntPredicate seen = index -> Arrays.binarySearch(excluded, index) >= 0;
        for (RetrievalIndex index : List.of(HNSW, new ExactIndex(ROWS, ITEMS, DIMENSION))) {
            int[] found = index.search(query, 40, seen);
            assertThat(found).hasSize(40);
            assertThat(Arrays.stream(found).boxed()).noneMatch(seen::test);
        }
    }

    @Test
    void askingForMoreThanTheCatalogueGivesEveryAllowedItem() {
        float[] small = Arrays.copyOf(ROWS, 12 * DIMENSION);
        for (RetrievalIndex index : List.of(HnswIndex.build(small, 12, DIMENSION, HnswIndex.Geometry.UNIT_SPHERE, 4, 10, 1),
                new ExactIndex(small, 12, DIMENSION))) {
            assertThat(index.search(new float[DIMENSION], 100, item -> item == 3))
                    .containsExactlyInAnyOrder(1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        }
    }

    @Test
    void concurrentSearchesAnswerAsSequentialOnes() throws Exception {
        SplittableRandom random = new SplittableRandom(5);
        List<float[]> queries = new ArrayList<>();
        for (int q = 0; q < 200; q++) {
            queries.add(query(random));
        }
        List<int[]> sequential = queries.stream().map(q -> HNSW.search(q, 50, index -> false)).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<int[]>> concurrent = new ArrayList<>();
            for (float[] q : queries) {
                concurrent.add(pool.submit(() -> HNSW.search(q, 50, index -> false)));
            }
            for (int q = 0; q < queries.size(); q++) {
                assertThat(concurrent.get(q).get()).containsExactly(sequential.get(q));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBuildOnAnInterruptedThreadStopsAndLeavesTheFlagSet() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> HnswIndex.build(ROWS, ITEMS, DIMENSION, HnswIndex.Geometry.UNIT_SPHERE, 16,
                    100, 1)).isInstanceOf(CancellationException.class).hasMessageContaining("interrupted after 0 of");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aQueryOfTheWrongWidthIsRefused() {
        assertThatThrownBy(() -> HNSW.search(new float[DIMENSION + 1], 5, index -> false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("entries");
    }
}
