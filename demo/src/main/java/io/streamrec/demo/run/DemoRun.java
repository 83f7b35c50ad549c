package io.streamrec.demo.run;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrec.app.StreamsApp;
import io.streamrec.app.StreamsAppConfig;
import io.streamrec.app.model.ModelEvent;
import io.streamrec.avro.Recommendations;
import io.streamrec.avro.RecommendedItem;
import io.streamrec.demo.data.DemoData;
import io.streamrec.demo.data.InteractionSeeder;
import io.streamrec.demo.load.ClickReplayer;
import io.streamrec.demo.load.RecommendationWatcher;
import io.streamrec.devstack.Directories;
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
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The whole pipeline on an embedded stack, narrated: start a real broker and registry, seed the interactions
 * topic with a dataset's history, let the trainer learn and publish the first model, start the streams app and
 * the trainer service, replay the rest of the dataset as live clicks with a status line, ask for a refit part
 * way and show the hot swap, then stop everything in order and write an HTML report.
 *
 * <p>One run per instance, on the caller's thread; {@link #stop()} (e.g. from a Ctrl-C hook) ends the replay
 * early and the run still finishes cleanly and writes its report.
 */
public final class DemoRun {

    private final DemoSettings settings;
    private final PrintStream out;
    private final AtomicBoolean stopRequested = new AtomicBoolean();

