package io.streamrec.demo.bench;

import io.streamrec.app.StreamsAppConfig;
import io.streamrec.avro.ModelRelease;
import io.streamrec.demo.load.ClickReplayer;
import io.streamrec.demo.load.ClickSource;
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
 * Drives the streams app (one or more instances, each in its own JVM, one consumer group) through the real local
 * broker: fixed click rates in steps, a hot swap under load, and optionally a long soak for memory, and reports
 * what a downstream consumer experienced, what each instance computed and used (its own meters, its CPU), and
 * the state the instances kept per user who clicked. The broker, registry, load generator and consumer share the
 * machine with the app, as the bars demand.
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
     * @param instances     streams-app instances, each in its own JVM, in one consumer group
     */
    public record Settings(String variant, List<Double> rates, Duration step, Duration warmup, double swapRate,
                           Duration soak, double soakRate, Path directory, Path appJar, String appJavaOptions,
                           Map<String, String> appOverrides, int partitions, long seed, boolean searchMaxRate,
                           String scale, int trainingUsers, int instances) {
        public Settings {
            rates = List.copyOf(rates);
            appOverrides = Map.copyOf(appOverrides);
            if (partitions < 0) {
                throw new IllegalArgumentException("partitions must be >= 1, or 0 for the topic catalog's, got "
                        + partitions);
            }
            if (instances < 1) {
                throw new IllegalArgumentException("instances must be >= 1, got " + instances);
            }
            int effective = partitions == 0 ? TopicCatalog.DEFAULT_PARTITIONS : partitions;
            if (effective < instances) {
                // A partition is a task, the unit Kafka Streams assigns: an instance beyond them would idle.
                throw new IllegalArgumentException(instances + " instances need at least as many partitions, got "
                        + effective + (partitions == 0 ? " (the topic catalog's)" : ""));
            }
        }

        /** The same run with another number of instances. */
        public Settings withInstances(int count) {
            return new Settings(variant, rates, step, warmup, swapRate, soak, soakRate, directory, appJar,
                    appJavaOptions, appOverrides, partitions, seed, searchMaxRate, scale, trainingUsers, count);
        }
    }

    /**
     * One rate step's result.
     *
     * @param scoringMsPerList         scoring time per model-computed list, from the instances' own meters
     * @param usersPerCall             users scored together per scoring call, from the instances' own meters
     * @param listsPerSecondByInstance lists each instance computed per second, from its own meters
     * @param cpuPercentByInstance     each instance's CPU use, in percent of one core
     */
    public record Step(double offered, double achieved, long p50Micros, long p99Micros, long maxMicros, long backlog,
                       long sentP99Micros, long computedP50Micros, long computedP99Micros, double scoringMsPerList,
                       double usersPerCall, List<Double> listsPerSecondByInstance, List<Double> cpuPercentByInstance) {

        public Step {
            listsPerSecondByInstance = List.copyOf(listsPerSecondByInstance);
            cpuPercentByInstance = List.copyOf(cpuPercentByInstance);
            if (listsPerSecondByInstance.size() != cpuPercentByInstance.size()) {
                throw new IllegalArgumentException("one lists/s and one CPU figure per instance");
            }
        }

        public int instances() {
            return cpuPercentByInstance.size();
        }

        /** The instances' CPU use together, in percent of one core. */
        public double appCpuPercent() {
            return cpuPercentByInstance.stream().mapToDouble(Double::doubleValue).sum();
        }

        /** Whether the app kept up: p99 within {@link #SUSTAINED_P99_MICROS} and at most half a second of backlog. */
        public boolean sustained() {
            return p99Micros <= SUSTAINED_P99_MICROS && backlog <= offered / 2;
        }
    }

    /** The p99 click-to-list latency up to which a rate counts as sustained. */
    public static final long SUSTAINED_P99_MICROS = 250_000;
    /** Each step of the search for the highest sustained rate offers this much more than the last. */
    private static final double SEARCH_FACTOR = 1.25;
    private static final Duration SWAP_WAIT_LIMIT = Duration.ofMinutes(10);

    /**
     * The swap phase's result; {@code instancesSwapped} of the instances served the new model at its end,
     * {@code swapSeconds} after it was published (-1: not all of them within the limit).
     */
    public record SwapResult(double rate, long swapGapMs, long normalGapMs, long missing, long fallbackLists,
                             long p99MicrosAroundSwap, int instancesSwapped, double swapSeconds) { }

    /**
     * One instance's state directory after it closed: the apparent size of all its files, and of the stores'
     * SST files among them (the data; the rest is RocksDB's fixed cost per store: options, manifest, info log).
     */
    public record StateFiles(long allBytes, long sstBytes) { }

    /**
     * The state the instances kept: their state directories after they closed (Kafka Streams flushes its stores
     * on close), and the distinct users who clicked during the run.
     */
    public record StateSize(List<StateFiles> byInstance, long distinctUsers) {

        public StateSize {
            byInstance = List.copyOf(byInstance);
        }

        public long totalBytes() {
            return byInstance.stream().mapToLong(StateFiles::allBytes).sum();
        }

        public long sstBytes() {
            return byInstance.stream().mapToLong(StateFiles::sstBytes).sum();
        }

        /** State bytes per user who clicked; NaN without users. */
        public double bytesPerUser() {
            return distinctUsers == 0 ? Double.NaN : (double) totalBytes() / distinctUsers;
        }

        /** SST bytes per user who clicked; NaN without users. */
        public double sstBytesPerUser() {
            return distinctUsers == 0 ? Double.NaN : (double) sstBytes() / distinctUsers;
        }
    }

    /**
     * Everything measured with one number of instances.
     *
     * @param description   the model, catalogue, partitions and app settings, for the table's heading
     * @param memoryAtStart each instance's memory after the warm-up
     * @param memoryAtEnd   each instance's memory at the end
     * @param state         the state on disk, or null before the instances have closed
     */
    public record Result(String description, int instances, List<Step> steps, List<Step> search, SwapResult swap,
                         List<ChildJvm.Memory> memoryAtStart, List<ChildJvm.Memory> memoryAtEnd, Duration soak,
                         double soakRate, StateSize state) {

        public Result {
            steps = List.copyOf(steps);
            search = List.copyOf(search);
            memoryAtStart = List.copyOf(memoryAtStart);
            memoryAtEnd = List.copyOf(memoryAtEnd);
        }

        /** The highest offered rate the search sustained, or NaN without a search or a sustained step. */
        public double maxSustainedRate() {
            return search.stream().filter(Step::sustained).mapToDouble(Step::offered).max().orElse(Double.NaN);
        }

        Result withState(StateSize measured) {
            return new Result(description, instances, steps, search, swap, memoryAtStart, memoryAtEnd, soak,
                    soakRate, measured);
        }
    }

    /** The two signed releases a run serves, and the key that verifies them. */
    private record Releases(ModelRelease first, ModelRelease second, Path publicKey) { }

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
            Releases releases = train(workload);
            try (ModelReleasePublisher publisher = new ModelReleasePublisher(client, TopicCatalog.MODELS.name())) {
                publisher.publish(releases.first());
                return runInstances(client, registry, publisher, releases, workload);
            }
        }
    }

    private Releases train(BenchWorkload workload) throws IOException {
        out.printf(Locale.ROOT, "==> training %s on %s (%,d users, %,d items)%n", settings.variant(),
                workload.description(), workload.users(), workload.items());
        KeyPair keys = ReleaseKeys.generate();
        Path publicKey = settings.directory().resolve("release-signing.pub");
        Files.writeString(publicKey, ReleaseKeys.publicKeyPem(keys.getPublic()), StandardCharsets.US_ASCII);
        if (settings.scale() == null) {
            return new Releases(SyntheticReleases.train(settings.variant(), workload.training(), keys, 1,
                    settings.seed()), SyntheticReleases.train(settings.variant(), workload.training(), keys, 2,
                    settings.seed() + 1), publicKey);
        }
        // One training: the swap costs the same for the same parameters under a new version.
        NcfModel model = SyntheticReleases.trainModel(settings.variant(), workload.training(), settings.seed());
        ReleaseSettings artifacts = ReleaseSettings.withArtifacts(settings.directory().resolve("artifacts"));
        return new Releases(SyntheticReleases.release(model, workload.training(), keys, 1, artifacts),
                SyntheticReleases.release(model, workload.training(), keys, 2, artifacts), publicKey);
    }

    /**
     * Starts the instances, waits until all are RUNNING with a model, measures, stops them all at once and
     * measures their state on disk.
     */
    private Result runInstances(Map<String, Object> client, SchemaRegistryClient registry,
                                ModelReleasePublisher publisher, Releases releases, BenchWorkload workload)
            throws Exception {
        out.printf(Locale.ROOT, "==> %d streams-app instance(s), each in its own JVM (%s)%n", settings.instances(),
                settings.appJavaOptions());
        List<StreamsAppProcess> apps = new ArrayList<>();
        DistinctUsers clicks = new DistinctUsers(workload.clicks().apply(settings.seed()));
        Result result;
        try {
            for (int instance = 1; instance <= settings.instances(); instance++) {
                apps.add(startInstance(instance, client, releases.publicKey()));
            }
            // A 10^6-item release takes two to three minutes to load (graph, session, index) before it serves.
            Duration firstModel = settings.scale() == null ? Duration.ofMinutes(3) : Duration.ofMinutes(10);
            StreamsAppProcess.awaitAllReady(apps, firstModel, settings.directory());
            result = measure(client, registry, apps, publisher, releases.second(), workload, clicks);
        } finally {
            apps.forEach(StreamsAppProcess::terminate);
            apps.forEach(StreamsAppProcess::close);
            apps.forEach(app -> app.unexpectedExits().forEach(exit -> out.println("WARNING: " + exit)));
        }
        List<StateFiles> state = new ArrayList<>();
        for (StreamsAppProcess app : apps) {
            state.add(app.stateFiles());
        }
        return result.withState(new StateSize(state, clicks.count()));
    }

    private StreamsAppProcess startInstance(int instance, Map<String, Object> client, Path publicKey)
            throws IOException {
        Path state = settings.directory().resolve("state").resolve("app-" + instance);
        int managementPort = freePort();
        Map<String, Object> app = new HashMap<>(client);
        app.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-" + settings.variant());
        app.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        app.put(StreamsAppConfig.HTTP_PORT_CONFIG, freePort());
        app.put(StreamsAppConfig.HTTP_MANAGEMENT_PORT_CONFIG, managementPort);
        app.put(StreamsAppConfig.HTTP_HOST_CONFIG, "127.0.0.1");
        app.put(StreamsAppConfig.MODEL_TRUSTED_KEYS_FILE_CONFIG, publicKey.toString());
        app.putAll(settings.appOverrides());
        return StreamsAppProcess.start("streams-app-" + instance, settings.appJar(), settings.appJavaOptions(), app,
                managementPort, state, settings.directory().resolve("streams-app-" + instance + ".log"));
    }

    private Result measure(Map<String, Object> client, SchemaRegistryClient registry, List<StreamsAppProcess> apps,
                           ModelReleasePublisher publisher, ModelRelease second, BenchWorkload workload,
                           ClickSource clicks) throws Exception {
        AtomicReference<Double> rate = new AtomicReference<>(settings.rates().get(0));
        AtomicBoolean stop = new AtomicBoolean();
        RecommendationWatcher watcher = new RecommendationWatcher(client, registry, TopicCatalog.RECOMMENDATIONS.name(),
                list -> { });
        watcher.awaitAssignment(Duration.ofSeconds(30));
        Thread watcherThread = new Thread(watcher, "bench-watcher");
        watcherThread.start();
        try (ClickReplayer replayer = new ClickReplayer(client, registry, TopicCatalog.CLICKS.name())) {
            replayer.warmUp();
            Thread load = new Thread(() -> replayer.run(clicks, rate::get, Duration.ofDays(1), stop::get),
                    "bench-load");
            load.start();

            out.printf(Locale.ROOT, "==> warm-up %ds at %.0f clicks/s%n", settings.warmup().toSeconds(), rate.get());
            Thread.sleep(settings.warmup().toMillis());
            awaitCaughtUp(watcher, replayer, rate.get());
            List<ChildJvm.Memory> memoryAtStart = memories(apps);

            List<Step> steps = new ArrayList<>();
            for (double offered : settings.rates()) {
                rate.set(offered);
                steps.add(step(watcher, replayer, apps, offered));
            }
            List<Step> search = settings.searchMaxRate() ? searchMaxRate(watcher, replayer, apps, rate, steps)
                    : List.of();

            SwapResult swap = null;
            if (settings.swapRate() > 0) {
                swap = swap(watcher, replayer, apps, publisher, second, rate);
            }
            soak(watcher, apps, rate);
            List<ChildJvm.Memory> memoryAtEnd = memories(apps);
            stop.set(true);
            load.join();
            watcher.close();
            watcherThread.join();
            watcher.closeConsumer();
            return new Result(description(workload), apps.size(), steps, search, swap, memoryAtStart, memoryAtEnd,
                    settings.soak(), settings.soakRate(), null);
        }
    }

    private void soak(RecommendationWatcher watcher, List<StreamsAppProcess> apps, AtomicReference<Double> rate)
            throws IOException, InterruptedException {
        if (settings.soak().isZero()) {
            return;
        }
        rate.set(settings.soakRate());
        out.printf(Locale.ROOT, "==> soak %d min at %.0f clicks/s%n", settings.soak().toMinutes(), settings.soakRate());
        long end = System.nanoTime() + settings.soak().toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(Duration.ofSeconds(30).toMillis());
            List<ChildJvm.Memory> memory = memories(apps);
            out.printf(Locale.ROOT, "    RSS %s MiB (peak %s MiB), lists %,d%n",
                    BenchTable.perInstance(memory, m -> m.rssBytes() >> 20),
                    BenchTable.perInstance(memory, m -> m.peakBytes() >> 20), watcher.snapshot().lists());
        }
    }

    private static List<ChildJvm.Memory> memories(List<StreamsAppProcess> apps) throws IOException {
        List<ChildJvm.Memory> memory = new ArrayList<>();
        for (StreamsAppProcess app : apps) {
            memory.add(app.memory());
        }
        return memory;
    }

    private String description(BenchWorkload workload) {
        return String.format(Locale.ROOT, "End to end, %s, %,d users, %,d items (%s), %s partitions; app %s %s",
                settings.variant(), workload.users(), workload.items(), workload.description(),
                settings.partitions() == 0 ? "the catalog's" : settings.partitions(), settings.appJavaOptions(),
                settings.appOverrides());
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
                                     List<StreamsAppProcess> apps, AtomicReference<Double> rate, List<Step> fixed)
            throws Exception {
        List<Step> search = new ArrayList<>();
        Step last = fixed.get(fixed.size() - 1);
        search.add(last);
        while (last.sustained()) {
            double offered = Math.round(last.offered() * SEARCH_FACTOR / 10) * 10.0;
            rate.set(offered);
            last = step(watcher, replayer, apps, offered);
            search.add(last);
        }
        rate.set(settings.rates().get(0));
        awaitCaughtUp(watcher, replayer, rate.get());
        return search;
    }

    private Step step(RecommendationWatcher watcher, ClickReplayer replayer, List<StreamsAppProcess> apps,
                      double offered) throws Exception {
        out.printf(Locale.ROOT, "==> %.0f clicks/s for %ds%n", offered, settings.step().toSeconds());
        long startSecond = System.currentTimeMillis() / 1000 + 5; // the first seconds settle into the new rate
        long listsAtStart = watcher.snapshot().lists();
        InstanceMeters atStart = InstanceMeters.read(apps);
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
        InstanceMeters atEnd = InstanceMeters.read(apps);
        AppMetrics.ScoringCost scoring = AppMetrics.total(atEnd.metrics())
                .scoringSince(AppMetrics.total(atStart.metrics()));
        Step step = new Step(offered, achieved, window.getValueAtPercentile(50), window.getValueAtPercentile(99),
                window.getMaxValue(), backlog, sent.getValueAtPercentile(99), computed.getValueAtPercentile(50),
                computed.getValueAtPercentile(99), scoring.msPerList(), scoring.usersPerCall(),
                atEnd.listsPerSecondSince(atStart, seconds), atEnd.cpuPercentSince(atStart, seconds));
        out.printf(Locale.ROOT, "    achieved %.0f lists/s (per instance %s), p50 %.1f ms, p99 %.1f ms (sent after p99"
                        + " %.1f ms; computed after p50 %.1f, p99 %.1f ms), backlog %,d, app CPU %.0f%% (per instance"
                        + " %s), scoring %.3f ms per list in batches of %.1f%n", achieved,
                BenchTable.perInstance(step.listsPerSecondByInstance(), Math::round), step.p50Micros() / 1000.0,
                step.p99Micros() / 1000.0, step.sentP99Micros() / 1000.0, step.computedP50Micros() / 1000.0,
                step.computedP99Micros() / 1000.0, backlog, step.appCpuPercent(),
                BenchTable.perInstance(step.cpuPercentByInstance(), Math::round), step.scoringMsPerList(),
                step.usersPerCall());
        return step;
    }

    private SwapResult swap(RecommendationWatcher watcher, ClickReplayer replayer, List<StreamsAppProcess> apps,
                            ModelReleasePublisher publisher, ModelRelease newer, AtomicReference<Double> rate)
            throws Exception {
        rate.set(settings.swapRate());
        out.printf(Locale.ROOT, "==> hot swap at %.0f clicks/s: 15 s, publish v2, wait until every instance serves"
                + " it (at most %d s), 20 s%n", settings.swapRate(), SWAP_WAIT_LIMIT.toSeconds());
        long swapsBefore = watcher.snapshot().swaps().size();
        long fallbackBefore = watcher.snapshot().fallbackLists();
        long from = System.currentTimeMillis() / 1000;
        Thread.sleep(15_000);
        long published = System.nanoTime();
        publisher.publish(newer);
        double swapSeconds = awaitServedEverywhere(apps, newer.getVersion(), published);
        out.printf(Locale.ROOT, "    %s%n", swapSeconds < 0 ? "not every instance served v" + newer.getVersion()
                + " within " + SWAP_WAIT_LIMIT.toSeconds() + " s" : String.format(Locale.ROOT,
                "every instance served v%d %.1f s after it was published", newer.getVersion(), swapSeconds));
        Thread.sleep(20_000);
        rate.set(0.0);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (watcher.snapshot().lists() < replayer.sent() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        long to = System.currentTimeMillis() / 1000;
        int swapped = instancesServing(apps, newer.getVersion());
        RecommendationWatcher.Snapshot seen = watcher.snapshot();
        long missing = replayer.sent() - seen.lists();
        rate.set(settings.rates().get(0));
        if (seen.swaps().size() <= swapsBefore) {
            out.printf(Locale.ROOT, "    no swap seen downstream; %d of %d instance(s) serve v%d%n", swapped,
                    apps.size(), newer.getVersion());
            return new SwapResult(settings.swapRate(), -1, -1, missing, seen.fallbackLists() - fallbackBefore, -1,
                    swapped, swapSeconds);
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
        out.printf(Locale.ROOT, "    largest gap around the swap %d ms, elsewhere %d ms; missing lists %d; p99 around"
                + " the swap %.1f ms; %d of %d instance(s) serve v%d%n", swapGap, normalGap, missing, p99 / 1000.0,
                swapped, apps.size(), newer.getVersion());
        return new SwapResult(settings.swapRate(), swapGap, normalGap, missing, seen.fallbackLists() - fallbackBefore,
                p99, swapped, swapSeconds);
    }

    /**
     * Seconds from publishing until every instance serves the version, or -1 after {@link #SWAP_WAIT_LIMIT}: a
     * release of 10^6 items takes tens of seconds to fetch, verify and load under load.
     */
    private static double awaitServedEverywhere(List<StreamsAppProcess> apps, long version, long publishedNanos)
            throws InterruptedException {
        long deadline = publishedNanos + SWAP_WAIT_LIMIT.toNanos();
        while (instancesServing(apps, version) < apps.size()) {
            if (System.nanoTime() > deadline) {
                return -1;
            }
            Thread.sleep(500);
        }
        return (System.nanoTime() - publishedNanos) / 1e9;
    }

    private static int instancesServing(List<StreamsAppProcess> apps, long version) throws InterruptedException {
        int serving = 0;
        for (StreamsAppProcess app : apps) {
            if (app.servingVersion() == version) {
                serving++;
            }
        }
        return serving;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
