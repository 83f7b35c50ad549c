package io.streamrec.demo.chaos;

import io.streamrec.avro.ModelRelease;
import io.streamrec.demo.bench.ChildJvm;
import io.streamrec.demo.bench.CyclingClickSource;
import io.streamrec.devstack.Directories;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.model.ReleaseSigner;
import io.streamrec.schemas.model.ReleaseVerifier;
import io.streamrec.schemas.serde.RestSchemaRegistryClient;
import io.streamrec.schemas.serde.SchemaRegistryClient;
import io.streamrec.schemas.topics.TopicCatalog;
import io.streamrec.trainer.data.Corpus;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Runs one chaos scenario on a fresh cluster: starts the broker, the registry and the app instances, publishes
 * release v1, puts the cluster under steady load with a verifier and a liveness prober, lets the scenario break
 * things, keeps the load on, drains, and reports what a downstream consumer saw. See {@link ChaosCommand}.
 */
final class ChaosRun {

    /** Everything the scenarios share. Immutable. */
    record Settings(Path directory, Path devstackJar, Path appJar, Path trainerJar, List<String> appJvmOptions,
                    Map<String, String> appOverrides, Map<String, String> trainerOverrides, int instances,
                    double clicksPerSecond, Duration warmUp, Duration steady, Duration drain, int badClicks,
                    int badReleases, long seed) { }

    /** The longest wait after the warm-up for the lists to catch up with the clicks. */
    static final Duration CATCH_UP_LIMIT = Duration.ofMinutes(3);

    /** Signed and forged releases of the run's model, trained once for every scenario. */
    record Releases(KeyPair trainerKeys, LongFunction<ModelRelease> signed, LongFunction<ModelRelease> forged) { }

    private final Settings settings;
    private final Corpus corpus;
    private final Releases releases;
    private final PrintStream out;

    ChaosRun(Settings settings, Corpus corpus, Releases releases, PrintStream out) {
        this.settings = settings;
        this.corpus = corpus;
        this.releases = releases;
        this.out = out;
    }

    ScenarioResult run(Scenario scenario) throws IOException, InterruptedException {
        Path directory = settings.directory().resolve(scenario.id());
        Directories.deleteRecursively(directory);
        Files.createDirectories(directory);
        Path trusted = directory.resolve("trusted.pub");
        Path signing = directory.resolve("signing.pem");
        Files.writeString(trusted, ReleaseKeys.publicKeyPem(releases.trainerKeys().getPublic()), StandardCharsets.US_ASCII);
        Files.writeString(signing, ReleaseKeys.privateKeyPem(releases.trainerKeys()), StandardCharsets.US_ASCII);
        out.printf(Locale.ROOT, "==> scenario %s: %s%n", scenario.id(), scenario.title());
        try (ChaosCluster cluster = new ChaosCluster(new ChaosCluster.Settings(directory, settings.devstackJar(),
                settings.appJar(), settings.trainerJar(), settings.appJvmOptions(), settings.appOverrides(),
                settings.trainerOverrides()), trusted, signing)) {
            cluster.startStack();
            Context context = new Context(cluster, directory);
            context.publish(releases.signed().apply(1));
            for (int i = 0; i < settings.instances(); i++) {
                cluster.addApp().start();
            }
            for (ChildJvm app : cluster.apps()) {
                cluster.awaitServing(app, 1);
            }
            out.printf(Locale.ROOT, "    %d instances serve v1%n", settings.instances());
            return context.underLoad(scenario);
        }
    }

    /** One scenario's running state, handed to its fault script. */
    final class Context {

        private final ChaosCluster cluster;
        private final Path directory;
        private final SchemaRegistryClient registry;
        private ClickLoad load;
        private long loadStartNanos;
        private List<FuzzRecords.Bad> badSent = List.of();

        Context(ChaosCluster cluster, Path directory) {
            this.cluster = cluster;
            this.directory = directory;
            this.registry = RestSchemaRegistryClient.forUrl(cluster.registryUrl());
        }

        String modelsTopic() {
            return TopicCatalog.MODELS.name();
        }

        ModelRelease release(long version) {
            return releases.signed().apply(version);
        }

        /** Verifies what the trainer signs, as the trainer itself does. */
        ReleaseVerifier trainerVerifier() {
            return ReleaseVerifier.trusting(List.of(releases.trainerKeys().getPublic()));
        }

