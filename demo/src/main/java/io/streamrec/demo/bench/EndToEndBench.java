package io.streamrec.demo.bench;

import io.streamrec.app.StreamsAppConfig;
import io.streamrec.avro.ModelRelease;
import io.streamrec.demo.load.ClickReplayer;
import io.streamrec.demo.load.RecommendationWatcher;
import io.streamrec.demo.load.RecommendationWatcher.Stage;
import io.streamrec.devstack.LocalStack;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.serde.RestSchemaRegistryClient;
import io.streamrec.schemas.serde.SchemaRegistryClient;
import io.streamrec.schemas.topics.TopicCatalog;
import io.streamrec.trainer.data.ScaleConfig;
import io.streamrec.trainer.model.NcfModel;
import io.streamrec.trainer.release.ReleaseSettings;
import io.streamrec.trainer.kafka.ModelReleasePublisher;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Drives a running streams app (its own JVM) through the real local broker: fixed click rates in steps, a hot
 * swap under load, and optionally a long soak for memory, and prints what a downstream consumer experienced.
 * The broker, registry, load generator and consumer share the machine with the app, as the bars demand.
 *
 * <p>The catalogue has 3,706 items and 6,040 users (MovieLens-1M's size), or is a scale generator's
 * ({@link BenchWorkload}); the model is the configured variant, trained for one epoch on a synthetic corpus:
 * serving cost depends on the architecture and the catalogue, not on accuracy. At scale the releases travel
 * through the artifact store (a file URI), as a trainer's large releases do.
 */
public final class EndToEndBench {

    /**
     * What to run. Immutable.
     *
     * @param searchMaxRate after the fixed rates, step up from the last one by a quarter at a time until a step
     *                      is not sustained ({@link #SUSTAINED_P99_MICROS}, no growing backlog)
     * @param scale         a {@link ScaleConfig#parse} spec for a large catalogue, or null for MovieLens-1M's size
     * @param trainingUsers at scale, the users the model trains on (the others click as unknown users)
     */
    public record Settings(String variant, List<Double> rates, Duration step, Duration warmup, double swapRate,
                           Duration soak, double soakRate, Path directory, Path appJar, String appJavaOptions,
                           Map<String, String> appOverrides, int partitions, long seed, boolean searchMaxRate,
                           String scale, int trainingUsers) {
        public Settings {
            if (partitions < 0) {
                throw new IllegalArgumentException("partitions must be >= 1, or 0 for the topic catalog's, got "
                        + partitions);
            }
        }
    }

    /**
     * One rate step's result.
     *
     * @param scoringMsPerList scoring time per model-computed list, from the app's own meters
     * @param usersPerCall     users scored together per scoring call, from the app's own meters
     */
    public record Step(double offered, double achieved, long p50Micros, long p99Micros, long maxMicros, long backlog,
                       double appCpuPercent, long sentP99Micros, long computedP50Micros, long computedP99Micros,
                       double scoringMsPerList, double usersPerCall) {

        /** Whether the app kept up: p99 within {@link #SUSTAINED_P99_MICROS} and at most half a second of backlog. */
        public boolean sustained() {
            return p99Micros <= SUSTAINED_P99_MICROS && backlog <= offered / 2;
        }
    }

    /** The p99 click-to-list latency up to which a rate counts as sustained. */
    public static final long SUSTAINED_P99_MICROS = 250_000;
    /** Each step of the search for the highest sustained rate offers this much more than the last. */
    private static final double SEARCH_FACTOR = 1.25;

    /** The swap phase's result. */
    public record SwapResult(double rate, long swapGapMs, long normalGapMs, long missing, long fallbackLists,
                             long p99MicrosAroundSwap) { }

    /** Everything measured. */
    public record Result(String variant, List<Step> steps, List<Step> search, SwapResult swap, long rssStartBytes,
                         long rssEndBytes, long rssPeakBytes, Duration soak, String markdown) {

        /** The highest offered rate the search sustained, or NaN without a search or a sustained step. */
        public double maxSustainedRate() {
            return search.stream().filter(Step::sustained).mapToDouble(Step::offered).max().orElse(Double.NaN);
        }
    }

    private final Settings settings;
    private final PrintStream out;

    public EndToEndBench(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public Result run() throws Exception {
        Files.createDirectories(settings.directory());
        out.println("==> local stack");
        try (LocalStack stack = LocalStack.start(LocalStack.Settings.in(settings.directory().resolve("stack"))
                .withBrokerPort(0).withRegistryPort(0).withPartitions(settings.partitions()))) {
            SchemaRegistryClient registry = RestSchemaRegistryClient.forUrl(stack.schemaRegistryUrl());
            Map<String, Object> client = new HashMap<>(stack.clientProperties());

            BenchWorkload workload = settings.scale() == null ? BenchWorkload.movieLensSize(settings.seed())
                    : BenchWorkload.scale(ScaleConfig.parse(settings.scale()), settings.trainingUsers());
            out.printf(Locale.ROOT, "==> training %s on %s (%,d users, %,d items)%n", settings.variant(),
                    workload.description(), workload.users(), workload.items());
            KeyPair keys = ReleaseKeys.generate();
            Path publicKey = settings.directory().resolve("release-signing.pub");
            Files.writeString(publicKey, ReleaseKeys.publicKeyPem(keys.getPublic()), StandardCharsets.US_ASCII);
            ModelRelease first;
            ModelRelease second;
            if (settings.scale() == null) {
                first = SyntheticReleases.train(settings.variant(), workload.training(), keys, 1, settings.seed());
                second = SyntheticReleases.train(settings.variant(), workload.training(), keys, 2, settings.seed() + 1);
            } else {
                // One training: the swap costs the same for the same parameters under a new version.
                NcfModel model = SyntheticReleases.trainModel(settings.variant(), workload.training(), settings.seed());
                ReleaseSettings artifacts = ReleaseSettings.withArtifacts(settings.directory().resolve("artifacts"));
                first = SyntheticReleases.release(model, workload.training(), keys, 1, artifacts);
                second = SyntheticReleases.release(model, workload.training(), keys, 2, artifacts);
            }
            try (ModelReleasePublisher publisher = new ModelReleasePublisher(client, TopicCatalog.MODELS.name())) {
                publisher.publish(first);

                int httpPort = freePort();
                Map<String, Object> app = new HashMap<>(client);
                app.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-" + settings.variant());
                app.put(StreamsConfig.STATE_DIR_CONFIG, settings.directory().resolve("state").toString());
                app.put(StreamsAppConfig.HTTP_PORT_CONFIG, httpPort);
                int managementPort = freePort();
                app.put(StreamsAppConfig.HTTP_MANAGEMENT_PORT_CONFIG, managementPort);
                app.put(StreamsAppConfig.HTTP_HOST_CONFIG, "127.0.0.1");
                app.put(StreamsAppConfig.MODEL_TRUSTED_KEYS_FILE_CONFIG, publicKey.toString());
                app.putAll(settings.appOverrides());
                out.println("==> streams app (own JVM: " + settings.appJavaOptions() + ")");
                // A 10^6-item release takes two to three minutes to load (graph, session, index) before it serves.
                Duration firstModel = settings.scale() == null ? Duration.ofMinutes(3) : Duration.ofMinutes(10);
                try (StreamsAppProcess process = StreamsAppProcess.start(settings.appJar(), settings.appJavaOptions(),
                        app, httpPort, managementPort, settings.directory().resolve("streams-app.log"), firstModel)) {
                    return measure(client, registry, process, publisher, second, workload);
                }
            }
        }
    }

    private Result measure(Map<String, Object> client, SchemaRegistryClient registry, StreamsAppProcess process,
                           ModelReleasePublisher publisher, ModelRelease second, BenchWorkload workload)
            throws Exception {
        AtomicReference<Double> rate = new AtomicReference<>(settings.rates().get(0));
        AtomicBoolean stop = new AtomicBoolean();
        RecommendationWatcher watcher = new RecommendationWatcher(client, registry, TopicCatalog.RECOMMENDATIONS.name(),
                list -> { });
        watcher.awaitAssignment(Duration.ofSeconds(30));
        Thread watcherThread = new Thread(watcher, "bench-watcher");
        watcherThread.start();
        try (ClickReplayer replayer = new ClickReplayer(client, registry, TopicCatalog.CLICKS.name())) {
            replayer.warmUp();
            Thread load = new Thread(() -> replayer.run(workload.clicks().apply(settings.seed()),
                    rate::get, Duration.ofDays(1), stop::get), "bench-load");
            load.start();

            out.printf(Locale.ROOT, "==> warm-up %ds at %.0f clicks/s%n", settings.warmup().toSeconds(), rate.get());
            Thread.sleep(settings.warmup().toMillis());
            awaitCaughtUp(watcher, replayer, rate.get());
            long[] memoryAtStart = process.memory();

            List<Step> steps = new ArrayList<>();
            for (double offered : settings.rates()) {
                rate.set(offered);
                steps.add(step(watcher, replayer, process, offered));
            }
            List<Step> search = settings.searchMaxRate() ? searchMaxRate(watcher, replayer, process, rate, steps)
                    : List.of();

            SwapResult swap = null;
            if (settings.swapRate() > 0) {
                swap = swap(watcher, replayer, publisher, second, rate);
            }
            if (!settings.soak().isZero()) {
                rate.set(settings.soakRate());
                out.printf(Locale.ROOT, "==> soak %d min at %.0f clicks/s%n", settings.soak().toMinutes(), settings.soakRate());
                long end = System.nanoTime() + settings.soak().toNanos();
                while (System.nanoTime() < end) {
                    Thread.sleep(Duration.ofSeconds(30).toMillis());
                    long[] memory = process.memory();
                    out.printf(Locale.ROOT, "    RSS %d MiB (peak %d MiB), lists %,d%n", memory[0] >> 20, memory[1] >> 20,
                            watcher.snapshot().lists());
                }
            }
            long[] memoryAtEnd = process.memory();
            stop.set(true);
            load.join();
            watcher.close();
            watcherThread.join();
            watcher.closeConsumer();
            Result partial = new Result(settings.variant(), steps, search, swap, memoryAtStart[0], memoryAtEnd[0],
                    memoryAtEnd[1], settings.soak(), "");
            return new Result(partial.variant(), steps, search, swap, memoryAtStart[0], memoryAtEnd[0],
                    memoryAtEnd[1], settings.soak(), markdown(partial, workload));
        }
    }

    /**
     * Waits (at most a minute) until the lists have caught up with the clicks to within half a second of load,
     * so a backlog left by the cold start (JIT, first model load) is not charged to the first measured step.
     */
    private void awaitCaughtUp(RecommendationWatcher watcher, ClickReplayer replayer, double rate)
            throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + Duration.ofMinutes(1).toNanos();
        long backlog = replayer.sent() - watcher.snapshot().lists();
        while (backlog > rate / 2 && System.nanoTime() < deadline) {
            Thread.sleep(250);
            backlog = replayer.sent() - watcher.snapshot().lists();
        }
        out.printf(Locale.ROOT, "    backlog after warm-up %,d lists (waited %.1f s for it to drain)%n", backlog,
                (System.nanoTime() - started) / 1e9);
    }

    /**
     * Steps up from the last fixed step's rate by {@link #SEARCH_FACTOR} while steps are sustained, letting the
     * backlog of an unsustained step drain (at the last fixed rate) before the search ends. The fixed steps'
     * last result counts as the search's start.
     */
    private List<Step> searchMaxRate(RecommendationWatcher watcher, ClickReplayer replayer,
                                     StreamsAppProcess process, AtomicReference<Double> rate, List<Step> fixed)
            throws Exception {
        List<Step> search = new ArrayList<>();
        Step last = fixed.get(fixed.size() - 1);
        search.add(last);
        while (last.sustained()) {
            double offered = Math.round(last.offered() * SEARCH_FACTOR / 10) * 10.0;
            rate.set(offered);
            last = step(watcher, replayer, process, offered);
            search.add(last);
        }
        rate.set(settings.rates().get(0));
        awaitCaughtUp(watcher, replayer, rate.get());
        return search;
    }

    private Step step(RecommendationWatcher watcher, ClickReplayer replayer, StreamsAppProcess process, double offered)
            throws Exception {
        out.printf(Locale.ROOT, "==> %.0f clicks/s for %ds%n", offered, settings.step().toSeconds());
        long startSecond = System.currentTimeMillis() / 1000 + 5; // the first seconds settle into the new rate
        long listsAtStart = watcher.snapshot().lists();
        double cpuAtStart = process.cpuSeconds();
        AppMetrics metricsAtStart = process.metrics();
        long started = System.nanoTime();
        Thread.sleep(settings.step().toMillis());
        double seconds = (System.nanoTime() - started) / 1e9;
        long endSecond = System.currentTimeMillis() / 1000;
        RecommendationWatcher.Snapshot seen = watcher.snapshot();
        Histogram window = watcher.latenciesBetween(startSecond, endSecond);
        Histogram sent = watcher.latenciesBetween(Stage.SENT, startSecond, endSecond);
        Histogram computed = watcher.latenciesBetween(Stage.COMPUTED, startSecond, endSecond);
        double achieved = (seen.lists() - listsAtStart) / seconds;
        long backlog = replayer.sent() - seen.lists();
        double cpu = (process.cpuSeconds() - cpuAtStart) / seconds * 100;
        AppMetrics.ScoringCost scoring = process.metrics().scoringSince(metricsAtStart);
        Step step = new Step(offered, achieved, window.getValueAtPercentile(50), window.getValueAtPercentile(99),
                window.getMaxValue(), backlog, cpu, sent.getValueAtPercentile(99), computed.getValueAtPercentile(50),
                computed.getValueAtPercentile(99), scoring.msPerList(), scoring.usersPerCall());
        out.printf(Locale.ROOT, "    achieved %.0f lists/s, p50 %.1f ms, p99 %.1f ms (sent after p99 %.1f ms;"
                        + " computed after p50 %.1f, p99 %.1f ms), backlog %,d, app CPU %.0f%%, scoring %.3f ms"
                        + " per list in batches of %.1f%n", achieved,
                step.p50Micros() / 1000.0, step.p99Micros() / 1000.0, step.sentP99Micros() / 1000.0,
                step.computedP50Micros() / 1000.0, step.computedP99Micros() / 1000.0, backlog, cpu,
                step.scoringMsPerList(), step.usersPerCall());
        return step;
    }

    private SwapResult swap(RecommendationWatcher watcher, ClickReplayer replayer, ModelReleasePublisher publisher,
                            ModelRelease newer, AtomicReference<Double> rate) throws Exception {
        rate.set(settings.swapRate());
        out.printf(Locale.ROOT, "==> hot swap at %.0f clicks/s: 15 s, publish v2, 20 s%n", settings.swapRate());
        long swapsBefore = watcher.snapshot().swaps().size();
        long fallbackBefore = watcher.snapshot().fallbackLists();
        long from = System.currentTimeMillis() / 1000;
        Thread.sleep(15_000);
        publisher.publish(newer);
        Thread.sleep(20_000);
        rate.set(0.0);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (watcher.snapshot().lists() < replayer.sent() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        long to = System.currentTimeMillis() / 1000;
        RecommendationWatcher.Snapshot seen = watcher.snapshot();
        long missing = replayer.sent() - seen.lists();
        if (seen.swaps().size() <= swapsBefore) {
            out.println("    no swap seen downstream");
            return new SwapResult(settings.swapRate(), -1, -1, missing, seen.fallbackLists() - fallbackBefore, -1);
        }
        long swapSecond = seen.swaps().get(seen.swaps().size() - 1).atMs() / 1000;
        long swapGap = 0;
        long normalGap = 0;
        for (RecommendationWatcher.Second second : seen.seconds()) {
            if (second.epochSecond() < from + 2 || second.epochSecond() >= to - 1) {
                continue;
            }
            if (Math.abs(second.epochSecond() - swapSecond) <= 2) {
                swapGap = Math.max(swapGap, second.maxGapMs());
            } else {
                normalGap = Math.max(normalGap, second.maxGapMs());
            }
        }
        long p99 = watcher.latenciesBetween(swapSecond - 2, swapSecond + 3).getValueAtPercentile(99);
        SwapResult result = new SwapResult(settings.swapRate(), swapGap, normalGap, missing,
                seen.fallbackLists() - fallbackBefore, p99);
        out.printf(Locale.ROOT, "    largest gap around the swap %d ms, elsewhere %d ms; missing lists %d; p99 around"
                + " the swap %.1f ms%n", swapGap, normalGap, missing, p99 / 1000.0);
        rate.set(settings.rates().get(0));
        return result;
    }

    private String markdown(Result result, BenchWorkload workload) {
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "End to end, %s, %,d users, %,d items (%s), %s partitions; app %s"
                        + " %s%n%n", result.variant(), workload.users(), workload.items(), workload.description(), settings.partitions() == 0 ? "the catalog's" : settings.partitions(),
                settings.appJavaOptions(), settings.appOverrides()));
        appendSteps(table, result.steps());
        if (!result.search().isEmpty()) {
            table.append(String.format(Locale.ROOT, "%nSearch for the highest sustained rate (p99 ≤ %d ms, backlog"
                    + " ≤ 0.5 s of clicks), up by a quarter per step: ", SUSTAINED_P99_MICROS / 1000));
            double max = result.maxSustainedRate();
            table.append(Double.isNaN(max) ? "no step was sustained\n\n"
                    : String.format(Locale.ROOT, "**%.0f clicks/s**%n%n", max));
            appendSteps(table, result.search());
        }
        if (result.swap() != null) {
            SwapResult swap = result.swap();
            table.append(String.format(Locale.ROOT, "%nHot swap at %.0f clicks/s: largest output gap around the swap %d ms,"
                            + " elsewhere %d ms; lists missing after drain %d; fallback lists %d; p99 around the swap %.1f ms%n",
                    swap.rate(), swap.swapGapMs(), swap.normalGapMs(), swap.missing(), swap.fallbackLists(),
                    swap.p99MicrosAroundSwap() / 1000.0));
        }
        table.append(String.format(Locale.ROOT, "%nApp RSS: %d MiB after warm-up, %d MiB at the end (peak %d MiB)%s%n",
                result.rssStartBytes() >> 20, result.rssEndBytes() >> 20, result.rssPeakBytes() >> 20,
                result.soak().isZero() ? "" : ", after a " + result.soak().toMinutes() + "-minute soak at "
                        + settings.soakRate() + " clicks/s"));
        return table.toString();
    }

    private static void appendSteps(StringBuilder table, List<Step> steps) {
        table.append("| offered clicks/s | achieved lists/s | p50 ms | p99 ms | max ms | sent p99 ms | computed p50 ms"
                + " | computed p99 ms | backlog at end | app CPU % | scoring ms per list | users per call |\n");
        table.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Step step : steps) {
            table.append(String.format(Locale.ROOT,
                    "| %.0f | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %,d | %.0f | %.3f | %.1f |%n",
                    step.offered(), step.achieved(), step.p50Micros() / 1000.0, step.p99Micros() / 1000.0,
                    step.maxMicros() / 1000.0, step.sentP99Micros() / 1000.0, step.computedP50Micros() / 1000.0,
                    step.computedP99Micros() / 1000.0, step.backlog(), step.appCpuPercent(),
                    step.scoringMsPerList(), step.usersPerCall()));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
