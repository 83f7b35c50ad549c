package io.streamrec.demo.chaos;

import io.streamrec.demo.bench.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The chaos suite's scenarios, one row each in the report. Each runs its faults while the cluster is under steady
 * load, after the warm-up and the steady window; the run then keeps the load on for {@link #afterFault()} and
 * drains.
 */
enum Scenario {

    KILL_ONE("a", "kill -9 one instance, restart it 20 s later", true) {
        @Override
        void inject(FaultScript script) throws Exception {
            ChildJvm app = script.cluster().apps().get(0);
            script.fault("kill -9 " + app.name());
            app.kill();
            script.sleep(Duration.ofSeconds(20));
            script.event("restart " + app.name());
            app.start();
        }
    },

    KILL_TWO("b", "kill -9 two of three instances, restart both 20 s later", false) {
        @Override
        void inject(FaultScript script) throws Exception {
            List<ChildJvm> apps = script.cluster().apps();
            script.fault("kill -9 " + apps.get(0).name() + " and " + apps.get(1).name());
            apps.get(0).kill();
            apps.get(1).kill();
            script.sleep(Duration.ofSeconds(20));
            script.event("restart both");
            apps.get(0).start();
            apps.get(1).start();
        }
    },

    BROKER_DOWN("c", "broker killed for 30 s under load, then restarted", false) {
        @Override
        void inject(FaultScript script) throws Exception {
            ChildJvm broker = script.cluster().broker();
            script.fault("kill -9 broker");
            broker.kill();
            script.sleep(Duration.ofSeconds(30));
            script.event("restart broker");
            broker.start();
            Waits.until(Duration.ofMinutes(2), "the broker to answer again",
                    () -> Waits.brokerAnswers(script.cluster().bootstrapServers()));
        }
    },

    REGISTRY_DOWN("d1", "registry down 60 s; an instance restarted meanwhile (cold cache)", false) {
        @Override
        void inject(FaultScript script) throws Exception {
            registryOutage(script, false);
        }
    },

    REGISTRY_HANGS("d2", "registry accepts connections but never answers for 60 s; an instance restarted meanwhile",
            false) {
        @Override
        void inject(FaultScript script) throws Exception {
            registryOutage(script, true);
        }
    },

    FUZZ("e", "10,000 bad records on clicks and models, interleaved with valid clicks", false) {
        @Override
        void inject(FaultScript script) throws Exception {
            script.fault("bad records start");
            script.context().sendFuzz(script);
            script.event("bad records sent");
        }
    },

    SWAP_WHILE_DOWN("f", "hot swap with one instance down; a forged release; restart and a fourth instance", false) {
        @Override
        void inject(FaultScript script) throws Exception {
            ModelSwaps.swapWhileDown(script);
        }

        @Override
        Duration afterFault() {
            return Duration.ofSeconds(30);
        }
    },

    TRAINER("g", "trainer killed mid-refit and mid-publish; a forged release with a huge version", false) {
        @Override
        void inject(FaultScript script) throws Exception {
            ModelSwaps.trainerFaults(script);
        }

        @Override
        Duration afterFault() {
            return Duration.ofSeconds(20);
        }

        @Override
        boolean needsTrainer() {
            return true;
        }
    },

    /** The short version that {@code mvn verify} runs: one of each of the commonest faults, on one cluster. */
    SHORT("s", "kill -9 and restart; registry down with a cold restart; a batch of bad records", false) {
        @Override
        void inject(FaultScript script) throws Exception {
            List<ChildJvm> apps = script.cluster().apps();
            script.fault("kill -9 " + apps.get(0).name());
            apps.get(0).kill();
            script.sleep(Duration.ofSeconds(10));
            script.event("restart " + apps.get(0).name());
            script.cluster().startApp(apps.get(0), -1);
            ChildJvm registry = script.cluster().registry();
            script.fault("kill -9 registry, then " + apps.get(1).name() + " (restarted with a cold cache)");
            registry.kill();
            apps.get(1).kill();
            apps.get(1).start();
            script.sleep(Duration.ofSeconds(20));
            script.event("restart registry");
            registry.start();
            script.cluster().awaitServing(apps.get(1), -1);
            script.fault("bad records");
            script.context().sendFuzz(script);
        }

        @Override
        Duration afterFault() {
            return Duration.ofSeconds(10);
        }
    },

    HOSTILE_HTTP("h", "50 requests/s with forged forwarding headers and slow half-open connections", false) {
        @Override
        void inject(FaultScript script) throws Exception {
            script.fault("hostile HTTP clients start");
            try (HostileClients hostile = HostileClients.start(script.cluster(), 50, 50)) {
                script.sleep(Duration.ofSeconds(40));
                script.event("hostile HTTP clients stop (" + hostile.summary() + ")");
            }
        }
    };

    private final String id;
    private final String title;
    private final boolean recoveryBar;

    Scenario(String id, String title, boolean recoveryBar) {
        this.id = id;
        this.title = title;
        this.recoveryBar = recoveryBar;
    }

    String id() {
        return id;
    }

    String title() {
        return title;
    }

    /**
     * Whether the latency-recovery bar (p99 back under twice its steady value within 30 s) applies: the suite sets
     * it for the loss of one instance with standbys; the other scenarios report their recovery without a bar.
     */
    boolean recoveryBar() {
        return recoveryBar;
    }

    /** How long the load continues after {@link #inject} returns. */
    Duration afterFault() {
        return Duration.ofSeconds(40);
    }

    /** Whether the trainer service runs in this scenario (it costs CPU that the others do not need to give). */
    boolean needsTrainer() {
        return false;
    }

    abstract void inject(FaultScript script) throws Exception;

    static Scenario byId(String id) {
        for (Scenario scenario : values()) {
            if (scenario.id.equalsIgnoreCase(id) || scenario.name().equalsIgnoreCase(id)) {
                return scenario;
            }
        }
        throw new IllegalArgumentException("no scenario " + id + "; known: a, b, c, d1, d2, e, f, g, h, s");
    }

    private static void registryOutage(FaultScript script, boolean hang) throws Exception {
        ChildJvm registry = script.cluster().registry();
        ChildJvm app = script.cluster().apps().get(hang ? 1 : 0);
        if (hang) {
            script.fault("registry frozen (SIGSTOP)");
            registry.freeze();
        } else {
            script.fault("kill -9 registry");
            registry.kill();
        }
        script.sleep(Duration.ofSeconds(2));
        script.event("kill -9 " + app.name() + ", restart it (cold schema cache)");
        app.kill();
        app.start();
        script.sleep(Duration.ofSeconds(58));
        if (hang) {
            script.event("registry thawed (SIGCONT)");
            registry.thaw();
        } else {
            script.event("restart registry");
            registry.start();
        }
        script.cluster().awaitServing(app, -1);
        script.event(app.name() + " serves again");
        script.check(app.name() + " serves a model after the outage", script.cluster().servingVersion(app) > 0);
    }

    /** The lines a log file gained after {@code fromByte}. */
    static String logSince(Path log, long fromByte) throws IOException {
        byte[] all = Files.readAllBytes(log);
        return fromByte >= all.length ? "" : new String(all, (int) fromByte, all.length - (int) fromByte,
                StandardCharsets.UTF_8);
    }
}
