package io.streamrec.demo;

import io.streamrec.demo.bench.BenchTable;
import io.streamrec.demo.bench.EndToEndBench;
import io.streamrec.devstack.Directories;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code streamrec bench}: the end-to-end benchmark of the streams app through a real broker. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Drives the streams app (one or more instances, each in its own JVM) through the local broker at"
                + " fixed click rates and prints sustained throughput in total and per instance, click→list latency"
                + " p50/p99, CPU per instance, the output gap around a hot swap, RSS, and state bytes per user.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--variant", defaultValue = "neumf", description = "Model: gmf, mlp, neumf, aneumf, history-aneumf,"
            + " history-gmf64 (the history-attentive model with a GMF-only head) or history-recent (with the recent-item"
            + " attention query) (default ${DEFAULT-VALUE}).")
    String variant;

    @Option(names = "--rates", defaultValue = "250,500,1000", split = ",", description = "Click rates to step"
            + " through (default ${DEFAULT-VALUE}).")
    List<Double> rates;

    @Option(names = "--step-seconds", defaultValue = "30", description = "Seconds per rate (default ${DEFAULT-VALUE}).")
    long stepSeconds;

    @Option(names = "--warmup-seconds", defaultValue = "180", description = "Warm-up at the first rate (default"
            + " ${DEFAULT-VALUE}: on 2 cores the app's JIT compiler keeps compiling the Kafka clients for about two"
            + " minutes, taking CPU from the stream thread).")
    long warmupSeconds;

    @Option(names = "--swap-rate", defaultValue = "0", description = "Rate of the hot-swap phase; 0 skips it.")
    double swapRate;

    @Option(names = "--soak-minutes", defaultValue = "0", description = "Minutes of a memory soak; 0 skips it.")
    long soakMinutes;

    @Option(names = "--soak-rate", defaultValue = "500", description = "Rate of the soak (default ${DEFAULT-VALUE}).")
    double soakRate;

    @Option(names = "--dir", defaultValue = "run/bench", description = "Working directory (default ${DEFAULT-VALUE}).")
    Path directory;

    @Option(names = "--app-jar", defaultValue = "streams-app/target/streams-app-0.1.0-SNAPSHOT.jar",
            description = "The streams app jar (default ${DEFAULT-VALUE}).")
    Path appJar;

    @Option(names = "--app-java-options", defaultValue = "-Xms512m -Xmx1g",
            description = "JVM options of the app (default ${DEFAULT-VALUE}).")
    String appJavaOptions;

    @Option(names = "--app-set", paramLabel = "KEY=VALUE", description = "A streams app setting (repeatable), e.g."
            + " commit.interval.ms=50.")
    List<String> appSettings = List.of();

    @Option(names = "--partitions", defaultValue = "0", description = "Partitions of the clicks, recommendations and"
            + " other keyed topics; 0 keeps the topic catalog's (6). Each partition is a task whose state changelogs"
            + " and outputs join every exactly-once transaction; at least as many as --instances.")
    int partitions;

    @Option(names = "--instances", defaultValue = "1", split = ",", paramLabel = "N[,N...]", description = "Streams-app"
            + " instances, each in its own JVM with its own state directory, in one consumer group (default"
            + " ${DEFAULT-VALUE}). Several counts (e.g. 1,2,3) run the same steps for each on a fresh stack and"
            + " report them in one table.")
    List<Integer> instances;

    @Option(names = "--search-max-rate", description = "After the rates, step up from the last one by a quarter"
            + " at a time until the app no longer sustains it (p99 > 250 ms or a growing backlog), and report the"
            + " highest rate sustained.")
    boolean searchMaxRate;

    @Option(names = "--scale", paramLabel = "SPEC", description = "Serve a large catalogue from the scale generator:"
            + " a preset (100k, 1m) or USERS:ITEMS:INTERACTIONS; default: MovieLens-1M's size.")
    String scale;

    @Option(names = "--training-users", defaultValue = "200000", description = "With --scale: the users the model"
            + " trains on; the others click as unknown users (default ${DEFAULT-VALUE}).")
    int trainingUsers;

    @Option(names = "--out", description = "Also write the markdown table here.")
    Path out;

    @Option(names = "--seed", defaultValue = "11")
    long seed;

    @Override
    public Integer call() throws Exception {
        List<EndToEndBench.Settings> runs;
        try {
            runs = runs();
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println("streamrec bench: " + e.getMessage());
            return 2;
        }
        List<EndToEndBench.Result> results = new ArrayList<>();
        for (EndToEndBench.Settings run : runs) {
            // Each count starts from nothing: a fresh broker, registry and state, so no run inherits another's.
            Directories.deleteRecursively(directory.resolve("stack"));
            Directories.deleteRecursively(directory.resolve("state"));
            results.add(new EndToEndBench(run, System.out).run());
        }
        String markdown = BenchTable.markdown(results);
        System.out.println();
        System.out.println(markdown);
        if (out != null) {
            Files.writeString(out, markdown, StandardCharsets.UTF_8);
        }
        return 0;
    }

    /**
     * The settings of each run, one per instance count, in the order given.
     *
     * @throws ConfigException          when an {@code --app-set} is not a valid setting
     * @throws IllegalArgumentException when an option is out of range (instances below 1, fewer partitions than
     *                                  instances)
     */
    List<EndToEndBench.Settings> runs() {
        Map<String, String> overrides;
        try {
            overrides = AppSettingOptions.parse(appSettings);
        } catch (ConfigException e) {
            throw new ConfigException("--app-set: " + e.getMessage());
        }
        if (instances.isEmpty() || rates.isEmpty()) {
            throw new IllegalArgumentException("--instances and --rates each need at least one value");
        }
        List<EndToEndBench.Settings> runs = new ArrayList<>();
        for (int count : instances) {
            runs.add(new EndToEndBench.Settings(variant, rates, Duration.ofSeconds(stepSeconds),
                    Duration.ofSeconds(warmupSeconds), swapRate, Duration.ofMinutes(soakMinutes), soakRate, directory,
                    appJar, appJavaOptions, overrides, partitions, seed, searchMaxRate, scale, trainingUsers, count));
        }
        return runs;
    }
}
