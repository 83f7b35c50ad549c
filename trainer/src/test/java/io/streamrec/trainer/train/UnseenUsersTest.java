package io.streamrec.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.HeldOut;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.data.Split;
import io.streamrec.trainer.data.Splits;
import io.streamrec.trainer.data.SyntheticConfig;
import io.streamrec.trainer.data.SyntheticGenerator;
import io.streamrec.trainer.eval.Evaluator;
import io.streamrec.trainer.eval.PopularityScorer;
import io.streamrec.trainer.eval.RankingMetrics;
import io.streamrec.trainer.model.AttentionQuery;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.model.NcfModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Users who never appeared in training get personal recommendations from their history alone: the
 * history-attentive model, asked as the unknown user 0 with only the hidden users' histories,
 * ranks their held-out items far better than popularity.
 */
class UnseenUsersTest {

    @ParameterizedTest
    @EnumSource(AttentionQuery.class)
    void historyAloneBeatsPopularityForUsersHiddenFromTraining(AttentionQuery query) {
        Dataset data = SyntheticGenerator.dataset(SyntheticConfig.defaults().withSize(800, 300));
        Interactions seen = data.train().withoutUsers(u -> u % 5 == 0);
        Split validation = Splits.leaveLastOut(seen, 99, 3);
        HeldOut hidden = data.test().restrictedTo(u -> u % 5 == 0);

        NcfModel model = NcfModel.create(ModelConfig.historyAneumf(16, 10).withAttentionQuery(query),
                data.users().size(), data.items().size());
        TrainConfig config = TrainConfig.defaults().withMaxEpochs(8).withBatchSize(1024).withLearningRate(0.01)
                .withUnknownUserRate(0.2).withThreads(2);
        try (Trainer trainer = new Trainer(config)) {
            trainer.fit(model, validation.train(), validation.heldOut());
            // The hidden users' histories come from data.train(), which the model never trained on.
            RankingMetrics fromHistory = Evaluator.sampled(model.asUnknownUser(), data.train(), hidden, 10, trainer.pool());
            RankingMetrics popularity = Evaluator.sampled(PopularityScorer.fit(seen), data.train(), hidden, 10, trainer.pool());
            assertThat(fromHistory.count()).isEqualTo(160);
            // At n = 160 a hit rate moves by a few hundredths with the data's seed (trainer/README.md, "Unseen
            // users"), so the margins leave room for that and still fail a history path that carries nothing
            // (which scores like popularity).

            assertThat(fromHistory.hitRate()).as("%s query: history-only %s vs popularity %s", query, fromHistory,
                            popularity)
                    .isGreaterThan(popularity.hitRate() * 1.4)
                    .isGreaterThan(popularity.hitRate() + 0.10);
        }
    }
}
