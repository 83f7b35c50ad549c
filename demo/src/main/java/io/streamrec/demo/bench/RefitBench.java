package io.streamrec.demo.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrec.demo.data.DemoData;
import io.streamrec.demo.data.InteractionSeeder;
import io.streamrec.demo.run.DemoDatasets;
import io.streamrec.devstack.LocalStack;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.model.ReleaseSigner;
import io.streamrec.schemas.serde.RestSchemaRegistryClient;
import io.streamrec.schemas.serde.SchemaRegistryClient;
import io.streamrec.schemas.topics.TopicCatalog;
import io.streamrec.trainer.data.Corpus;
import io.streamrec.trainer.service.RefitOutcome;
import io.streamrec.trainer.service.TrainerService;
import io.streamrec.trainer.service.TrainerServiceConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The trainer's refit measured from the topic: a dataset's interactions are written to the interactions topic of
 * a local broker, then one or more refits of one trainer service (snapshot, split, train, evaluate, export,
 * publish; the later ones warm-started from the earlier) are timed phase by phase, with their peak heap.
 */
public final class RefitBench {

    private final Corpus corpus;
    private final Map<String, Object> trainerSettings;
    private final Path directory;
    private final PrintStream out;
    private final int refits;

    /**
     * @param corpus what to write to the topic ({@link DemoDatasets#load}, or a scale generator's corpus)
     * @param refits how many refits in a row, at least 1
     */
    public RefitBench(Corpus corpus, Map<String, Object> trainerSettings, Path directory, PrintStream out,
                      int refits) {
        if (refits < 1) {
            throw new IllegalArgumentException("refits must be >= 1, got " + refits);
        }
        this.refits = refits;
        this.corpus = corpus;
        this.trainerSettings = new HashMap<>(trainerSettings);
        this.directory = directory;
        this.out = out;
    }

    /** Runs the refits and returns the markdown summary. */
    public String run() throws Exception {
        out.printf(Locale.ROOT, "==> %s: %,d users, %,d items, %,d interactions%n", corpus.name(), corpus.users().size(),
                corpus.items().size(), corpus.interactions().size());
        try (LocalStack stack = LocalStack.start(LocalStack.Settings.in(directory.resolve("stack")).withBrokerPort(0)
                .withRegistryPort(0))) {
            SchemaRegistryClient registry = RestSchemaRegistryClient.forUrl(stack.schemaRegistryUrl());
            Map<String, Object> settings = new HashMap<>(stack.clientProperties());
            settings.put(TrainerServiceConfig.REPORT_DIR_CONFIG, directory.resolve("reports").toString());
            settings.putAll(trainerSettings);
            long seedStart = System.nanoTime();
            long written = InteractionSeeder.seed(new DemoData(corpus, 0, 1), settings, registry,
                    TopicCatalog.INTERACTIONS.name(), Instant.parse("2026-01-01T00:00:00Z"));
            out.printf(Locale.ROOT, "==> %,d interactions written to the topic in %.1f s%n", written,
                    (System.nanoTime() - seedStart) / 1e9);
            List<RefitOutcome> outcomes = new ArrayList<>();
            try (TrainerService service = new TrainerService(new TrainerServiceConfig(settings), settings, registry,
                    new ReleaseSigner(ReleaseKeys.generate()), Clock.systemUTC(), new SimpleMeterRegistry())) {
                for (int run = 1; run <= refits; run++) {
                    out.printf(Locale.ROOT, "==> refit %d of %d%n", run, refits);
                    outcomes.add(service.runOnce());
                }
            }
            StringBuilder table = new StringBuilder();
            table.append(String.format(Locale.ROOT, "Refits of %s (%,d interactions) from the interactions topic, %s;"
                            + " max heap %d MiB. A refit after a published one starts from its parameters when"
                            + " train.warm.start is on (the default).%n%n", corpus.name(), outcomes.get(0).pairs(),
                    new TrainerServiceConfig(settings).candidateConfigs().stream().map(c -> c.describe())
                            .collect(java.util.stream.Collectors.joining(" and ", "candidates ", "")),
                    Runtime.getRuntime().maxMemory() >> 20));
            outcomes.get(outcomes.size() - 1).selection().ifPresent(selection -> table.append("Last refit's selection: ")
                    .append(selection.reason()).append(selection.warning().map(w -> "; " + w).orElse("")).append(".\n\n"));
            table.append("| phase |");
            for (int run = 1; run <= outcomes.size(); run++) {
                table.append(" refit ").append(run).append(" s |");
            }
            table.append("\n|---|").append("---|".repeat(outcomes.size())).append('\n');
            for (String phase : outcomes.get(0).phases().keySet()) {
                table.append("| ").append(phase).append(" |");
                for (RefitOutcome o : outcomes) {
                    Duration time = o.phases().getOrDefault(phase, Duration.ZERO);
                    table.append(String.format(Locale.ROOT, " %.1f |", time.toMillis() / 1000.0));
                }
                table.append('\n');
            }
            appendRow(table, "**total (topic to published release)**", outcomes, o -> String.format(Locale.ROOT,
                    "**%.1f**", o.phases().values().stream().mapToLong(Duration::toMillis).sum() / 1000.0));
            appendRow(table, "epochs", outcomes, o -> Integer.toString(o.epochs().size()));
            appendRow(table, "decision", outcomes, o -> o.decision() + " v" + o.version());
            appendRow(table, "HR@10 / NDCG@10 (held-out)", outcomes, o -> o.candidate()
                    .map(m -> String.format(Locale.ROOT, "%.4f / %.4f", m.hitRate(), m.ndcg())).orElse("-"));
            appendRow(table, "peak heap MiB", outcomes, o -> Long.toString(o.peakHeapBytes() >> 20));
            for (int run = 1; run <= outcomes.size(); run++) {
                String epochs = outcomes.get(run - 1).epochs().stream()
                        .map(e -> String.format(Locale.ROOT, "%.1f s", e.seconds()))
                        .reduce((a, b) -> a + ", " + b).orElse("none");
                table.append(String.format(Locale.ROOT, "%nRefit %d epochs: %s", run, epochs));
            }
            table.append('\n');
            return table.toString();
        }
    }

    private static void appendRow(StringBuilder table, String label, List<RefitOutcome> outcomes,
                                  Function<RefitOutcome, String> cell) {
        table.append("| ").append(label).append(" |");
        outcomes.forEach(o -> table.append(' ').append(cell.apply(o)).append(" |"));
        table.append('\n');
    }
}
