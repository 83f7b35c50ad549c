package io.streamrec.demo.chaos;

import io.streamrec.avro.ModelRelease;
import io.streamrec.demo.bench.ChildJvm;
import io.streamrec.trainer.kafka.ModelReleaseReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model-release scenarios: a hot swap while an instance is down, a forged release, instances that restart or
 * join later; the trainer killed mid-refit and mid-publish, and a forged release with a huge version that must not
 * derail its numbering.
 */
final class ModelSwaps {

    private static final Pattern PUBLISHED = Pattern.compile("event=release_published model=\\S+ version=(\\d+)");

    private ModelSwaps() {
    }

    static void swapWhileDown(FaultScript script) throws Exception {
        ChaosCluster cluster = script.cluster();
        List<ChildJvm> apps = cluster.apps();
        ChildJvm down = apps.get(2);
        try (VersionWatch watch = new VersionWatch(cluster)) {
            script.fault("kill -9 " + down.name());
            down.kill();
            script.sleep(Duration.ofSeconds(5));
            script.event("publish v2");
            script.publish(script.context().release(2));
            cluster.awaitServing(apps.get(0), 2);
            cluster.awaitServing(apps.get(1), 2);
            script.event("publish forged v3 (signed with an untrusted key)");
            script.publish(script.context().forgedRelease(3));
            script.sleep(Duration.ofSeconds(10));
            script.event("restart " + down.name());
            cluster.startApp(down, 2);
            ChildJvm fourth = cluster.addApp();
            script.event("a fourth instance joins");
            cluster.startApp(fourth, 2);
            script.sleep(Duration.ofSeconds(5));
            script.check("no instance ever served the forged v3", !watch.seen(3));
            script.check("every instance serves v2 after restarts and a join",
                    cluster.apps().stream().allMatch(app -> cluster.servingVersion(app) == 2));
        }
    }

    static void trainerFaults(FaultScript script) throws Exception {
        ChaosCluster cluster = script.cluster();
        Path log = cluster.trainerLog();
        try (VersionWatch watch = new VersionWatch(cluster)) {
            long from = size(log);
            script.event("trainer starts and refits");
            cluster.startTrainer(true);
            awaitLog(log, from, "event=refit_init", Duration.ofMinutes(3));
            script.sleep(Duration.ofSeconds(1));
            script.fault("kill -9 trainer mid-refit");
            cluster.trainer().kill();

            from = size(log);
            script.event("trainer restarted");
            cluster.startTrainer(true);
            awaitLog(log, from, "event=gate_publish", Duration.ofMinutes(10));
            script.fault("kill -9 trainer mid-publish");
            cluster.trainer().kill();
            script.sleep(Duration.ofSeconds(5));
            long published = latestVersion(script);
            script.event("v" + published + " is the latest release on the topic");

            long forged = Long.MAX_VALUE - 1;
            script.fault("publish a forged release with version " + forged);
            script.publish(script.context().forgedRelease(forged));
            from = size(log);
            script.event("trainer restarted");
            cluster.startTrainer(true);
            long next = Long.parseLong(awaitLog(log, from, PUBLISHED, Duration.ofMinutes(10)).group(1));
            script.event("trainer published v" + next);
            script.check("the trainer numbers from the last verified release (v" + published + " + 1)",
                    next == published + 1);
            for (ChildJvm app : cluster.apps()) {
                cluster.awaitServing(app, next);
            }
            script.check("no instance ever served the forged release", !watch.seen(forged));
            cluster.trainer().stop(Duration.ofSeconds(30));
        }
    }

    private static long latestVersion(FaultScript script) {
        ModelReleaseReader reader = new ModelReleaseReader(script.cluster().clientConfig(),
                script.context().modelsTopic(), Duration.ofMinutes(1), script.context().trainerVerifier());
        return reader.read().latest("default").map(ModelRelease::getVersion).orElse(0L);
    }

    private static long size(Path log) throws IOException {
        return Files.exists(log) ? Files.size(log) : 0;
    }

    private static void awaitLog(Path log, long from, String text, Duration timeout) throws InterruptedException {
        Waits.until(timeout, "'" + text + "' in " + log, () -> Scenario.logSince(log, from).contains(text));
    }

    private static Matcher awaitLog(Path log, long from, Pattern pattern, Duration timeout)
            throws InterruptedException {
        Matcher[] found = new Matcher[1];
        Waits.until(timeout, "'" + pattern + "' in " + log, () -> {
            Matcher matcher = pattern.matcher(Scenario.logSince(log, from));
            if (matcher.find()) {
                found[0] = matcher;
                return true;
            }
            return false;
        });
        return found[0];
    }

    /** Polls every instance's serving version twice a second and remembers every version seen. */
    static final class VersionWatch implements AutoCloseable {

        private final Set<Long> seen = ConcurrentHashMap.newKeySet();
        private final Thread poller;
        private volatile boolean running = true;

        VersionWatch(ChaosCluster cluster) {
            this.poller = new Thread(() -> {
                while (running) {
                    for (ChildJvm app : cluster.apps()) {
                        if (app.running()) {
                            seen.add(cluster.servingVersion(app));
                        }
                    }
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "chaos-version-watch");
            poller.setDaemon(true);
            poller.start();
        }

        boolean seen(long version) {
            return seen.contains(version);
        }

        @Override
        public void close() {
            running = false;
            poller.interrupt();
            try {
                poller.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the caller's interrupt stays visible
            }
        }
    }
}