        ModelRelease forgedRelease(long version) {
            return releases.forged().apply(version);
        }

        double secondsSinceLoadStart() {
            return (System.nanoTime() - loadStartNanos) / 1e9;
        }

        void log(String line) {
            out.println(line);
        }

        void publish(ModelRelease release) {
            new FaultScript(cluster, this).publish(release);
        }

        ScenarioResult underLoad(Scenario scenario) throws InterruptedException {
            int maxClicks = (int) (settings.clicksPerSecond() * (settings.warmUp().plus(settings.steady())
                    .plus(CATCH_UP_LIMIT).toSeconds() + 900));
            load = new ClickLoad(cluster.clientConfig(), registry, TopicCatalog.CLICKS.name(),
                    new CyclingClickSource(corpus, settings.seed()), settings.clicksPerSecond(), maxClicks,
                    System.currentTimeMillis() - 60_000);
            FaultScript script = new FaultScript(cluster, this);
            String error = null;
            try (Verifier verifier = new Verifier(cluster.clientConfig(), registry,
                    TopicCatalog.RECOMMENDATIONS.name(), TopicCatalog.DEAD_LETTERS.name(), load);
                 LivenessProber prober = new LivenessProber(cluster)) {
                Thread verifying = new Thread(verifier, "chaos-verifier");
                verifying.start();
                Thread loading = new Thread(load::run, "chaos-load");
                loadStartNanos = System.nanoTime();
                loading.start();
                Thread.sleep(settings.warmUp().toMillis());
                Duration steadyFrom = awaitCaughtUp(verifier);
                out.printf(Locale.ROOT, "    %.0f clicks/s: caught up %.0f s after the start, %d s steady%n",
                        settings.clicksPerSecond(), steadyFrom.toMillis() / 1000.0, settings.steady().toSeconds());
                Thread.sleep(settings.steady().toMillis());
                Duration faultAt = steadyFrom.plus(settings.steady());
                try {
                    scenario.inject(script);
                } catch (Exception e) {
                    error = e.toString();
                    out.println("    the scenario failed: " + e);
                }
                Thread.sleep(scenario.afterFault().toMillis());
                load.stop();
                loading.join();
                drain(verifier);
                ScenarioResult result = result(scenario, script, verifier, prober, steadyFrom, faultAt, error);
                verifier.stop();
                verifying.join();
                verifier.closeConsumers();
                return result;
            } finally {
                load.close();
            }
        }

        /**
         * Waits until the lists have caught up with the clicks (at most half a second of load outstanding, three
         * checks in a row) and returns when that was, since the load started: four cold JVMs on two cores may
         * still be working off their start-up backlog after the warm-up, and a window that drains a backlog is not
         * steady. Gives up after {@link #CATCH_UP_LIMIT}.
         */
        private Duration awaitCaughtUp(Verifier verifier) throws InterruptedException {
            long deadline = System.nanoTime() + CATCH_UP_LIMIT.toNanos();
            int inARow = 0;
            while (inARow < 3 && System.nanoTime() < deadline) {
                Verifier.Tally tally = verifier.tally();
                long outstanding = tally.clicks() - tally.answered() - tally.validDeadLettered();
                inARow = outstanding <= settings.clicksPerSecond() / 2 ? inARow + 1 : 0;
                Thread.sleep(500);
            }
            return Duration.ofNanos(System.nanoTime() - loadStartNanos);
        }

        /** Waits until every click has a list (or was dead-lettered) and every bad record was dead-lettered. */
        private void drain(Verifier verifier) throws InterruptedException {
            Set<String> badIds = badSent.stream().map(FuzzRecords.Bad::id).collect(Collectors.toSet());
            long deadline = System.nanoTime() + settings.drain().toNanos();
            while (System.nanoTime() < deadline) {
                Verifier.Tally tally = verifier.tally();
                if (tally.lost() == 0 && verifier.allDeadLettered(badIds)) {
                    break;
                }
                Thread.sleep(500);
            }
            Thread.sleep(3_000); // duplicates, if any, arrive with or after the last list
        }

