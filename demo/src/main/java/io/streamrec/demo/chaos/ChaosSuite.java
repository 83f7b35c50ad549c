package io.streamrec.demo.chaos;

import io.streamrec.avro.ModelRelease;
import io.streamrec.demo.bench.SyntheticReleases;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.trainer.data.Corpus;
import io.streamrec.trainer.data.SyntheticConfig;
import io.streamrec.trainer.data.SyntheticGenerator;
import io.streamrec.trainer.service.TrainerServiceConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The chaos suite: trains one model for every scenario, runs the chosen scenarios one after another on fresh
 * clusters ({@link ChaosRun}), prints the table and writes the HTML report. Entry point of {@code streamrec
 * chaos} and of the short version in {@code mvn verify}.
 */
public final class ChaosSuite {

    /** What to run. Immutable. */
    public record Options(List<String> scenarios, double rate, int instances, String variant, long warmupSeconds,
                          long steadySeconds, long drainSeconds, int badClicks, int badReleases, Path directory,
                          String appJavaOptions, Map<String, String> appOverrides, Path markdownOut, long seed,
                          Path project) {
        public Options {
            scenarios = List.copyOf(scenarios);
            appOverrides = Map.copyOf(appOverrides);
        }
    }

    private static final int USERS = 6040;
    private static final int ITEMS = 3706;

    private final Options options;
    private final PrintStream out;

    public ChaosSuite(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Runs every scenario; true when all of them met their bars. */
    public boolean run() throws IOException, InterruptedException {
        return runAll().stream().allMatch(ScenarioResult::passed);
    }

    /** Runs every scenario and returns the results. */
    List<ScenarioResult> runAll() throws IOException, InterruptedException {
        List<Scenario> scenarios = options.scenarios().stream().map(Scenario::byId).toList();
        Files.createDirectories(options.directory());
        out.printf(Locale.ROOT, "==> training %s at MovieLens-1M size (%d users, %d items), one epoch%n",
                options.variant(), USERS, ITEMS);
        Corpus corpus = SyntheticGenerator.generate(SyntheticConfig.defaults().withSize(USERS, ITEMS)
                .withSeed(options.seed()));
        KeyPair keys = ReleaseKeys.generate();
        ModelRelease trained = SyntheticReleases.train(options.variant(), corpus, keys, 1, options.seed());
        ChaosRun run = new ChaosRun(settings(), corpus, ChaosRun.releases(trained, keys), out);
        List<ScenarioResult> results = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            results.add(run.run(scenario));
        }
        String header = header();
        String table = ChaosReport.markdown(results, header);
        out.println();
        out.println(table);
        Path html = ChaosReport.writeHtml(options.directory().resolve("report.html"), results, header);
        out.println("report: " + html);
        if (options.markdownOut() != null) {
            Files.writeString(options.markdownOut(), table, StandardCharsets.UTF_8);
        }
        return results;
    }

    private ChaosRun.Settings settings() {
        Path project = options.project();
        return new ChaosRun.Settings(options.directory(),
                project.resolve("devstack/target/devstack-0.1.0-SNAPSHOT.jar"),
                project.resolve("streams-app/target/streams-app-0.1.0-SNAPSHOT.jar"),
                project.resolve("trainer/target/trainer-0.1.0-SNAPSHOT.jar"),
                Arrays.asList(options.appJavaOptions().trim().split("\\s+")), options.appOverrides(),
                trainerOverrides(), options.instances(), options.rate(), Duration.ofSeconds(options.warmupSeconds()),
                Duration.ofSeconds(options.steadySeconds()), Duration.ofSeconds(options.drainSeconds()),
                options.badClicks(), options.badReleases(), options.seed());
    }

    /** A small, quick refit that always publishes: the trainer scenario tests numbering, not accuracy. */
    private static Map<String, String> trainerOverrides() {
        return Map.of(TrainerServiceConfig.MODEL_FACTORS_CONFIG, "8",
                TrainerServiceConfig.MODEL_LAYERS_CONFIG, "16,8",
                TrainerServiceConfig.MODEL_HISTORY_LENGTH_CONFIG, "10",
                TrainerServiceConfig.TRAIN_MAX_EPOCHS_CONFIG, "3",
                TrainerServiceConfig.TRAIN_THREADS_CONFIG, "1",
                TrainerServiceConfig.GATE_TOLERANCE_CONFIG, "1.0",
                TrainerServiceConfig.SERVICE_MIN_NEW_INTERACTIONS_CONFIG, "1000000000");
    }

    private String header() {
        return String.format(Locale.ROOT, "Chaos suite, %s; %d instances (%s, exactly-once, one standby) of %s at"
                        + " %.0f clicks/s; broker, registry, trainer and load generator on the same machine (%d"
                        + " cores); `streamrec chaos --scenarios %s`", Instant.now().toString().substring(0, 10),
                options.instances(), options.appJavaOptions(), options.variant(), options.rate(),
                Runtime.getRuntime().availableProcessors(), String.join(",", options.scenarios()));
    }
}
