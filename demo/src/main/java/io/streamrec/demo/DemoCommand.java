package io.streamrec.demo;

import io.streamrec.demo.run.DemoResult;
import io.streamrec.demo.run.DemoRun;
import io.streamrec.demo.run.DemoSettings;
import io.streamrec.devstack.DevStackException;
import io.streamrec.schemas.process.GracefulStop;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code streamrec demo}: the whole pipeline on an embedded stack, with a live view and an HTML report. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the whole pipeline on an embedded local stack: a real KRaft broker and schema registry,"
                + " the trainer (first model, then a refit part-way), the streams app, and replayed clicks with a"
                + " live status line; shows the hot swap and writes an HTML report.",
                "Stops after --duration or on Ctrl-C."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "PATH", description = "A MovieLens ratings.dat / u.data file, or a folder"
            + " with an NCF split (*.train.rating), MovieLens files or Last.fm data1.txt. Default: the synthetic dataset.")
    Path data;

    @Option(names = "--users", defaultValue = "2000", description = "Synthetic dataset users (default ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--items", defaultValue = "1000", description = "Synthetic dataset items (default ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--rate", defaultValue = "200", description = "Clicks per second (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", defaultValue = "60", description = "Seconds of replayed clicks (default"
            + " ${DEFAULT-VALUE}).")
    long durationSeconds;

    @Option(names = "--retrain-after", defaultValue = "20", description = "Seconds into the replay at which a refit is"
            + " requested (default ${DEFAULT-VALUE}).")
    long retrainAfterSeconds;

    @Option(names = "--replay-fraction", defaultValue = "0.25", description = "Newest share of each user's"
            + " interactions replayed as clicks; the rest is history (default ${DEFAULT-VALUE}).")
    double replayFraction;

    @Option(names = "--dir", defaultValue = "run/demo", description = "Working directory, wiped at start (default"
            + " ${DEFAULT-VALUE}).")
    Path directory;

    @Option(names = "--broker-port", defaultValue = "9092", description = "Kafka port, 0 = any free (default"
            + " ${DEFAULT-VALUE}).")
    int brokerPort;

    @Option(names = "--registry-port", defaultValue = "8081", description = "Schema registry port, 0 = any free"
            + " (default ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--http-port", defaultValue = "8080", description = "Streams app HTTP port, 0 = any free (default"
            + " ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--variant", defaultValue = "history-aneumf", description = "Model variant: gmf, mlp, neumf,"
            + " aneumf, history-aneumf (default ${DEFAULT-VALUE}).")
    String variant;

    @Option(names = "--model-size", defaultValue = "default", description = "default, or small for quick runs.")
    String modelSize;

    @Option(names = "--gate-tolerance", defaultValue = "0.02", description = "The refit's publish gate accepts a new"
            + " model whose NDCG@10 is at most this much below the serving one's; a demo's small holdout is noisy"
            + " (default ${DEFAULT-VALUE}; production default 0.005).")
    double gateTolerance;

    @Option(names = "--seed", defaultValue = "7", description = "Seeds the dataset and the replay (default"
            + " ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--short", description = "A quick run (about 40 s after the build): a small dataset and model,"
            + " 25 s of clicks, free ports. For CI and a first look.")
    boolean quick;

    /** The settings these options describe. */
    DemoSettings settings() {
        if (quick) {
            return new DemoSettings(directory, Optional.ofNullable(data), 400, 300, replayFraction, 100,
                    Duration.ofSeconds(25), Duration.ofSeconds(6), 0, 0, 0, variant, "small", 2, gateTolerance, seed);
        }
        return new DemoSettings(directory, Optional.ofNullable(data), users, items, replayFraction, rate,
                Duration.ofSeconds(durationSeconds), Duration.ofSeconds(retrainAfterSeconds), brokerPort,
                registryPort, httpPort, variant, modelSize, 3, gateTolerance, seed);
    }

    @Override
    public Integer call() throws Exception {
        DemoSettings settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException e) {
            System.err.println("streamrec demo: " + e.getMessage());
            return 2;
        }
        DemoRun run = new DemoRun(settings, System.out);
        // Ctrl-C stops the run, which closes the app and its model sessions before the JVM's shutdown begins.
        return GracefulStop.run("demo", run::stop, () -> {
            try {
                DemoResult result = run.run();
                System.out.println();
                System.out.println("Report: " + result.report().toAbsolutePath());
                return 0;
            } catch (DevStackException | IllegalArgumentException | IllegalStateException e) {
                System.err.println();
                System.err.println("streamrec demo: " + e.getMessage());
                return 1;
            }
        });
    }
}
