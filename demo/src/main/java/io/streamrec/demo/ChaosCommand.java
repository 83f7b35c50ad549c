package io.streamrec.demo;

import io.streamrec.demo.chaos.ChaosSuite;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code streamrec chaos}: the fault-injection suite on real processes. */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = {"Runs streamrec's chaos suite on this machine: a broker, a schema registry, app instances and"
                + " the trainer in their own JVMs, a fixed click load and a read_committed verifier that keys every"
                + " list to its click. Each scenario breaks something (kill -9, broker or registry outage, bad"
                + " records, forged releases, hostile HTTP clients) and reports lost, duplicated and dead-lettered"
                + " clicks, latency recovery, liveness failures and memory; a table on stdout and an HTML report.",
                "Scenarios: a kill one instance; b kill two; c broker down 30 s; d1 registry down 60 s with a cold"
                        + " restart; d2 registry hanging 60 s with a cold restart; e 10,000 bad records; f hot swap"
                        + " with an instance down, a forged release, a restart and a join; g trainer killed"
                        + " mid-refit and mid-publish, a forged huge version; h forged forwarding headers and slow"
                        + " connections against the probes; s the short version mvn verify runs (a kill, a cold"
                        + " registry outage, bad records on one cluster).",
                "Build first: mvn -B -Dmaven.test.skip=true -pl demo -am package (./streamrec does it)."})
public final class ChaosCommand implements Callable<Integer> {

    @Option(names = "--scenarios", defaultValue = "a,b,c,d1,d2,e,f,g,h", split = ",",
            description = "Which scenarios, in order (default ${DEFAULT-VALUE}).")
    List<String> scenarios;

    @Option(names = "--rate", defaultValue = "200", description = "Valid clicks per second (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--instances", defaultValue = "3", description = "App instances (default ${DEFAULT-VALUE}).")
    int instances;

    @Option(names = "--variant", defaultValue = "history-aneumf", description = "The served model's variant"
            + " (default ${DEFAULT-VALUE}, the product's default).")
    String variant;

    @Option(names = "--warmup-seconds", defaultValue = "60", description = "Load before the steady window: the"
            + " JIT compilers of four JVMs share two cores (default ${DEFAULT-VALUE}).")
    long warmupSeconds;

    @Option(names = "--steady-seconds", defaultValue = "20", description = "The window whose p99 is the steady"
            + " latency (default ${DEFAULT-VALUE}).")
    long steadySeconds;

    @Option(names = "--drain-seconds", defaultValue = "180", description = "How long to wait after the load for the"
            + " last lists and dead letters (default ${DEFAULT-VALUE}).")
    long drainSeconds;

    @Option(names = "--bad-clicks", defaultValue = "8000", description = "Bad records on clicks in scenario e.")
    int badClicks;

    @Option(names = "--bad-releases", defaultValue = "2000", description = "Bad records on models in scenario e.")
    int badReleases;

    @Option(names = "--dir", defaultValue = "run/chaos", description = "Working directory (default ${DEFAULT-VALUE}).")
    Path directory;

    @Option(names = "--app-java-options", defaultValue = "-Xmx512m -XX:+ExitOnOutOfMemoryError",
            description = "JVM options of each app instance (default ${DEFAULT-VALUE}).")
    String appJavaOptions;

    @Option(names = "--app-set", paramLabel = "KEY=VALUE", description = "A streams app setting (repeatable).")
    List<String> appSettings = List.of();

    @Option(names = "--out", description = "Also write the markdown table here.")
    Path out;

    @Option(names = "--seed", defaultValue = "21")
    long seed;

    @Option(names = "--jars", defaultValue = ".", description = "The project directory whose modules' target/ hold"
            + " the jars (default: the current directory).")
    Path project;

    @Override
    public Integer call() throws Exception {
        Map<String, String> overrides;
        try {
            overrides = AppSettingOptions.parse(appSettings);
        } catch (ConfigException e) {
            System.err.println("streamrec chaos: --app-set: " + e.getMessage());
            return 2;
        }
        ChaosSuite.Options options = new ChaosSuite.Options(new ArrayList<>(scenarios), rate, instances, variant,
                warmupSeconds, steadySeconds, drainSeconds, badClicks, badReleases, directory, appJavaOptions,
                overrides, out, seed, project);
        return new ChaosSuite(options, System.out).run() ? 0 : 1;
    }
}
