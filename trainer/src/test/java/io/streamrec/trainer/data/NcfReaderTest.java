package io.streamrec.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamrec.trainer.eval.Evaluator;
import io.streamrec.trainer.eval.PopularityScorer;
import io.streamrec.trainer.eval.RankingMetrics;
import io.streamrec.trainer.parallel.WorkerPool;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reads the real ml-1m NCF split; skipped when ../shared/data is absent. */
class NcfReaderTest {

    private static Dataset data;

    @BeforeAll
    static void read() {
        Path dir = SharedData.dataset("ml-1m-ncf").orElse(null);
        Assumptions.assumeTrue(dir != null, "shared data ml-1m-ncf not found (set -Dstreamrec.shared.data); skipping");
        data = NcfReader.read(dir, "ml-1m");
    }

    @Test
    void readsTheFullSplit() {
        assertThat(data.users().size()).isEqualTo(6040);
        assertThat(data.items().size()).isEqualTo(3706);
        assertThat(data.train().size()).isEqualTo(994_169);
        assertThat(data.test().targetCount()).isEqualTo(6040);
        assertThat(data.users().id(1)).isEqualTo("0");
        assertThat(data.items().indexOf("25")).isEqualTo(26);
        assertThat(data.test().targetsOf(1)).containsExactly(26);
    }

    @Test
    void dropsTheTestItemFromItsOwnNegatives() {
        int shortened = 0;
        for (int u = 1; u <= data.test().numUsers(); u++) {
            int[] negatives = data.test().negativesOf(u);
            int target = data.test().targetsOf(u)[0];
            assertThat(negatives).doesNotContain(target);
            if (negatives.length == 98) {
                shortened++;
            } else {
                assertThat(negatives).hasSize(99);
            }
        }
        assertThat(shortened).isEqualTo(156);
    }

    @Test
    void ordersEachUserOldestFirst() {
        Interactions train = data.train();
        for (int u = 1; u <= train.numUsers(); u++) {
            for (int p = train.start(u) + 1; p < train.end(u); p++) {
                assertThat(train.timestampAt(p)).isGreaterThanOrEqualTo(train.timestampAt(p - 1));
            }
        }
        // NCF user 0's newest training line is item 32 at 978824330 (first line of the file).
        assertThat(train.itemAt(train.end(1) - 1)).isEqualTo(data.items().indexOf("32"));
    }

    @Test
    void popularityMatchesThePublishedFigure() {
        try (WorkerPool pool = new WorkerPool(2)) {
            RankingMetrics m = Evaluator.sampled(PopularityScorer.fit(data.train()), data.train(), data.test(), 10, pool);
            assertThat(m.hitRate()).isCloseTo(0.4531, within(5e-5));
            assertThat(m.ndcg()).isCloseTo(0.2541, within(5e-5));
        }
    }
}
