package io.streamrec.trainer.service;

import io.streamrec.avro.ModelRelease;
import io.streamrec.schemas.model.ReleaseRejectedException;
import io.streamrec.schemas.model.ReleaseSigner;
import io.streamrec.schemas.model.ReleaseVerifier;
import io.streamrec.schemas.serde.SchemaRegistryClient;
import io.streamrec.trainer.data.Corpus;
import io.streamrec.trainer.data.HeldOut;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.data.Split;
import io.streamrec.trainer.data.Splits;
import io.streamrec.trainer.eval.Evaluator;
import io.streamrec.trainer.eval.RankingMetrics;
import io.streamrec.trainer.kafka.ModelReleasePublisher;
import io.streamrec.trainer.kafka.ModelReleaseReader;
import io.streamrec.trainer.kafka.ModelsSnapshot;
import io.streamrec.trainer.model.NcfModel;
import io.streamrec.trainer.release.Hyperparameters;
import io.streamrec.trainer.release.OwnReleases;
import io.streamrec.trainer.release.Provenance;
import io.streamrec.trainer.release.ReleaseBuilder;
import io.streamrec.trainer.release.ReleaseGraphs;
import io.streamrec.trainer.release.ReleaseRequest;
import io.streamrec.trainer.release.ReleaseSettings;
import io.streamrec.trainer.report.PeakHeap;
import io.streamrec.trainer.snapshot.InteractionSnapshot;
import io.streamrec.trainer.snapshot.InteractionSnapshotReader;
import io.streamrec.trainer.train.EpochStats;
import io.streamrec.trainer.train.FitResult;
import io.streamrec.trainer.train.Trainer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One refit, the trainer loop of the design: read the models topic (serving release, next version, from this
 * trainer's own signed releases only: {@link OwnReleases}) → read the
 * interactions snapshot → hold out each user's latest interaction for the gate and the one before it for
 * early stopping → train (from the last published model's parameters when {@link WarmStart} allows, else from
 * scratch) → evaluate the new model and the serving release on the same holdout (NCF protocol,
 * HR@10 / NDCG@10) → publish a signed release only if the new model is at least as good, within the tolerance.
 *
 * <p>The gate prefers a fresh holdout: when the serving release records the latest event time it was trained
 * on, only users whose held-out interaction came later are compared, because the serving model may have
 * trained on the older ones (which would flatter it). With fewer than {@value #MIN_FRESH_USERS} such users,
 * the whole holdout is used and the report says so.
 *
 * <p>One run per instance; not thread-safe. Cancellation (graceful shutdown) is checked while reading and
 * between epochs.
 */
public final class RefitRun {

    private static final Logger log = LoggerFactory.getLogger(RefitRun.class);

    /** Provenance key: the latest event time (epoch ms) among the training interactions. */
    public static final String DATA_MAX_EVENT_TIME = "data.max.event.time";
    /** Fewest fresh held-out users for the gate to compare on them alone. */
    static final int MIN_FRESH_USERS = 50;
    private static final int K = 10;

    private final TrainerServiceConfig config;
    private final Map<String, Object> clientConfig;
    private final SchemaRegistryClient schemaRegistry;
    private final ReleaseSigner signer;
    private final Clock clock;
    private final Consumer<EpochStats> epochListener;
    private final WarmStart warmStart;

    /**
     * @param clientConfig  Kafka client and serde settings ({@code bootstrap.servers}, {@code schema.registry.url},
     *                      security)
     * @param epochListener told of each epoch on the run's thread (live progress, metrics)
     * @param warmStart     the last published model, to start from (and updated when this run publishes)
     */
    RefitRun(TrainerServiceConfig config, Map<String, ?> clientConfig, SchemaRegistryClient schemaRegistry,
             ReleaseSigner signer, Clock clock, Consumer<EpochStats> epochListener, WarmStart warmStart) {
        this.config = config;
        this.clientConfig = new LinkedHashMap<>(clientConfig);
        this.schemaRegistry = schemaRegistry;
        this.signer = signer;
        this.clock = clock;
        this.epochListener = epochListener;
        this.warmStart = warmStart;
    }

    /** Runs the refit; never throws for a failed run (the outcome says FAILED and why). */
    public RefitOutcome run(BooleanSupplier cancelled) {
        PeakHeap.reset();
        Map<String, Duration> phases = new LinkedHashMap<>();
        List<EpochStats> epochs = new ArrayList<>();
        String name = config.modelName();
        long version = -1;
        long servingVersion = -1;
        long pairs = 0;
        try {
            ReleaseVerifier ownReleases = OwnReleases.verifier(signer, config.trustedKeysFile().stream().toList());
            ModelsSnapshot models = timed(phases, "models", () -> new ModelReleaseReader(clientConfig,
                    config.modelsTopic(), config.snapshotTimeout(), ownReleases).read());
            Optional<ModelRelease> serving = models.latest(name);
            servingVersion = serving.map(ModelRelease::getVersion).orElse(-1L);
            version = models.nextVersion(name);

            InteractionSnapshot snapshot = timed(phases, "snapshot", () -> new InteractionSnapshotReader(clientConfig,
                    schemaRegistry, config.interactionsTopic(), config.snapshotTimeout()).read(cancelled));
            Corpus corpus = snapshot.corpus();
            pairs = snapshot.pairs();
            if (corpus.interactions().size() == 0) {
                return outcome(RefitOutcome.Decision.FAILED, version, "no interactions on " + config.interactionsTopic()
                        + " to train on", null, null, servingVersion, 0, epochs, pairs, phases);
            }

            Split[] splits = timed(phases, "split", () -> {
                Split test = Splits.leaveLastOut(corpus.interactions(), config.evalNegatives(), config.trainConfig().seed());
                Split validation = Splits.leaveLastOut(test.train(), config.evalNegatives(),
                        config.trainConfig().seed() + 1);
                return new Split[] {test, validation};
            });
            Split test = splits[0];
            Split validation = splits[1];
            GateHoldout gate = gateHoldout(corpus.interactions(), test.heldOut(), serving);

            // A zero-epoch run is the gate's negative control: it must be untrained, not the serving model again.
            Optional<NcfModel> warm = config.untrained() || !config.warmStart() ? Optional.empty()
                    : warmStart.modelFor(config.modelConfig(), serving.map(ModelRelease::getSha256), corpus.users(),
                            corpus.items());
            NcfModel model = warm.orElseGet(() -> NcfModel.create(config.modelConfig(), corpus.users().size(),
                    corpus.items().size()));
            String initialisation = warm.isPresent() ? "warm:v" + servingVersion : "scratch";
            log.info("event=refit_init model={} version={} init={}", name, version, initialisation);
            RankingMetrics candidate;
            Optional<RankingMetrics> baseline;
            long trainStart = System.nanoTime();
            try (Trainer trainer = new Trainer(config.trainConfig())) {
                if (!config.untrained()) {
                    FitResult fit = timed(phases, "train", () -> trainer.fit(model, validation.train(),
                            validation.heldOut(), stats -> {
                                epochs.add(stats);
                                logEpoch(stats, epochs);
                                epochListener.accept(stats);
                                if (cancelled.getAsBoolean()) {
                                    throw new CancellationException("training cancelled after epoch " + stats.epoch());
                                }
                            }));
                    log.info("event=train_done best_epoch={} epochs={} validation=\"{}\"", fit.bestEpoch(),
                            fit.epochs().size(), fit.bestValidation());
                }
                Duration trainingTime = Duration.ofNanos(System.nanoTime() - trainStart);
                candidate = timed(phases, "evaluate", () ->
                        Evaluator.sampled(model, test.train(), gate.heldOut(), K, trainer.pool()));
                baseline = timed(phases, "evaluate-serving", () ->
                        evaluateServing(serving, ownReleases, corpus, test.train(), gate.heldOut(), trainer));

                String metric = config.gateMetric();
                double candidateValue = value(candidate, metric);
                String comparison;
                if (baseline.isPresent()) {
                    double servingValue = value(baseline.get(), metric);
                    comparison = String.format(Locale.ROOT, "%s %.4f for v%d against %.4f for serving v%d on %d%s"
                                    + " held-out users (tolerance %.4f)", metric, candidateValue, version, servingValue,
                            servingVersion, gate.heldOut().usersWithTargets(), gate.fresh() ? " fresh" : "",
                            config.gateTolerance());
                    if (candidateValue < servingValue - config.gateTolerance()) {
                        log.info("event=gate_keep model={} candidate_version={} serving_version={} {}={} serving_{}={}",
                                name, version, servingVersion, metric, candidateValue, metric, servingValue);
                        return outcome(RefitOutcome.Decision.KEPT, version, "kept the serving model: " + comparison,
                                candidate, baseline.get(), servingVersion, gate.heldOut().usersWithTargets(), epochs,
                                pairs, phases);
                    }
                } else {
                    comparison = String.format(Locale.ROOT, "%s %.4f for v%d on %d held-out users; %s", metric,
                            candidateValue, version, gate.heldOut().usersWithTargets(),
                            serving.isEmpty() ? "no serving model" : "the serving release could not be evaluated");
                }

                Provenance provenance = Provenance.of(snapshot.offsetsDescription(), pairs, trainingTime)
                        .with(DATA_MAX_EVENT_TIME, Long.toString(maxTimestamp(corpus.interactions())))
                        .with("data.users", Integer.toString(corpus.users().size()))
                        .with("data.items", Integer.toString(corpus.items().size()))
                        .with("training.init", initialisation)
                        .with("gate.holdout", gate.fresh() ? "fresh" : "all")
                        .with("gate.users", Integer.toString(gate.heldOut().usersWithTargets()));
                Map<String, Double> metrics = new LinkedHashMap<>();
                metrics.put("hr@10", candidate.hitRate());
                metrics.put("ndcg@10", candidate.ndcg());
                baseline.ifPresent(b -> {
                    metrics.put("serving.hr@10", b.hitRate());
                    metrics.put("serving.ndcg@10", b.ndcg());
                });
                long finalVersion = version;
                ModelRelease release = timed(phases, "export", () -> new ReleaseBuilder(signer, new ReleaseSettings(
                        config.inlineMaxBytes(), config.artifactDirectory()), clock).build(new ReleaseRequest(name,
                        finalVersion, model, corpus.users(), corpus.items(), metrics,
                        Hyperparameters.of(config.trainConfig()), provenance)));
                timed(phases, "publish", () -> {
                    try (ModelReleasePublisher publisher = new ModelReleasePublisher(clientConfig, config.modelsTopic())) {
                        return publisher.publish(release);
                    }
                });
                warmStart.remember(model, corpus.users(), corpus.items(), release.getSha256());
                log.info("event=gate_publish model={} version={} {}", name, version, comparison);
                return outcome(RefitOutcome.Decision.PUBLISHED, version, "published: " + comparison, candidate,
                        baseline.orElse(null), servingVersion, gate.heldOut().usersWithTargets(), epochs, pairs, phases);
            }
        } catch (CancellationException e) {
            log.info("event=refit_cancelled message=\"{}\"", e.getMessage());
            return outcome(RefitOutcome.Decision.FAILED, version, "cancelled: " + e.getMessage(), null, null,
                    servingVersion, 0, epochs, pairs, phases);
        } catch (RuntimeException e) {
            log.error("event=refit_failed error=\"{}\"", e.toString(), e);
            return outcome(RefitOutcome.Decision.FAILED, version, "failed: " + e, null, null, servingVersion, 0, epochs,
                    pairs, phases);
        }
    }

    /** The gate's holdout and whether it is the fresh subset. */
    record GateHoldout(HeldOut heldOut, boolean fresh) { }

    /** Users whose held-out interaction came after the serving model's data, if there are enough of them. */
    static GateHoldout gateHoldout(Interactions all, HeldOut heldOut, Optional<ModelRelease> serving) {
        Optional<Long> cutoff = serving.map(release -> release.getProvenance().get(DATA_MAX_EVENT_TIME))
                .map(Long::valueOf);
        if (cutoff.isEmpty()) {
            return new GateHoldout(heldOut, false);
        }
        HeldOut fresh = heldOut.restrictedTo(user -> all.timestampAt(all.end(user) - 1) > cutoff.get());
        int freshUsers = fresh.usersWithTargets();
        if (freshUsers < MIN_FRESH_USERS) {
            log.info("event=gate_holdout_stale fresh_users={} note=\"fewer than {} users acted after the serving"
                    + " model's data; comparing on all held-out users\"", freshUsers, MIN_FRESH_USERS);
            return new GateHoldout(heldOut, false);
        }
        return new GateHoldout(fresh, true);
    }

    private Optional<RankingMetrics> evaluateServing(Optional<ModelRelease> serving, ReleaseVerifier ownReleases,
                                                     Corpus corpus, Interactions histories, HeldOut heldOut,
                                                     Trainer trainer) {
        if (serving.isEmpty()) {
            return Optional.empty();
        }
        ModelRelease release = serving.get();
        byte[] graph;
        try {
            graph = ReleaseGraphs.verifiedGraph(release, ownReleases, Long.MAX_VALUE);
        } catch (ReleaseRejectedException e) {
            log.warn("event=gate_baseline_unverifiable version={} reason={} message=\"{}\"", release.getVersion(),
                    e.reason(), e.getMessage());
            return Optional.empty();
        }
        try (ReleaseScorer scorer = ReleaseScorer.open(release, graph, corpus.users(), corpus.items())) {
            return Optional.of(Evaluator.sampled(scorer, histories, heldOut, K, trainer.pool()));
        } catch (ai.onnxruntime.OrtException e) {
            log.warn("event=gate_baseline_unloadable version={} error=\"{}\"", release.getVersion(), e.getMessage());
            return Optional.empty();
        }
    }

    private void logEpoch(EpochStats stats, List<EpochStats> epochs) {
        int maxEpochs = config.trainConfig().maxEpochs();
        double mean = epochs.stream().mapToDouble(EpochStats::seconds).average().orElse(0);
        RankingMetrics validation = stats.validation();
        log.info(String.format(Locale.ROOT, "event=train_epoch epoch=%d/%d loss=%.4f val_hr@10=%.4f val_ndcg@10=%.4f"
                        + " epoch_s=%.1f samples_per_s=%.0f eta_s=%.0f", stats.epoch(), maxEpochs, stats.loss(),
                validation == null ? Double.NaN : validation.hitRate(),
                validation == null ? Double.NaN : validation.ndcg(), stats.seconds(), stats.samplesPerSecond(),
                mean * (maxEpochs - stats.epoch())));
    }

    private static double value(RankingMetrics metrics, String metric) {
        return metric.equals("hr@10") ? metrics.hitRate() : metrics.ndcg();
    }

    private static long maxTimestamp(Interactions interactions) {
        long max = Long.MIN_VALUE;
        for (int position = 0; position < interactions.size(); position++) {
            max = Math.max(max, interactions.timestampAt(position));
        }
        return max;
    }

    private RefitOutcome outcome(RefitOutcome.Decision decision, long version, String reason, RankingMetrics candidate,
                                 RankingMetrics serving, long servingVersion, int gateUsers, List<EpochStats> epochs,
                                 long pairs, Map<String, Duration> phases) {
        return new RefitOutcome(decision, config.modelName(), version, reason, Optional.ofNullable(candidate),
                Optional.ofNullable(serving), servingVersion, gateUsers, epochs, pairs, phases, PeakHeap.bytes(),
                Optional.empty());
    }

    private static <T> T timed(Map<String, Duration> phases, String phase, Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            phases.put(phase, took);
            log.info("event=refit_phase phase={} ms={}", phase, took.toMillis());
        }
    }


}
