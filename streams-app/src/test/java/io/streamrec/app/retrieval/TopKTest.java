package io.streamrec.app.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopKTest {

    @Test
    void agreesWithAFullSortOnRandomScoresWithTiesAndExclusions() {
        Random random = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int size = 1 + random.nextInt(300);
            float[] scores = new float[size];
            for (int i = 0; i < size; i++) {
                scores[i] = random.nextInt(20); // many ties
            }
            int k = 1 + random.nextInt(15);
            int excludedModulus = 2 + random.nextInt(5);

            int[] expected = IntStream.rangeClosed(1, size)
                    .filter(index -> index % excludedModulus != 0)
                    .boxed()
                    .sorted(Comparator.<Integer>comparingDouble(index -> -scores[index - 1])
                            .thenComparingInt(index -> index))
                    .limit(k)
                    .mapToInt(Integer::intValue)
                    .toArray();
            assertThat(TopK.select(scores, k, index -> index % excludedModulus == 0)).containsExactly(expected);
        }
    }

    @Test
    void fewerCandidatesThanKGivesThemAll() {
        assertThat(TopK.select(new float[] {0.5f, 2f}, 10, index -> false)).containsExactly(2, 1);
        assertThat(TopK.select(new float[] {0.5f, 2f}, 10, index -> true)).isEmpty();
    }
}
