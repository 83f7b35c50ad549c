package io.streamrec.trainer.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.streamrec.schemas.model.ReleaseSigner;
import io.streamrec.schemas.serde.SchemaRegistryClient;
import io.streamrec.trainer.train.EpochStats;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer as a service: refits on an interval, and sooner when enough new interactions have arrived, with
 * each run's outcome logged, reported (HTML) and counted (metrics). The same {@link #runOnce()} serves
 * {@code trainer once} and Kubernetes CronJobs.
 *
 * <p>Thread-safety: {@link #serve()} runs on one thread; {@link #stop()} may be called from any thread (a
 * shutdown hook) and makes a running refit stop at its next cancellation point. Lifetime: close after
 * {@link #serve()} returned.
 */
public final class TrainerService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TrainerService.class);

    private final TrainerServiceConfig config;
    private final Map<String, Object> clientConfig;
    private final SchemaRegistryClient schemaRegistry;
    private final ReleaseSigner signer;
    private final Clock clock;
    private final MeterRegistry meters;
    private final KafkaConsumer<byte[], byte[]> offsetsProbe;
    private final AtomicLong lastPublishedVersion = new AtomicLong(-1);
    private final WarmStart warmStart;
    private final BaselinePins baselinePins;
    private final AtomicLong lastRunEpochSeconds = new AtomicLong(0);
    /** 1 while the last refit that trained found a baseline ahead of the selected model on validation, else 0. */
    private final AtomicLong baselineAhead = new AtomicLong(0);
    private final AtomicReference<RefitOutcome> lastOutcome = new AtomicReference<>();
    private final java.util.Deque<RefitOutcome> history = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private volatile boolean stopping;
    private volatile boolean running;
    private volatile boolean kafkaReachable;
    private volatile boolean refitRequested;

    public TrainerService(TrainerServiceConfig config, Map<String, ?> clientConfig, SchemaRegistryClient schemaRegistry,
                          ReleaseSigner signer, Clock clock, MeterRegistry meters) {
        this.config = config;
        this.warmStart = new WarmStart(config.warmStartDirectory());
        this.baselinePins = new BaselinePins(config.baselineRetuneEvery());
        this.clientConfig = new HashMap<>(clientConfig);
        this.schemaRegistry = schemaRegistry;
        this.signer = signer;
        this.clock = clock;
        this.meters = meters;
        Map<String, Object> probe = new HashMap<>(clientConfig);
        probe.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.offsetsProbe = new KafkaConsumer<>(probe, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        meters.gauge("streamrec.trainer.last.published.version", lastPublishedVersion, AtomicLong::doubleValue);
        meters.gauge("streamrec.trainer.last.run.timestamp.seconds", lastRunEpochSeconds, AtomicLong::doubleValue);
        meters.gauge("streamrec.trainer.baseline.ahead", baselineAhead, AtomicLong::doubleValue);
    }

    /** The last run's outcome, if any. */
    java.util.Optional<RefitOutcome> lastOutcome() {
        return java.util.Optional.ofNullable(lastOutcome.get());
    }

    /** The outcomes of the most recent runs (at most 50), oldest first. */
    public List<RefitOutcome> history() {
        return List.copyOf(history);
    }

    /** Whether the last look at the interactions topic's offsets succeeded (readiness). */
    boolean kafkaReachable() {
        return kafkaReachable;
    }

    /** True between the start and the end of a refit. */
    public boolean busy() {
        return running;
    }

    /** One refit: train, gate, maybe publish; writes the report and records metrics. */
    public RefitOutcome runOnce() {
        running = true;
        Instant started = clock.instant();
        try {
            RefitOutcome outcome = new RefitRun(config, clientConfig, schemaRegistry, signer, clock, this::onEpoch,
                    warmStart, baselinePins)
                    .run(() -> stopping);
            try {
                outcome = outcome.withReport(RefitReport.write(outcome, config.reportDirectory(), started));
            } catch (IOException e) {
                log.warn("event=report_not_written dir={} error=\"{}\"", config.reportDirectory(), e.getMessage());
            }
            record(outcome);
            return outcome;
        } finally {
            running = false;
        }
    }

    private void onEpoch(EpochStats stats) {
        meters.counter("streamrec.trainer.epochs").increment();
        meters.timer("streamrec.trainer.epoch.duration").record(Duration.ofNanos((long) (stats.seconds() * 1e9)));
    }

    private void record(RefitOutcome outcome) {
        String decision = outcome.decision().name().toLowerCase(Locale.ROOT);
        meters.counter("streamrec.trainer.runs", "decision", decision).increment();
        outcome.phases().forEach((phase, took) ->
                Timer.builder("streamrec.trainer.phase.duration").tag("phase", phase).register(meters).record(took));
        if (outcome.decision() == RefitOutcome.Decision.PUBLISHED) {
            lastPublishedVersion.set(outcome.version());
        }
        lastRunEpochSeconds.set(clock.instant().getEpochSecond());
        outcome.selection().ifPresent(selection -> baselineAhead.set(selection.baselineAhead() ? 1 : 0));
        lastOutcome.set(outcome);
        history.addLast(outcome);
        while (history.size() > 50) {
            history.pollFirst();
        }
        log.info("event=refit_done decision={} model={} version={} pairs={} peak_heap_mb={} report={} reason=\"{}\"",
                decision, outcome.modelName(), outcome.version(), outcome.pairs(),
                outcome.peakHeapBytes() / (1024 * 1024), outcome.report().map(Object::toString).orElse("none"),
                outcome.reason());
    }

    /**
     * Refits until {@link #stop()}: at once (unless {@code service.refit.on.start=false}), then whenever {@code service.interval.ms} has passed since the last
     * run or {@code service.min.new.interactions} records have arrived on the interactions topic since then.
     */
    public void serve() {
        long lastRunNanos = config.refitOnStart() ? Long.MIN_VALUE : System.nanoTime();
        long offsetsAtLastRun = config.refitOnStart() ? -1 : totalEndOffsets();
        while (!stopping) {
            long now = System.nanoTime();
            boolean due = lastRunNanos == Long.MIN_VALUE
                    || now - lastRunNanos >= config.serviceInterval().toNanos();
            long endOffsets = -1;
            if (!due && refitRequested) {
                log.info("event=refit_triggered reason=requested");
                due = true;
            }
            if (!due && config.minNewInteractions() > 0) {
                endOffsets = totalEndOffsets();
                long arrived = offsetsAtLastRun < 0 || endOffsets < 0 ? 0 : endOffsets - offsetsAtLastRun;
                if (arrived >= config.minNewInteractions()) {
                    log.info("event=refit_triggered new_interactions={} threshold={}", arrived,
                            config.minNewInteractions());
                    due = true;
                }
            }
            if (due) {
                refitRequested = false;
                long before = totalEndOffsets();
                runOnce();
                lastRunNanos = System.nanoTime();
                offsetsAtLastRun = before;
                continue;
            }
            sleepUnlessRequested(config.pollInterval());
        }
        log.info("event=trainer_service_stopped");
    }

    /** Sum of the interactions topic's end offsets, or -1 when the broker cannot say right now. */
    long totalEndOffsets() {
        try {
            List<TopicPartition> partitions = offsetsProbe.partitionsFor(config.interactionsTopic(), Duration.ofSeconds(10))
                    .stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            long total = offsetsProbe.endOffsets(partitions, Duration.ofSeconds(10)).values().stream()
                    .mapToLong(Long::longValue).sum();
            kafkaReachable = true;
            return total;
        } catch (KafkaException e) {
            kafkaReachable = false;
            log.warn("event=end_offsets_unavailable topic={} error=\"{}\"", config.interactionsTopic(), e.getMessage());
            return -1;
        }
    }

    private void sleepUnlessRequested(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        while (!stopping && !refitRequested && System.nanoTime() < deadline) {
            try {
                Thread.sleep(Math.min(200, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
        }
    }

    /** Asks {@link #serve()} for a refit at its next check, whatever the interval (operators, the demo). */
    public void requestRefit() {
        refitRequested = true;
    }

    /** Asks {@link #serve()} and any running refit to stop (at the next epoch or read batch). */
    public void stop() {
        stopping = true;
    }

    @Override
    public void close() {
        stop();
        offsetsProbe.close();
    }
}
