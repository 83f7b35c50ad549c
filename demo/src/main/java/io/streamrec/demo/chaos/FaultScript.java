package io.streamrec.demo.chaos;

import io.streamrec.avro.ModelRelease;
import io.streamrec.trainer.kafka.ModelReleasePublisher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a scenario's faults can do, while the load runs: break and restart processes, publish releases, send bad
 * records, and note checks. Every fault is marked with its time for the report. Used by one thread.
 */
final class FaultScript {

    /** A fault or event on the report's time axis. */
    record Mark(double atSeconds, String label) { }

    private final ChaosCluster cluster;
    private final ChaosRun.Context context;
    private final List<Mark> marks = new ArrayList<>();
    private final Map<String, Boolean> checks = new LinkedHashMap<>();
    private double firstFaultSeconds = Double.NaN;

    FaultScript(ChaosCluster cluster, ChaosRun.Context context) {
        this.cluster = cluster;
        this.context = context;
    }

    ChaosCluster cluster() {
        return cluster;
    }

    ChaosRun.Context context() {
        return context;
    }

    /** Notes a fault now; the first one starts the recovery clock. */
    void fault(String label) {
        double at = context.secondsSinceLoadStart();
        if (Double.isNaN(firstFaultSeconds)) {
            firstFaultSeconds = at;
        }
        marks.add(new Mark(at, label));
        context.log("  " + String.format(java.util.Locale.ROOT, "%6.1f s  %s", at, label));
    }

    /** Notes an event that is not a fault (a restart, say). */
    void event(String label) {
        double at = context.secondsSinceLoadStart();
        marks.add(new Mark(at, label));
        context.log("  " + String.format(java.util.Locale.ROOT, "%6.1f s  %s", at, label));
    }

    void check(String name, boolean held) {
        checks.merge(name, held, Boolean::logicalAnd);
        context.log("  check: " + name + (held ? " - held" : " - FAILED"));
    }

    void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    void publish(ModelRelease release) {
        try (ModelReleasePublisher publisher = new ModelReleasePublisher(cluster.clientConfig(),
                context.modelsTopic())) {
            publisher.publish(release);
        }
    }

    List<Mark> marks() {
        return List.copyOf(marks);
    }

    Map<String, Boolean> checks() {
        return Map.copyOf(checks);
    }

    double firstFaultSeconds() {
        return firstFaultSeconds;
    }
}
