package io.streamrec.trainer.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.SyntheticConfig;
import io.streamrec.trainer.data.SyntheticGenerator;
import io.streamrec.trainer.eval.Evaluator;
import io.streamrec.trainer.eval.PopularityScorer;
import io.streamrec.trainer.eval.RankingMetrics;
import io.streamrec.trainer.parallel.WorkerPool;
import org.junit.jupiter.api.Test;

/** Both item-item baselines learn the synthetic corpus's structure: sampled HR@10 well above popularity's. */
class ItemItemBaselinesTest {

    private static final int H = 20;

    @Test
    void easeAndItemKnnBeatPopularityOnTheSyntheticDataset() {
        Dataset data = SyntheticGenerator.dataset(SyntheticConfig.defaults());
        try (WorkerPool pool = new WorkerPool(2)) {
            RankingMetrics popularity = Evaluator.sampled(PopularityScorer.fit(data.train()), data.train(),
                    data.test(), 10, pool);
            RankingMetrics ease = Evaluator.sampled(Ease.fit(data.train(), 100, H, pool), data.train(), data.test(),
                    10, pool);
            RankingMetrics knn = Evaluator.sampled(ItemKnn.fit(data.train(), 50, 10, H, pool), data.train(),
                    data.test(), 10, pool);
            System.out.println("synthetic: ease " + ease + ", item-knn " + knn + ", popularity " + popularity);
            assertThat(ease.count()).isEqualTo(popularity.count()).isGreaterThan(1000);
            assertThat(ease.hitRate()).as("EASE %s vs popularity %s", ease, popularity)
                    .isGreaterThan(popularity.hitRate() + 0.05);
            assertThat(knn.hitRate()).as("item-kNN %s vs popularity %s", knn, popularity)
                    .isGreaterThan(popularity.hitRate() + 0.05);
            assertThat(ease.ndcg()).isGreaterThan(popularity.ndcg());
            assertThat(knn.ndcg()).isGreaterThan(popularity.ndcg());
        }
    }
}
