package io.streamrec.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.trainer.data.HeldOut;
import io.streamrec.trainer.eval.RankingMetrics;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The refit gate's verdict and its choice of holdout, without Kafka, a clock or a model. */
class GateDecisionTest {

    private static final long CANDIDATE = 8;
    private static final long SERVING = 7;
    private static final GateHoldout WHOLE = GateHoldout.whole(heldOut(120));

    /** A holdout in which users 1..{@code users} have one target each. */
    private static HeldOut heldOut(int users) {
        HeldOut.Builder builder = new HeldOut.Builder(200);
        for (int user = 1; user <= users; user++) {
            builder.targets(user, 1).negatives(user, 2, 3);
        }
        return builder.build();
    }

    /** Metrics whose hit rate and NDCG differ, so a test sees which one the gate read. */
    private static RankingMetrics metrics(double hitRate, double ndcg) {
        return new RankingMetrics(10, hitRate, ndcg, 120);
    }

    private static GateDecision hitRates(double candidate, double serving, double tolerance) {
        return GateDecision.decide("hr@10", tolerance, CANDIDATE, SERVING, new GateDecision.Figures(WHOLE,
                metrics(candidate, 0.01), Optional.of(metrics(serving, 0.99))));
    }

    @Test
    void aBetterCandidateIsPublished() {
        GateDecision gate = hitRates(0.6, 0.5, 0.01);
        assertThat(gate.publish()).isTrue();
        assertThat(gate.candidateValue()).isEqualTo(0.6);
        assertThat(gate.servingValue()).isEqualTo(OptionalDouble.of(0.5));
        assertThat(gate.reason()).isEqualTo("published: hr@10 0.6000 for v8 against 0.5000 for serving v7 on 120"
                + " held-out users (tolerance 0.0100)");
    }

    @Test
    void aWorseCandidateWithinTheToleranceIsPublished() {
        assertThat(hitRates(0.49, 0.5, 0.02).publish()).isTrue();
    }

    @Test
    void aWorseCandidateBeyondTheToleranceIsKept() {
        GateDecision gate = hitRates(0.47, 0.5, 0.02);
        assertThat(gate.publish()).isFalse();
        assertThat(gate.reason()).isEqualTo("kept the serving model: hr@10 0.4700 for v8 against 0.5000 for serving v7"
                + " on 120 held-out users (tolerance 0.0200)");
    }

    /** Ties go to the candidate: a tie at zero tolerance and a fall of exactly the tolerance both publish. */
    @Test
    void tiesArePublished() {
        assertThat(hitRates(0.5, 0.5, 0).publish()).isTrue();
        assertThat(hitRates(0.25, 0.5, 0.25).publish()).isTrue(); // 0.5 - 0.25 is exact in binary
        assertThat(hitRates(Math.nextDown(0.25), 0.5, 0.25).publish()).isFalse();
        assertThat(hitRates(Math.nextDown(0.5), 0.5, 0).publish()).isFalse();
    }

    @Test
    void theGateMetricChoosesTheFigureCompared() {
        GateDecision.Figures figures = new GateDecision.Figures(WHOLE, metrics(0.6, 0.2), Optional.of(metrics(0.5,
                0.3)));
        assertThat(GateDecision.decide("hr@10", 0, CANDIDATE, SERVING, figures).publish()).isTrue();
        GateDecision byNdcg = GateDecision.decide("ndcg@10", 0, CANDIDATE, SERVING, figures);
        assertThat(byNdcg.publish()).isFalse();
        assertThat(byNdcg.candidateValue()).isEqualTo(0.2);
        assertThat(byNdcg.comparison()).startsWith("ndcg@10 0.2000 for v8 against 0.3000");
    }

    @Test
    void withoutAServingModelTheCandidateIsPublished() {
        GateDecision gate = GateDecision.decide("hr@10", 0.01, 1, -1,
                new GateDecision.Figures(WHOLE, metrics(0.01, 0.01), Optional.empty()));
        assertThat(gate.publish()).isTrue();
        assertThat(gate.servingValue()).isEmpty();
        assertThat(gate.reason()).isEqualTo("published: hr@10 0.0100 for v1 on 120 held-out users; no serving model");
    }

    @Test
    void aServingReleaseThatCouldNotBeEvaluatedDoesNotBlockTheCandidate() {
        GateDecision gate = GateDecision.decide("hr@10", 0.01, CANDIDATE, SERVING,
                new GateDecision.Figures(WHOLE, metrics(0.01, 0.01), Optional.empty()));
        assertThat(gate.publish()).isTrue();
        assertThat(gate.comparison()).endsWith("; the serving release could not be evaluated");
    }

    @Test
    void theFreshHoldoutIsUsedFromMinFreshUsersOn() {
        HeldOut whole = heldOut(120);
        HeldOut justEnough = heldOut(GateHoldout.MIN_FRESH_USERS);
        HeldOut tooFew = heldOut(GateHoldout.MIN_FRESH_USERS - 1);

        GateHoldout fresh = GateHoldout.choose(whole, justEnough);
        assertThat(fresh.fresh()).isTrue();
        assertThat(fresh.heldOut()).isSameAs(justEnough);
        assertThat(fresh.users()).isEqualTo(GateHoldout.MIN_FRESH_USERS);

        GateHoldout stale = GateHoldout.choose(whole, tooFew);
        assertThat(stale.fresh()).isFalse();
        assertThat(stale.heldOut()).isSameAs(whole);
        assertThat(stale.users()).isEqualTo(120);
    }

    @Test
    void theComparisonSaysWhenItWasOnFreshUsers() {
        GateHoldout fresh = GateHoldout.choose(heldOut(120), heldOut(60));
        GateDecision gate = GateDecision.decide("hr@10", 0, CANDIDATE, SERVING,
                new GateDecision.Figures(fresh, metrics(0.4, 0.1), Optional.of(metrics(0.5, 0.1))));
        assertThat(gate.comparison()).isEqualTo("hr@10 0.4000 for v8 against 0.5000 for serving v7 on 60 fresh"
                + " held-out users (tolerance 0.0000)");
        assertThat(gate.publish()).isFalse();
    }
}
