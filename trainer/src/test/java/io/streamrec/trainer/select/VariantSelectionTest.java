package io.streamrec.trainer.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.trainer.data.Split;
import io.streamrec.trainer.data.Splits;
import io.streamrec.trainer.data.SyntheticConfig;
import io.streamrec.trainer.data.SyntheticGenerator;
import io.streamrec.trainer.eval.PopularityScorer;
import io.streamrec.trainer.eval.RankingMetrics;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.parallel.WorkerPool;
import io.streamrec.trainer.train.TrainConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VariantSelectionTest {

    private static Fitted fitted(String name, boolean baseline, double hr, double ndcg) {
        return new Fitted(name, "-", baseline, PopularityScorer.fit(new io.streamrec.trainer.data.Interactions.Builder(
                1, 1, 1).build()), new RankingMetrics(10, hr, ndcg, 100), Duration.ZERO, Optional.empty(), Optional.empty());
    }

    @Test
    void theBestCandidateByTheMetricWinsAndTheOtherMetricBreaksTies() {
        VariantSelection byHr = new VariantSelection("hr@10", List.of(fitted("a", false, 0.70, 0.45),
                fitted("b", false, 0.72, 0.40), fitted("c", false, 0.72, 0.42)), List.of());
        assertThat(byHr.winner().name()).isEqualTo("c");
        assertThat(byHr.reason()).isEqualTo("c wins with validation hr@10 0.7200 against b 0.7200");
        VariantSelection byNdcg = new VariantSelection("ndcg@10", byHr.candidates(), List.of());
        assertThat(byNdcg.winner().name()).isEqualTo("a");
        VariantSelection tied = new VariantSelection("hr@10", List.of(fitted("first", false, 0.5, 0.3),
                fitted("second", false, 0.5, 0.3)), List.of());
        assertThat(tied.winner().name()).isEqualTo("first");
    }

    @Test
    void aBaselineIsNeverSelectedButItsLeadIsReportedLoudly() {
        VariantSelection behind = new VariantSelection("hr@10", List.of(fitted("history-aneumf", false, 0.80, 0.5)),
                List.of(fitted("ease", true, 0.79, 0.6), fitted("popularity", true, 0.45, 0.25)));
        assertThat(behind.baselineAhead()).isFalse();
        assertThat(behind.warning()).isEmpty();
        assertThat(behind.summary().baselineAhead()).isFalse();

        VariantSelection ahead = new VariantSelection("hr@10", List.of(fitted("history-aneumf", false, 0.30, 0.2)),
                List.of(fitted("ease", true, 0.37, 0.21)));
        assertThat(ahead.winner().name()).isEqualTo("history-aneumf");
        assertThat(ahead.baselineAhead()).isTrue();
        assertThat(ahead.warning()).hasValueSatisfying(w -> assertThat(w).startsWith("BASELINE AHEAD: ease")
                .contains("0.3700").contains("history-aneumf at 0.3000"));
        assertThat(ahead.summary().entries()).extracting(SelectionSummary.Entry::name)
                .containsExactly("history-aneumf", "ease");
        assertThat(ahead.table()).contains("**history-aneumf** (selected)").contains("| ease | baseline |");
    }

    @Test
    void aSelectionNeedsACandidate() {
        assertThatThrownBy(() -> new VariantSelection("hr@10", List.of(), List.of(fitted("ease", true, 0.4, 0.2))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void runFitsEveryEntryOnTheValidationSplitAndPicksByIt() {
        var data = SyntheticGenerator.dataset(SyntheticConfig.defaults().withSize(300, 120));
        Split validation = Splits.leaveLastOut(data.train(), 99, 5);
        TrainConfig training = TrainConfig.defaults().withMaxEpochs(3).withThreads(2);
        List<NeuralCandidate> candidates = List.of(
                NeuralCandidate.fresh(ModelConfig.gmf(8), training),
                NeuralCandidate.fresh(ModelConfig.neumf(8, 16, 8), training));
        try (WorkerPool pool = new WorkerPool(2)) {
            VariantSelection selection = VariantSelection.run("hr@10", candidates,
                    List.of(BaselineCandidate.of("popularity", 20)), validation, pool, fitted -> { });
            assertThat(selection.candidates()).extracting(Fitted::name).containsExactly("gmf", "neumf");
            assertThat(selection.candidates()).allSatisfy(f -> {
                assertThat(f.fit()).isPresent();
                assertThat(f.validation().count()).isEqualTo(validation.heldOut().targetCount());
            });
            Fitted best = selection.candidates().stream().max(java.util.Comparator.comparingDouble(
                    f -> f.validation().hitRate())).orElseThrow();
            assertThat(selection.winner().validation().hitRate()).isEqualTo(best.validation().hitRate());
            assertThat(selection.baselines()).singleElement().satisfies(p -> assertThat(p.baseline()).isTrue());
        }
    }
}
