package io.streamrec.trainer.service;

import io.streamrec.avro.ModelRelease;
import io.streamrec.schemas.model.ReleaseRejectedException;
import io.streamrec.schemas.model.ReleaseSigner;
import io.streamrec.schemas.model.ReleaseVerifier;
import io.streamrec.schemas.model.ReleaseVocabularies;
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
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.model.NcfModel;
import io.streamrec.trainer.model.Variant;
import io.streamrec.trainer.parallel.WorkerPool;
import io.streamrec.trainer.release.ArtifactRetention;
import io.streamrec.trainer.release.Hyperparameters;
import io.streamrec.trainer.release.OwnReleases;
import io.streamrec.trainer.release.Provenance;
import io.streamrec.trainer.release.ReleaseBuilder;
import io.streamrec.trainer.release.ReleaseGraphs;
import io.streamrec.trainer.release.ReleaseRequest;
import io.streamrec.trainer.report.PeakHeap;
import io.streamrec.trainer.select.BaselineCandidate;
import io.streamrec.trainer.select.Fitted;
import io.streamrec.trainer.select.NeuralCandidate;
import io.streamrec.trainer.select.SelectionSummary;
import io.streamrec.trainer.select.VariantSelection;
import io.streamrec.trainer.snapshot.InteractionSnapshot;
import io.streamrec.trainer.snapshot.InteractionSnapshotReader;
import io.streamrec.trainer.train.EpochStats;
import io.streamrec.trainer.train.TrainConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
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
 * trained on the older ones (which would flatter it). With fewer than {@value GateHoldout#MIN_FRESH_USERS} such
 * users, the whole holdout is used and the report says so. The verdict itself is {@link GateDecision}'s.
 *
 * <p>One run per instance; not thread-safe. Cancellation (graceful shutdown) is checked while reading and
 * between epochs.
 */
public final class RefitRun {

    private static final Logger log = LoggerFactory.getLogger(RefitRun.class);

    /** Provenance key: the latest event time (epoch ms) among the training interactions. */
    public static final String DATA_MAX_EVENT_TIME = "data.max.event.time";
    private static final int K = 10;

    private final TrainerServiceConfig config;
    private final Map<String, Object> clientConfig;
    private final SchemaRegistryClient schemaRegistry;
    private final ReleaseSigner signer;
    private final Clock clock;
    private final Consumer<EpochStats> epochListener;
    private final WarmStart warmStart;
    private final BaselinePins baselinePins;

    /**
     * @param clientConfig  Kafka client and serde settings ({@code bootstrap.servers}, {@code schema.registry.url},
     *                      security)
     * @param epochListener told of each epoch on the run's thread (live progress, metrics)
     * @param warmStart     the last published model, to start from (and updated when this run publishes)
     * @param baselinePins  the baselines' last tuned settings (used and updated by this run)
     */
    RefitRun(TrainerServiceConfig config, Map<String, ?> clientConfig, SchemaRegistryClient schemaRegistry,
             ReleaseSigner signer, Clock clock, Consumer<EpochStats> epochListener, WarmStart warmStart,
             BaselinePins baselinePins) {
        this.config = config;
        this.clientConfig = new LinkedHashMap<>(clientConfig);
        this.schemaRegistry = schemaRegistry;
        this.signer = signer;
        this.clock = clock;
        this.epochListener = epochListener;
        this.warmStart = warmStart;
        this.baselinePins = baselinePins;
    }

    /** Runs the refit; never throws for a failed run (the outcome says FAILED and why). */
    public RefitOutcome run(BooleanSupplier cancelled) {
        PeakHeap.reset();
        Attempt attempt = new Attempt(cancelled);
        try {
            return attempt.refit();
        } catch (CancellationException e) {
            log.info("event=refit_cancelled message=\"{}\"", e.getMessage());
            return attempt.outcome(RefitOutcome.Decision.FAILED, "cancelled: " + e.getMessage(), Optional.empty());
        } catch (RuntimeException e) {
            log.error("event=refit_failed error=\"{}\"", e.toString(), e);
            return attempt.outcome(RefitOutcome.Decision.FAILED, "failed: " + e, Optional.empty());
        }
    }

    /** Users whose held-out interaction came after the serving model's data, if there are enough of them. */
    static GateHoldout gateHoldout(Interactions all, HeldOut heldOut, Optional<ModelRelease> serving) {
        Optional<Long> cutoff = serving.map(release -> release.getProvenance().get(DATA_MAX_EVENT_TIME))
                .map(Long::valueOf);
        if (cutoff.isEmpty()) {
            return GateHoldout.whole(heldOut);
        }
        HeldOut fresh = heldOut.restrictedTo(user -> all.timestampAt(all.end(user) - 1) > cutoff.get());
        GateHoldout chosen = GateHoldout.choose(heldOut, fresh);
        if (!chosen.fresh()) {
            log.info("event=gate_holdout_stale fresh_users={} note=\"fewer than {} users acted after the serving"
                    + " model's data; comparing on all held-out users\"", fresh.usersWithTargets(),
                    GateHoldout.MIN_FRESH_USERS);
        }
        return chosen;
    }

    /** The two leave-last-out splits: the gate's ({@code test}) and, cut from its training part, early stopping's. */
    private record TrainingSplits(Split test, Split validation) { }

    /**
     * The selection's outcome: the winner, how it started ({@code warm:v<n>} or {@code scratch}), and every trained
     * candidate (for the warm starts of the next refit).
     */
    private record Selected(NcfModel model, String initialisation, List<NcfModel> candidates) { }

    /**
     * One refit as it goes: what is known so far (versions, pairs, phase times, epochs), so that a refit that fails
     * at any step still reports it. The steps are the trainer loop's, in order.
     */
    private final class Attempt {
        private final BooleanSupplier cancelled;
        private final Map<String, Duration> phases = new LinkedHashMap<>();
        private final List<EpochStats> epochs = new ArrayList<>();
        private long version = -1;
        private long servingVersion = -1;
        private long pairs;
        private Optional<SelectionSummary> selection = Optional.empty();
        private String publishedSha256;

        Attempt(BooleanSupplier cancelled) {
            this.cancelled = cancelled;
        }

        RefitOutcome refit() {
            ReleaseVerifier ownReleases = OwnReleases.verifier(signer, config.trustedKeysFile().stream().toList());
            Optional<ModelRelease> serving = readServing(ownReleases);
            InteractionSnapshot snapshot = readSnapshot();
            Corpus corpus = snapshot.corpus();
            if (corpus.interactions().size() == 0) {
                return outcome(RefitOutcome.Decision.FAILED, "no interactions on " + config.interactionsTopic()
                        + " to train on", Optional.empty());
            }
            TrainingSplits splits = timed("split", () -> split(corpus.interactions()));
            GateHoldout holdout = gateHoldout(corpus.interactions(), splits.test().heldOut(), serving);
            long trainStart = System.nanoTime();
            try (WorkerPool pool = new WorkerPool(config.trainConfig().threads())) {
                Selected selected = select(corpus, serving, splits.validation(), pool);
                Duration trainingTime = Duration.ofNanos(System.nanoTime() - trainStart);
                NcfModel model = selected.model();
                GateDecision.Figures figures = evaluate(pool, model, serving, ownReleases, corpus,
                        splits.test().train(), holdout);
                GateDecision gate = GateDecision.decide(config.gateMetric(), config.gateTolerance(), version,
                        servingVersion, figures);
                if (!gate.publish()) {
                    return keep(gate, figures);
                }
                publish(model, corpus, releaseMetrics(figures), provenance(snapshot, trainingTime,
                        selected.initialisation(), holdout).with("selection.winner", model.config().variant().label()));
                rememberCandidates(selected, corpus);
                log.info("event=gate_publish model={} version={} {}", config.modelName(), version, gate.comparison());
                return outcome(RefitOutcome.Decision.PUBLISHED, gate.reason(), Optional.of(figures));
            }
        }

        /**
         * Trains every candidate and fits every baseline on the validation split and picks the winner; with a zero
         * epoch budget, the first candidate untrained (the gate's negative control).
         */
        private Selected select(Corpus corpus, Optional<ModelRelease> serving, Split validation, WorkerPool pool) {
            if (config.untrained()) {
                ModelConfig first = config.modelConfig();
                return new Selected(NcfModel.create(first, corpus.users().size(), corpus.items().size()), "scratch",
                        List.of());
            }
            List<NeuralCandidate> candidates = new ArrayList<>();
            Map<Variant, String> initialisations = new LinkedHashMap<>();
            for (ModelConfig candidate : config.candidateConfigs()) {
                Optional<NcfModel> warm = warmModel(candidate, corpus, serving);
                initialisations.put(candidate.variant(), warm.isPresent() ? "warm:v" + servingVersion : "scratch");
                log.info("event=refit_init model={} version={} variant={} init={}", config.modelName(), version,
                        candidate.variant().label(), initialisations.get(candidate.variant()));
                TrainConfig training = warm.isPresent() ? config.trainConfig(candidate).withPatience(
                        config.warmPatience()) : config.trainConfig(candidate);
                candidates.add(new NeuralCandidate(candidate, training, warm, stats -> onEpoch(candidate, stats)));
            }
            List<BaselineCandidate> baselines = config.baselines().stream()
                    .map(name -> baselinePins.candidate(name, config.historyLength())).toList();
            VariantSelection selection = timed("train", () -> VariantSelection.run(config.gateMetric(), candidates,
                    baselines, validation, pool, fitted -> log.info("event=selection_fitted entry={} kind={}"
                            + " settings=\"{}\" validation=\"{}\" seconds={}", fitted.name(),
                            fitted.baseline() ? "baseline" : "candidate", fitted.settings(), fitted.validation(),
                            fitted.time().toMillis() / 1000.0)));
            this.selection = Optional.of(selection.summary());
            baselinePins.update(baselines, selection.baselines());
            log.info("event=selection_done {}", selection.reason());
            selection.warning().ifPresent(warning -> log.warn("event=baseline_ahead message=\"{}\"", warning));
            Fitted winner = selection.winner();
            epochs.clear();
            winner.fit().ifPresent(fit -> epochs.addAll(fit.epochs()));
            List<NcfModel> trained = selection.candidates().stream().map(f -> f.model().orElseThrow()).toList();
            return new Selected(winner.model().orElseThrow(),
                    initialisations.get(winner.model().orElseThrow().config().variant()), trained);
        }

        private void onEpoch(ModelConfig candidate, EpochStats stats) {
            epochs.add(stats);
            logEpoch(candidate, stats);
            epochListener.accept(stats);
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("training cancelled after epoch " + stats.epoch());
            }
        }

        /** After a publish: every candidate of this refit starts the next one from here (see {@link WarmStart}). */
        private void rememberCandidates(Selected selected, Corpus corpus) {
            String sha256 = publishedSha256;
            for (NcfModel candidate : selected.candidates()) {
                warmStart.remember(candidate, corpus.users(), corpus.items(), sha256);
            }
        }

        /** Reads the models topic: the serving release (this trainer's own only) and the next version. */
        private Optional<ModelRelease> readServing(ReleaseVerifier ownReleases) {
            ModelsSnapshot models = timed("models", () -> new ModelReleaseReader(clientConfig,
                    config.modelsTopic(), config.snapshotTimeout(), ownReleases).read());
            Optional<ModelRelease> serving = models.latest(config.modelName());
            servingVersion = serving.map(ModelRelease::getVersion).orElse(-1L);
            version = models.nextVersion(config.modelName());
            return serving;
        }

        private InteractionSnapshot readSnapshot() {
            InteractionSnapshot snapshot = timed("snapshot", () -> new InteractionSnapshotReader(clientConfig,
                    schemaRegistry, config.interactionsTopic(), config.snapshotTimeout()).read(cancelled));
            pairs = snapshot.pairs();
            return snapshot;
        }

        private TrainingSplits split(Interactions interactions) {
            Split test = Splits.leaveLastOut(interactions, config.evalNegatives(), config.trainConfig().seed());
            Split validation = Splits.leaveLastOut(test.train(), config.evalNegatives(),
                    config.trainConfig().seed() + 1);
            return new TrainingSplits(test, validation);
        }

        /** The last published model of this configuration to start from, when warm starts allow it. */
        private Optional<NcfModel> warmModel(ModelConfig candidate, Corpus corpus, Optional<ModelRelease> serving) {
            if (!config.warmStart()) {
                return Optional.empty();
            }
            return warmStart.modelFor(candidate, serving.map(ModelRelease::getSha256), corpus.users(),
                    corpus.items());
        }

        /** The candidate and the serving release on the gate's holdout, with the same histories and negatives. */
        private GateDecision.Figures evaluate(WorkerPool pool, NcfModel model, Optional<ModelRelease> serving,
                                              ReleaseVerifier ownReleases, Corpus corpus, Interactions histories,
                                              GateHoldout holdout) {
            RankingMetrics candidate = timed("evaluate", () ->
                    Evaluator.sampled(model, histories, holdout.heldOut(), K, pool));
            Optional<RankingMetrics> baseline = timed("evaluate-serving", () ->
                    evaluateServing(serving, ownReleases, corpus, histories, holdout.heldOut(), pool));
            return new GateDecision.Figures(holdout, candidate, baseline);
        }

        private RefitOutcome keep(GateDecision gate, GateDecision.Figures figures) {
            log.info("event=gate_keep model={} candidate_version={} serving_version={} {}={} serving_{}={}",
                    config.modelName(), version, servingVersion, gate.metric(), gate.candidateValue(), gate.metric(),
                    gate.servingValue().getAsDouble());
            return outcome(RefitOutcome.Decision.KEPT, gate.reason(), Optional.of(figures));
        }

        private Provenance provenance(InteractionSnapshot snapshot, Duration trainingTime, String initialisation,
                                      GateHoldout holdout) {
            Corpus corpus = snapshot.corpus();
            return Provenance.of(snapshot.offsetsDescription(), pairs, trainingTime)
                    .with(DATA_MAX_EVENT_TIME, Long.toString(maxTimestamp(corpus.interactions())))
                    .with("data.users", Integer.toString(corpus.users().size()))
                    .with("data.items", Integer.toString(corpus.items().size()))
                    .with("training.init", initialisation)
                    .with("gate.holdout", holdout.fresh() ? "fresh" : "all")
                    .with("gate.users", Integer.toString(holdout.users()));
        }

        /** Builds, signs and publishes the release, and remembers the model for the next warm start. */
        private void publish(NcfModel model, Corpus corpus, Map<String, Double> metrics, Provenance provenance) {
            ModelRelease release = timed("export", () -> new ReleaseBuilder(signer, config.releaseSettings(), clock).build(new ReleaseRequest(
                    config.modelName(), version, model, corpus.users(), corpus.items(), metrics,
                    Hyperparameters.of(config.trainConfig(model.config())), provenance)));
            timed("publish", () -> {
                try (ModelReleasePublisher publisher = new ModelReleasePublisher(clientConfig, config.modelsTopic())) {
                    return publisher.publish(release);
                }
            });
            publishedSha256 = release.getSha256();
            config.artifactDirectory().ifPresent(directory -> pruneArtifacts(release, directory));
        }

        /** Older releases' files go once this one is published; a failure to delete fails no refit. */
        private void pruneArtifacts(ModelRelease release, Path directory) {
            try {
                for (Path deleted : ArtifactRetention.afterPublishing(release, directory,
                        config.artifactKeepReleases())) {
                    log.info("event=artifact_pruned model={} file={}", release.getName(), deleted);
                }
            } catch (IOException | UncheckedIOException e) {
                log.warn("event=artifact_prune_failed model={} dir={} error=\"{}\"", release.getName(), directory,
                        e.getMessage());
            }
        }

        /** The outcome so far; {@code figures} is empty when the refit ended before the gate. */
        RefitOutcome outcome(RefitOutcome.Decision decision, String reason, Optional<GateDecision.Figures> figures) {
            return new RefitOutcome(decision, config.modelName(), version, reason,
                    figures.map(GateDecision.Figures::candidate), figures.flatMap(GateDecision.Figures::serving),
                    servingVersion, figures.map(f -> f.holdout().users()).orElse(0), epochs, pairs, phases,
                    PeakHeap.bytes(), selection, Optional.empty());
        }

        private <T> T timed(String phase, Supplier<T> work) {
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

    /** The release's recorded metrics: the candidate's, and the serving release's on the same holdout. */
    private static Map<String, Double> releaseMetrics(GateDecision.Figures figures) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("hr@10", figures.candidate().hitRate());
        metrics.put("ndcg@10", figures.candidate().ndcg());
        figures.serving().ifPresent(serving -> {
            metrics.put("serving.hr@10", serving.hitRate());
            metrics.put("serving.ndcg@10", serving.ndcg());
        });
        return metrics;
    }

    private Optional<RankingMetrics> evaluateServing(Optional<ModelRelease> serving, ReleaseVerifier ownReleases,
                                                     Corpus corpus, Interactions histories, HeldOut heldOut,
                                                     WorkerPool pool) {
        if (serving.isEmpty()) {
            return Optional.empty();
        }
        ModelRelease release = serving.get();
        byte[] graph;
        ReleaseVocabularies vocabularies;
        try {
            graph = ReleaseGraphs.verifiedGraph(release, ownReleases, Long.MAX_VALUE);
            vocabularies = ReleaseGraphs.vocabularies(release, Long.MAX_VALUE);
        } catch (ReleaseRejectedException e) {
            log.warn("event=gate_baseline_unverifiable version={} reason={} message=\"{}\"", release.getVersion(),
                    e.reason(), e.getMessage());
            return Optional.empty();
        }
        try (ReleaseScorer scorer = ReleaseScorer.open(release, graph, vocabularies, corpus.users(),
                corpus.items())) {
            return Optional.of(Evaluator.sampled(scorer, histories, heldOut, K, pool));
        } catch (ai.onnxruntime.OrtException e) {
            log.warn("event=gate_baseline_unloadable version={} error=\"{}\"", release.getVersion(), e.getMessage());
            return Optional.empty();
        }
    }

    private void logEpoch(ModelConfig candidate, EpochStats stats) {
        int maxEpochs = config.trainConfig(candidate).maxEpochs();
        RankingMetrics validation = stats.validation();
        log.info(String.format(Locale.ROOT, "event=train_epoch variant=%s epoch=%d/%d loss=%.4f val_hr@10=%.4f"
                        + " val_ndcg@10=%.4f epoch_s=%.1f samples_per_s=%.0f", candidate.variant().label(),
                stats.epoch(), maxEpochs, stats.loss(),
                validation == null ? Double.NaN : validation.hitRate(),
                validation == null ? Double.NaN : validation.ndcg(), stats.seconds(), stats.samplesPerSecond()));
    }

    private static long maxTimestamp(Interactions interactions) {
        long max = Long.MIN_VALUE;
        for (int position = 0; position < interactions.size(); position++) {
            max = Math.max(max, interactions.timestampAt(position));
        }
        return max;
    }
}
