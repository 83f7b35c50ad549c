package io.streamrec.trainer.service;

import io.streamrec.trainer.eval.RankingMetrics;
import io.streamrec.trainer.select.SelectionSummary;
import io.streamrec.trainer.train.EpochStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one refit did and why. Immutable.
 *
 * @param decision        published, kept (the gate said no) or failed
 * @param modelName       the model name
 * @param version         the version published, or the version the release would have had
 * @param reason          one sentence: the gate's comparison, or the failure
 * @param candidate       the new model on the gate's holdout (absent when training failed before evaluation)
 * @param serving         the serving release on the same holdout, when there was one
 * @param servingVersion  the serving release's version, or -1
 * @param gateUsers       how many held-out users the gate compared on
 * @param epochs          per-epoch training statistics
 * @param pairs           interactions trained and evaluated on
 * @param phases          wall time per phase, in order
 * @param peakHeapBytes   the JVM's peak heap use during the run (all pools)
 * @param selection       every candidate's and baseline's validation figures and why the winner won (absent when
 *                        the refit ended before training, or trained nothing)
 * @param report          the HTML report, when written
 */
public record RefitOutcome(Decision decision, String modelName, long version, String reason,
                           Optional<RankingMetrics> candidate, Optional<RankingMetrics> serving, long servingVersion,
                           int gateUsers, List<EpochStats> epochs, long pairs, Map<String, Duration> phases,
                           long peakHeapBytes, Optional<SelectionSummary> selection, Optional<Path> report) {

    /** The three ends of a refit; {@link #exitCode()} maps them for {@code trainer once}. */
    public enum Decision {
        PUBLISHED(0), KEPT(3), FAILED(1);

        private final int exitCode;

        Decision(int exitCode) {
            this.exitCode = exitCode;
        }

        int exitCode() {
            return exitCode;
        }
    }

    public RefitOutcome {
        epochs = List.copyOf(epochs);
        phases = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(phases));
    }

    /** This outcome with the report's path. */
    RefitOutcome withReport(Path path) {
        return new RefitOutcome(decision, modelName, version, reason, candidate, serving, servingVersion, gateUsers,
                epochs, pairs, phases, peakHeapBytes, selection, Optional.of(path));
    }

    int exitCode() {
        return decision.exitCode();
    }
}
