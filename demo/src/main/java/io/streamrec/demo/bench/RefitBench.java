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
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The trainer's refit measured from the topic: a dataset's interactions are written to the interactions topic of
 * a local broker, then one {@code trainer once} run (snapshot, split, train, evaluate, export, publish) is timed
 * phase by phase, with its peak heap.
 */
public final class RefitBench {

    private final Optional<Path> data;
    private final Map<String, Object> trainerSettings;
    private final Path directory;
    private final PrintStream out;

    public RefitBench(Optional<Path> data, Map<String, Object> trainerSettings, Path directory, PrintStream out) {
        this.data = data;
        this.trainerSettings = new HashMap<>(trainerSettings);
        this.directory = directory;
        this.out = out;
    }

    /** Runs the refit and returns the markdown summary. */
    public String run() throws Exception {
        Corpus corpus = DemoDatasets.load(data, 6040, 3706, 7);
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
            RefitOutcome outcome;
            try (TrainerService service = new TrainerService(new TrainerServiceConfig(settings), settings, registry,
                    new ReleaseSigner(ReleaseKeys.generate()), Clock.systemUTC(), new SimpleMeterRegistry())) {
                outcome = service.runOnce();
            }
            StringBuilder table = new StringBuilder();
            table.append(String.format(Locale.ROOT, "Refit of %s (%,d interactions) from the interactions topic: %s v%d,"
                            + " %s; HR@10 %.4f, NDCG@10 %.4f on %d held-out users; peak heap %d MiB (%s)%n%n",
                    corpus.name(), outcome.pairs(), outcome.decision(), outcome.version(),
                    new TrainerServiceConfig(settings).modelConfig().describe(),
                    outcome.candidate().map(m -> m.hitRate()).orElse(Double.NaN),
                    outcome.candidate().map(m -> m.ndcg()).orElse(Double.NaN), outcome.gateUsers(),
                    outcome.peakHeapBytes() >> 20, "max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB"));
            table.append("| phase | seconds |\n|---|---|\n");
            long total = 0;
            for (Map.Entry<String, Duration> phase : outcome.phases().entrySet()) {
                total += phase.getValue().toMillis();
                table.append(String.format(Locale.ROOT, "| %s | %.1f |%n", phase.getKey(),
                        phase.getValue().toMillis() / 1000.0));
            }
            table.append(String.format(Locale.ROOT, "| **total (topic to published release)** | **%.1f** |%n",
                    total / 1000.0));
            table.append(String.format(Locale.ROOT, "%nEpochs: %d (%s)%n", outcome.epochs().size(),
                    outcome.epochs().stream().map(e -> String.format(Locale.ROOT, "%.1f s", e.seconds()))
                            .reduce((a, b) -> a + ", " + b).orElse("none")));
            return table.toString();
        }
    }
}
