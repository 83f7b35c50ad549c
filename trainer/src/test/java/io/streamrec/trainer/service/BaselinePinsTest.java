package io.streamrec.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.trainer.data.Split;
import io.streamrec.trainer.data.Splits;
import io.streamrec.trainer.data.SyntheticConfig;
import io.streamrec.trainer.data.SyntheticGenerator;
import io.streamrec.trainer.parallel.WorkerPool;
import io.streamrec.trainer.select.BaselineCandidate;
import io.streamrec.trainer.select.BaselineSetting;
import io.streamrec.trainer.select.Fitted;
import java.util.List;
import org.junit.jupiter.api.Test;

class BaselinePinsTest {

    private static final Split VALIDATION = Splits.leaveLastOut(
            SyntheticGenerator.dataset(SyntheticConfig.defaults().withSize(200, 80)).train(), 99, 3);

    /** One refit's baselines as RefitRun asks for them, fitted, and reported back. */
    private static List<BaselineCandidate> refit(BaselinePins pins, WorkerPool pool) {
        List<BaselineCandidate> used = List.of(pins.candidate("item-knn", 20));
        List<Fitted> fitted = used.stream().map(c -> c.fit(VALIDATION, pool)).toList();
        pins.update(used, fitted);
        return used;
    }

    @Test
    void tunesAtTheFirstRefitThenPinsUntilTheRetuneIsDue() {
        BaselinePins pins = new BaselinePins(3);
        try (WorkerPool pool = new WorkerPool(2)) {
            BaselineCandidate first = refit(pins, pool).get(0);
            assertThat(first.pinned()).isEmpty();
            BaselineCandidate second = refit(pins, pool).get(0);
            assertThat(second.pinned()).hasValueSatisfying(s -> assertThat(s).isInstanceOf(BaselineSetting.Knn.class));
            assertThat(refit(pins, pool).get(0).pinned()).isPresent();
            assertThat(refit(pins, pool).get(0).pinned()).isEmpty(); // the third use is due for a retune
            assertThat(refit(pins, pool).get(0).pinned()).isPresent();
        }
    }

    @Test
    void aPinnedFitUsesExactlyThePinnedSettings() {
        try (WorkerPool pool = new WorkerPool(2)) {
            Fitted fitted = BaselineCandidate.pinned(new BaselineSetting.Knn(7, 3.0), 20).fit(VALIDATION, pool);
            assertThat(fitted.settings()).isEqualTo("neighbours 7, shrinkage 3.0 (pinned)");
            assertThat(fitted.setting()).contains(new BaselineSetting.Knn(7, 3.0));
        }
        assertThatThrownBy(() -> new BaselineCandidate("ease", 20,
                java.util.Optional.of(new BaselineSetting.Knn(7, 3.0)))).isInstanceOf(IllegalArgumentException.class);
        assertThat(new BaselinePins(1).candidate("ease", 20).pinned()).isEmpty();
        assertThatThrownBy(() -> new BaselinePins(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
