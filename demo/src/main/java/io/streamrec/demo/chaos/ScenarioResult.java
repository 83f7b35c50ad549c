package io.streamrec.demo.chaos;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one scenario did to the cluster and what a downstream consumer saw. Immutable.
 *
 * @param tally             clicks sent and how they were answered (lost, duplicated, dead-lettered although valid)
 * @param badSent           bad records sent (fuzz), 0 when the scenario sends none
 * @param badDeadLettered   of those, how many reached the dead-letter topic
 * @param reasons           dead-letter reasons of the bad records, with counts
 * @param steadyP99Ms       typical p99 click-to-list latency before the fault (median of the 2 s buckets)
 * @param recovery          how quickly p99 (per 2 s of send time) got back under twice its steady value
 * @param livenessProbes    liveness probes counted, and the failed ones
 * @param unexpectedExits   processes that exited without the scenario stopping them
 * @param peakRssMiB        peak resident set size per app instance
 * @param checks            scenario-specific checks and whether each held, e.g. "no forged release served"
 * @param p99ByBucket       p99 latency (ms) per bucket start (s since the load began)
 * @param marks             when each fault happened (s since the load began)
 */
record ScenarioResult(Scenario scenario, Verifier.Tally tally, int badSent, int badDeadLettered,
                      Map<String, Integer> reasons, double steadyP99Ms, Recovery recovery, int livenessProbes,
                      int livenessFailures, List<String> unexpectedExits, Map<String, Long> peakRssMiB,
                      Map<String, Boolean> checks, TreeMap<Double, Double> p99ByBucket,
                      List<FaultScript.Mark> marks, String error) {

    ScenarioResult {
        reasons = Map.copyOf(reasons);
        unexpectedExits = List.copyOf(unexpectedExits);
        peakRssMiB = Map.copyOf(peakRssMiB);
        checks = Map.copyOf(checks);
        p99ByBucket = new TreeMap<>(p99ByBucket);
        marks = List.copyOf(marks);
    }

    /** Whether the scenario met every bar the suite sets. */
    boolean passed() {
        return error == null && tally.lost() == 0 && tally.duplicated() == 0 && tally.validDeadLettered() == 0
                && badDeadLettered == badSent && unexpectedExits.isEmpty() && livenessFailures == 0
                && checks.values().stream().allMatch(Boolean::booleanValue)
                && (!scenario.recoveryBar() || recovery.backUnderSeconds() <= 30);
    }
}