        private ScenarioResult result(Scenario scenario, FaultScript script, Verifier verifier,
                                      LivenessProber prober, Duration steadyFrom, Duration faultAt,
                                      String error) {
            double steady = verifier.typicalP99Between(steadyFrom, faultAt);
            writeQuietly(directory.resolve("latency.csv"), verifier.latencyCsv());
            TreeMap<Double, Double> p99 = verifier.p99ByBucket();
            Recovery recovery = Recovery.of(p99, Verifier.BUCKET.toMillis() / 1000.0, steady,
                    script.firstFaultSeconds());
            Map<String, String> bad = verifier.badDeadLettered();
            Map<String, Integer> reasons = new TreeMap<>();
            for (FuzzRecords.Bad record : badSent) {
                String reason = bad.get(record.id());
                reasons.merge(reason == null ? "(not dead-lettered)" : reason, 1, Integer::sum);
            }
            Map<String, Long> rss = new LinkedHashMap<>();
            List<String> exits = new ArrayList<>();
            for (ChildJvm process : cluster.processes()) {
                if (process.name().startsWith("app-")) {
                    rss.put(process.name(), process.peakRssBytes() >> 20);
                }
                exits.addAll(process.unexpectedExits());
            }
            int badDeadLettered = (int) badSent.stream().filter(record -> bad.containsKey(record.id())).count();
            ScenarioResult result = new ScenarioResult(scenario, verifier.tally(), badSent.size(), badDeadLettered,
                    reasons, steady, recovery, prober.probes(), prober.failures(), exits, rss, script.checks(), p99,
                    script.marks(), error);
            out.println("    " + ChaosReport.summaryLine(result));
            return result;
        }

        private void writeQuietly(Path file, String text) {
            try {
                Files.writeString(file, text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                out.println("    could not write " + file + ": " + e);
            }
        }

        /**
         * Sends the run's bad records, on clicks and on models, spread over about 40 s while the valid load goes
         * on. Values too large for the broker's 1 MiB limit go through a compressing producer, as a hostile client
         * could send them.
         */
        void sendFuzz(FaultScript script) throws InterruptedException {
            FuzzRecords fuzz = new FuzzRecords(registry, TopicCatalog.CLICKS.name(), modelsTopic(), settings.seed());
            List<FuzzRecords.Bad> bad = new ArrayList<>(fuzz.clicks(TopicCatalog.CLICKS.name(), settings.badClicks()));
            bad.addAll(fuzz.releases(modelsTopic(), "default", settings.badReleases()));
            java.util.Collections.shuffle(bad, new java.util.Random(settings.seed()));
            badSent = List.copyOf(bad);
            Map<String, Object> plain = producerConfig("none");
            Map<String, Object> compressing = producerConfig("zstd");
            long perRecordNanos = Duration.ofSeconds(40).toNanos() / Math.max(1, bad.size());
            try (KafkaProducer<byte[], byte[]> small = new KafkaProducer<>(plain, new ByteArraySerializer(),
                    new ByteArraySerializer());
                 KafkaProducer<byte[], byte[]> large = new KafkaProducer<>(compressing, new ByteArraySerializer(),
                         new ByteArraySerializer())) {
                long start = System.nanoTime();
                for (int i = 0; i < bad.size(); i++) {
                    FuzzRecords.Bad record = bad.get(i);
                    (record.needsCompression() ? large : small).send(new ProducerRecord<>(record.topic(), null,
                            record.key(), record.value(), record.headers()));
                    long wait = start + (i + 1) * perRecordNanos - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            }
            script.check("every bad record was accepted by the broker", true);
        }

        private Map<String, Object> producerConfig(String compression) {
            Map<String, Object> config = new HashMap<>(cluster.clientConfig());
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
            config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
            config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
            return config;
        }
    }

    /** Releases of one trained model: signed by the trainer's key, or "forged" (signed by another key). */
    static Releases releases(ModelRelease trained, KeyPair trainerKeys) {
        KeyPair rogue = ReleaseKeys.generate();
        ReleaseSigner trainer = new ReleaseSigner(trainerKeys);
        ReleaseSigner forger = new ReleaseSigner(rogue);
        return new Releases(trainerKeys, version -> trainer.sign(withVersion(trained, version)),
                version -> forger.sign(withVersion(trained, version)));
    }

    private static ModelRelease withVersion(ModelRelease release, long version) {
        return ModelRelease.newBuilder(release).setVersion(version).setSignature(null).setSigningKeyId(null).build();
    }
}