    public DemoRun(DemoSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** Ends the replay at the next tick; the run then shuts down and reports. */
    public void stop() {
        stopRequested.set(true);
    }

    public DemoResult run() throws Exception {
        Instant started = Instant.now();
        Path directory = settings.directory().toAbsolutePath();
        Files.createDirectories(directory);
        try (FileChannel lockFile = FileChannel.open(directory.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             FileLock lock = tryLock(lockFile, directory)) {
            cleanPreviousRun(directory);
            return runLocked(directory, started, lock);
        }
    }

    private DemoResult runLocked(Path directory, Instant started, FileLock lock) throws Exception {
        step("loading " + settings.data().map(path -> "dataset " + path).orElse("the synthetic dataset ("
                + settings.syntheticUsers() + " users, " + settings.syntheticItems() + " items)"));
        Corpus corpus = DemoDatasets.load(settings.data(), settings.syntheticUsers(), settings.syntheticItems(),
                settings.seed());
        DemoData data = new DemoData(corpus, settings.replayFraction(), settings.seed());
        info(String.format(Locale.ROOT, "%,d users, %,d items, %,d interactions: %,d as history, %,d to replay as clicks",
                corpus.users().size(), corpus.items().size(), corpus.interactions().size(), data.seedSize(),
                data.replaySize()));

        step("starting the local stack (KRaft broker + schema registry)");
        try (LocalStack stack = LocalStack.start(LocalStack.Settings.in(directory.resolve("stack"))
                .withBrokerPort(settings.brokerPort()).withRegistryPort(settings.registryPort()).withPartitions(3))) {
            info("Kafka " + stack.bootstrapServers() + ", schema registry " + stack.schemaRegistryUrl()
                    + " (started in " + millis(stack.startupTime()) + ")");
            SchemaRegistryClient registry = RestSchemaRegistryClient.forUrl(stack.schemaRegistryUrl());
            Map<String, Object> client = new HashMap<>(stack.clientProperties());

            KeyPair keys = ReleaseKeys.generate();
            Path keyDirectory = Files.createDirectories(directory.resolve("keys"));
            Path publicKey = keyDirectory.resolve("release-signing.pub");
            Files.writeString(publicKey, ReleaseKeys.publicKeyPem(keys.getPublic()), StandardCharsets.US_ASCII);
            info("release signing key " + ReleaseKeys.keyId(keys.getPublic()) + " (public half in " + publicKey + ")");

            step("seeding the interactions topic with the dataset's history");
            long seedStart = System.nanoTime();
            long seeded = InteractionSeeder.seed(data, client, registry, TopicCatalog.INTERACTIONS.name(),
                    Instant.parse("2026-01-01T00:00:00Z"));
            info(String.format(Locale.ROOT, "%,d interactions in %s", seeded, millis(Duration.ofNanos(System.nanoTime() - seedStart))));

            Map<String, Object> trainerSettings = trainerSettings(client, directory);
            List<RefitOutcome> refits = new ArrayList<>();
            try (TrainerService trainer = new TrainerService(new TrainerServiceConfig(trainerSettings), trainerSettings,
                    registry, new ReleaseSigner(keys), Clock.systemUTC(), new SimpleMeterRegistry())) {
                step("training the first model (" + trainerSettings.get(TrainerServiceConfig.MODEL_VARIANT_CONFIG)
                        + ") from the interactions topic");
                RefitOutcome first = trainer.runOnce();
                refits.add(first);
                describe(first);
                if (first.decision() != RefitOutcome.Decision.PUBLISHED) {
                    throw new IllegalStateException("the first model was not published: " + first.reason());
                }

                step("starting the streams app");
                try (StreamsApp app = StreamsApp.start(appSettings(client, directory, publicKey))) {
                    awaitServing(app, first.version());
                    info("streams app RUNNING, serving v" + first.version() + "; HTTP on http://127.0.0.1:"
                            + app.httpPort() + " (try /users/<id>/recommendations, /models, /metrics)");

                    Thread trainerThread = new Thread(trainer::serve, "demo-trainer-service");
                    trainerThread.start();
                    info("trainer service running (refits on request in this demo; see service.interval.ms)");
                    try {
                        return replay(stack, registry, client, data, app, trainer, refits, directory, started);
                    } finally {
                        trainer.stop();
                        trainerThread.join(Duration.ofMinutes(2).toMillis());
                    }
                }
            }
        }
    }

    private DemoResult replay(LocalStack stack, SchemaRegistryClient registry, Map<String, Object> client, DemoData data,
                              StreamsApp app, TrainerService trainer, List<RefitOutcome> refits, Path directory,
                              Instant started) throws Exception {
        Set<String> watchedUsers = watchedUsers(data);
        Map<String, List<String>> watchedLists = new ConcurrentHashMap<>();
        Map<String, String> lastShown = new HashMap<>();
        RecommendationWatcher watcher = new RecommendationWatcher(client, registry, TopicCatalog.RECOMMENDATIONS.name(),
                list -> {
                    if (watchedUsers.contains(list.getUserId())) {
                        watchedLists.put(list.getUserId(), describe(list));
                    }
                });
        watcher.awaitAssignment(Duration.ofSeconds(30));
        Thread watcherThread = new Thread(watcher, "demo-watcher");
        watcherThread.start();

        step(String.format(Locale.ROOT, "replaying clicks at %.0f/s for %ds (refit requested after %ds)",
                settings.clicksPerSecond(), settings.duration().toSeconds(), settings.retrainAfter().toSeconds()));
        long replayStart = System.nanoTime();
        long end = replayStart + settings.duration().toNanos();
        long retrainAt = replayStart + settings.retrainAfter().toNanos();
        boolean retrainRequested = false;
        int swapsShown = 0;
        int refitsShown = 1;
        try (ClickReplayer replayer = new ClickReplayer(client, registry, TopicCatalog.CLICKS.name())) {
            replayer.warmUp();
            AtomicBoolean replayDone = new AtomicBoolean();
            Thread replayThread = new Thread(() -> {
                replayer.run(data.replay(), settings::clicksPerSecond, settings.duration(), stopRequested::get);
                replayDone.set(true);
            }, "demo-replayer");
            replayThread.start();
            long nextStatus = System.nanoTime();
            long nextLists = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!replayDone.get() && !stopRequested.get() && System.nanoTime() < end + Duration.ofSeconds(2).toNanos()) {
                Thread.sleep(100);
                long now = System.nanoTime();
                if (!retrainRequested && now >= retrainAt) {
                    retrainRequested = true;
                    trainer.requestRefit();
                    event("refit requested: the trainer reads the interactions topic (history + clicks so far)");
                }
                List<RefitOutcome> history = trainer.history();
                while (refitsShown < history.size()) {
                    RefitOutcome outcome = history.get(refitsShown++);
                    refits.add(outcome);
                    describe(outcome);
                }
                RecommendationWatcher.Snapshot seen = watcher.snapshot();
                while (swapsShown < seen.swaps().size()) {
                    RecommendationWatcher.Swap swap = seen.swaps().get(swapsShown++);
                    event(String.format(Locale.ROOT, "hot swap seen downstream: %s -> %s (gap before %d ms, after %d ms;"
                            + " largest gap so far %d ms)", swap.from(), swap.to(), swap.gapBeforeMs(),
                            Math.max(0, swap.gapAfterMs()), seen.largestGapMs()));
                }
                if (now >= nextStatus) {
                    nextStatus = now + Duration.ofSeconds(1).toNanos();
                    statusLine(replayer, watcher, seen, app, (now - replayStart) / 1e9, false);
                }
                if (now >= nextLists) {
                    nextLists = now + Duration.ofSeconds(10).toNanos();
                    showWatched(watchedLists, lastShown);
                }
            }
            stopRequested.set(true);
            replayThread.join();
            awaitDrain(watcher, replayer.sent());
            statusLine(replayer, watcher, watcher.snapshot(), app, (System.nanoTime() - replayStart) / 1e9, true);
            showWatched(watchedLists, lastShown);

            // A refit still running when the replay ends is finished and shown, so the report is complete.
            while (trainer.busy()) {
                Thread.sleep(200);
            }
            List<RefitOutcome> history = trainer.history();
            while (refitsShown < history.size()) {
                RefitOutcome outcome = history.get(refitsShown++);
                refits.add(outcome);
                describe(outcome);
            }
            watcher.close();
            watcherThread.join();
            watcher.closeConsumer();

            RecommendationWatcher.Snapshot seen = watcher.snapshot();
            List<ModelEvent> modelEvents = app.modelEvents();
            long serving = app.models().serving().map(model -> model.info().version()).orElse(-1L);
            Duration elapsed = Duration.between(started, Instant.now());
            step("writing the report");
            Path report = DemoReport.write(directory.resolve("report.html"), settings, seen, refits, modelEvents,
                    replayer.sent(), replayer.failed(), elapsed);
            return new DemoResult(replayer.sent(), replayer.failed(), seen, refits, serving, report, elapsed);
        }
    }

    private Map<String, Object> trainerSettings(Map<String, Object> client, Path directory) {
        Map<String, Object> trainer = new HashMap<>(client);
        trainer.put(TrainerServiceConfig.MODEL_VARIANT_CONFIG, settings.variant());
        trainer.put(TrainerServiceConfig.REPORT_DIR_CONFIG, directory.resolve("reports").toString());
        trainer.put(TrainerServiceConfig.SERVICE_REFIT_ON_START_CONFIG, false);
        trainer.put(TrainerServiceConfig.SERVICE_INTERVAL_MS_CONFIG, Duration.ofHours(1).toMillis());
        trainer.put(TrainerServiceConfig.SERVICE_POLL_INTERVAL_MS_CONFIG, 200L);
        trainer.put(TrainerServiceConfig.TRAIN_SEED_CONFIG, settings.seed());
        trainer.put(TrainerServiceConfig.GATE_TOLERANCE_CONFIG, settings.gateTolerance());
        if ("small".equals(settings.modelSize())) {
            trainer.put(TrainerServiceConfig.MODEL_FACTORS_CONFIG, 8);
            trainer.put(TrainerServiceConfig.MODEL_LAYERS_CONFIG, "16,8");
            trainer.put(TrainerServiceConfig.MODEL_HISTORY_LENGTH_CONFIG, 10);
            trainer.put(TrainerServiceConfig.TRAIN_MAX_EPOCHS_CONFIG, 5);
            trainer.put(TrainerServiceConfig.TRAIN_BATCH_SIZE_CONFIG, 512);
            trainer.put(TrainerServiceConfig.TRAIN_LEARNING_RATE_CONFIG, 0.01);
        } else {
            trainer.put(TrainerServiceConfig.MODEL_HISTORY_LENGTH_CONFIG, 20);
            trainer.put(TrainerServiceConfig.TRAIN_MAX_EPOCHS_CONFIG, 8);
            trainer.put(TrainerServiceConfig.TRAIN_PATIENCE_CONFIG, 2);
            trainer.put(TrainerServiceConfig.TRAIN_BATCH_SIZE_CONFIG, 1024);
            trainer.put(TrainerServiceConfig.TRAIN_LEARNING_RATE_CONFIG, 0.005);
        }
        return trainer;
    }

    private Map<String, Object> appSettings(Map<String, Object> client, Path directory, Path publicKey) {
        Map<String, Object> app = new HashMap<>(client);
        app.put(StreamsConfig.APPLICATION_ID_CONFIG, "streamrec-demo");
        app.put(StreamsConfig.STATE_DIR_CONFIG, directory.resolve("state").toString());
        app.put(StreamsAppConfig.HTTP_PORT_CONFIG, settings.httpPort());
        app.put(StreamsAppConfig.HTTP_MANAGEMENT_PORT_CONFIG, 0); // the demo probes nothing: any free port
        app.put(StreamsAppConfig.HTTP_HOST_CONFIG, "127.0.0.1");
        app.put(StreamsAppConfig.MODEL_TRUSTED_KEYS_FILE_CONFIG, publicKey.toString());
        return app;
    }

    private Set<String> watchedUsers(DemoData data) {
        // The users with the most clicks to replay, so their lists visibly move.
        var interactions = data.corpus().interactions();
        List<Integer> users = new ArrayList<>();
        for (int user = 1; user <= interactions.numUsers(); user++) {
            users.add(user);
        }
        users.sort(Comparator.comparingInt((Integer user) -> interactions.length(user) - data.seedLength(user))
                .reversed().thenComparingInt(Integer::intValue));
        return Set.copyOf(users.stream().limit(settings.watchedUsers())
                .map(user -> data.corpus().users().id(user)).toList());
    }

    private static List<String> describe(Recommendations list) {
        List<String> lines = new ArrayList<>();
        lines.add((list.getFallback() ? "popularity" : "v" + list.getModelVersion()) + " after a click at "
                + list.getEventTime());
        for (RecommendedItem item : list.getItems().subList(0, Math.min(5, list.getItems().size()))) {
            lines.add(String.format(Locale.ROOT, "%s (%.2f)", item.getItemId(), item.getScore()));
        }
        return lines;
    }

    private void showWatched(Map<String, List<String>> lists, Map<String, String> lastShown) {
        for (Map.Entry<String, List<String>> entry : new LinkedHashMap<>(lists).entrySet()) {
            List<String> lines = entry.getValue();
            String items = String.join(", ", lines.subList(1, lines.size()));
            if (!items.equals(lastShown.get(entry.getKey()))) {
                lastShown.put(entry.getKey(), items);
                event("user " + entry.getKey() + ": " + lines.get(0) + " -> top 5: " + items);
            }
        }
    }

    private void describe(RefitOutcome outcome) {
        event(String.format(Locale.ROOT, "refit %s v%d: %s%s", outcome.decision(), outcome.version(), outcome.reason(),
                outcome.report().map(path -> " (report " + path + ")").orElse("")));
    }

    private void statusLine(ClickReplayer replayer, RecommendationWatcher watcher, RecommendationWatcher.Snapshot seen,
                            StreamsApp app, double seconds, boolean last) {
        String serving = app.models().serving().map(model -> "v" + model.info().version()).orElse("none");
        long[] recent = last ? new long[] {seen.p50Micros(), seen.p99Micros()}
                : watcher.recentPercentiles(5, 50, 99);
        String line = String.format(Locale.ROOT, "[%5.1fs] clicks sent %,d | lists received %,d | latency p50 %.1f ms"
                        + " p99 %.1f ms (%s) | serving %s | %s", seconds, replayer.sent(), seen.lists(),
                recent[0] / 1000.0, recent[1] / 1000.0, last ? "whole run" : "last 5 s", serving,
                app.streams().state() == KafkaStreams.State.RUNNING ? "RUNNING" : app.streams().state());
        if (System.console() != null && !last) {
            out.print("\r" + line + "   ");
        } else if (last || Math.round(seconds) % 5 == 0) {
            out.println(line);
        }
        out.flush();
    }

    private void awaitDrain(RecommendationWatcher watcher, long sent) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (watcher.snapshot().lists() < sent && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private void awaitServing(StreamsApp app, long version) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (app.streams().state() != KafkaStreams.State.RUNNING
                || app.models().serving().map(model -> model.info().version()).orElse(-1L) < version) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the streams app did not reach RUNNING with model v" + version
                        + " in 90 s (state " + app.streams().state() + ")");
            }
            Thread.sleep(50);
        }
    }

    private static FileLock tryLock(FileChannel channel, Path directory) throws IOException {
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IllegalStateException("directory " + directory + " is in use by another demo; stop it or"
                        + " pass another --dir");
            }
            return lock;
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException("directory " + directory + " is in use by this process", e);
        }
    }

    private static void cleanPreviousRun(Path directory) {
        for (String leftover : List.of("stack", "state", "keys", "reports", "report.html")) {
            Directories.deleteRecursively(directory.resolve(leftover));
        }
    }

    private void step(String text) {
        out.println();
        out.println("==> " + text);
    }

    private void info(String text) {
        out.println("    " + text);
    }

    private void event(String text) {
        if (System.console() != null) {
            out.print("\r");
        }
        out.println("  * " + text);
    }

    private static String millis(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
