package io.streamrec.app.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamrec.app.errors.RecordRefusedException;
import io.streamrec.app.model.ModelRegistry;
import io.streamrec.avro.ModelRelease;
import io.streamrec.schemas.model.ReleaseRejectedException;
import io.streamrec.schemas.serde.RegistryUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global store's processor for the models topic. It reads raw records and decodes them itself, so nothing
 * on the topic makes Kafka Streams skip a release or stops the global thread (which would stop the instance):
 *
 * <ul>
 *   <li>A record the schema registry cannot be asked about (unreachable, timing out, answering 5xx) is tried
 *       again, the same record, after 100 ms, then twice as long each time up to {@value #MAX_RETRY_MS} ms,
 *       logged at WARN with the attempt count. Waiting blocks the global thread, which only delays model
 *       updates: it has no transaction and reads nothing else. The wait ends when the registry answers or the
 *       app stops ({@link GlobalDeadLetterSender#awaitClose}); a record given up that way is read again at the
 *       next start, because the store is in memory and is rebuilt from the beginning of the topic.</li>
 *   <li>A bad record is dead-lettered with its reason ({@link GlobalDeadLetterSender}, the headers of
 *       {@link DeadLetters}), counted in {@code streamrec.dead.letters} and logged, never thrown: no key
 *       ({@code null-key}); a value that does not decode ({@code undeserializable}: random bytes, an unknown
 *       schema id, a truncated, corrupt or length-bomb payload); a release whose name is not its key
 *       ({@code key-mismatch}); and for the served model a version below 1 ({@code invalid-version}), a
 *       signature the registry's verifier refuses ({@code signature-missing}, {@code unknown-key},
 *       {@code signature}: forged or unsigned) or an inline graph that fails its signed checksum
 *       ({@code checksum}). Releases that pass reach the store and the {@link ModelRegistry}, which still
 *       rejects, on its loader thread, those whose graph fails later checks (a fetched artifact, the graph
 *       itself, the probe) and records why in its events.</li>
 *   <li>Only the served model's releases are kept (they carry ONNX graphs of megabytes); releases of other
 *       names are checked as far as they can be without their trusted keys (decodable, name matches key) and
 *       dropped.</li>
 *   <li>A tombstone for the served name deletes the stored release and restarts the registry's version
 *       numbering ({@link ModelRegistry#restartNumbering}); the serving model stays.</li>
 * </ul>
 *
 * <p>Dead letters come in duplicates: every instance reads the whole topic, so each bad record is
 * dead-lettered once per instance, and again each time an instance starts, since Kafka Streams rebuilds the
 * in-memory store by replaying the topic through this processor. Kafka Streams' restore listener could tell
 * that replay apart, but a bad record that arrived while no instance ran would then never be dead-lettered, so
 * replays are dead-lettered too. The source topic, partition and offset headers identify duplicates; a bad
 * record keyed by a model name disappears from the topic once compaction keeps a later record of that name.
 *
 * <p>On start it offers what the store holds, so a restarted instance serves the latest release before the
 * first new one arrives.
 */
final class ModelReleaseProcessor implements Processor<byte[], byte[], Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(ModelReleaseProcessor.class);

    static final long FIRST_RETRY_MS = 100;
    static final long MAX_RETRY_MS = 5_000;

    private final String storeName;
    private final ModelRegistry registry;
    private final Deserializer<ModelRelease> releases;
    private final GlobalDeadLetterSender deadLetters;
    private final int deadLetterMaxBytes;
    private final MeterRegistry meters;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, ModelRelease> store;

    ModelReleaseProcessor(String storeName, ModelRegistry registry, Deserializer<ModelRelease> releases,
                          GlobalDeadLetterSender deadLetters, int deadLetterMaxBytes, MeterRegistry meters) {
        this.storeName = storeName;
        this.registry = registry;
        this.releases = releases;
        this.deadLetters = deadLetters;
        this.deadLetterMaxBytes = deadLetterMaxBytes;
        this.meters = meters;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        store = context.getStateStore(storeName);
        ModelRelease restored = store.get(servedName());
        if (restored != null) {
            registry.offer(restored);
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        DeadLetters.Source source = source();
        try {
            handle(record, source);
        } catch (RuntimeException e) {
            // A bug here must not end the global thread: that would stop the whole instance.
            log.error("event=model_record_failed partition={} offset={} error=\"{}\"", source.partition(),
                    source.offset(), e.toString(), e);
            deadLetter(record, source, "internal", "processing failed unexpectedly: " + e, e);
        }
    }

    private void handle(Record<byte[], byte[]> record, DeadLetters.Source source) {
        if (record.key() == null) {
            deadLetter(record, source, "null-key", "a record on " + source.topic() + " needs the model name as its"
                    + " key");
            return;
        }
        String name = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            forget(name, source);
            return;
        }
        Optional<ModelRelease> decoded = decode(record, source);
        if (decoded.isPresent() && isServable(record, source, name, decoded.get())) {
            store.put(name, decoded.get());
            registry.offer(decoded.get());
        }
    }

    /**
     * True for a release of the served model that passes the checks made here; a release that fails one is
     * dead-lettered, and another model's release is dropped.
     */
    private boolean isServable(Record<byte[], byte[]> record, DeadLetters.Source source, String name,
                               ModelRelease release) {
        if (!name.equals(release.getName())) {
            deadLetter(record, source, "key-mismatch", "the record's key is '" + name + "' but its release names"
                    + " model '" + release.getName() + "'");
            return false;
        }
        if (!name.equals(servedName())) {
            return false; // another model's release: this instance never serves it, so it does not keep it
        }
        if (release.getVersion() < 1) {
            deadLetter(record, source, "invalid-version", name + " v" + release.getVersion()
                    + ": release versions start at 1");
            return false;
        }
        try {
            registry.verifyWithoutLoading(release);
            return true;
        } catch (ReleaseRejectedException e) {
            deadLetter(record, source, e.reason(), e.getMessage(), e);
            return false;
        }
    }

    /** A tombstone: for the served name, the stored release goes and version numbering restarts. */
    private void forget(String name, DeadLetters.Source source) {
        if (!name.equals(servedName())) {
            return;
        }
        log.info("event=model_tombstone model={} partition={} offset={}", name, source.partition(), source.offset());
        store.delete(name);
        registry.restartNumbering();
    }

    /**
     * The release, or empty when the record was dead-lettered or the app is stopping. While the schema
     * registry is unavailable the same record is tried again, with backoff, for as long as that lasts.
     */
    private Optional<ModelRelease> decode(Record<byte[], byte[]> record, DeadLetters.Source source) {
        for (int attempt = 1; ; attempt++) {
            try {
                return Optional.of(releases.deserialize(source.topic(), record.headers(), record.value()));
            } catch (RegistryUnavailableException e) {
                if (!awaitRetry(attempt, source, e)) {
                    return Optional.empty();
                }
            } catch (SerializationException e) {
                deadLetter(record, source, "undeserializable", e.getMessage(), e);
                return Optional.empty();
            }
        }
    }

    /** Waits before the next attempt; false when the app is stopping instead. */
    private boolean awaitRetry(int attempt, DeadLetters.Source source, RegistryUnavailableException e) {
        long waitMs = retryDelayMs(attempt);
        meters.counter("streamrec.models.registry.retries").increment();
        log.warn("event=model_record_retry attempt={} retry_in_ms={} partition={} offset={} error=\"{}\"", attempt,
                waitMs, source.partition(), source.offset(), e.getMessage());
        try {
            if (!deadLetters.awaitClose(Duration.ofMillis(waitMs))) {
                return true;
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        log.info("event=model_record_abandoned partition={} offset={} note=\"the app is stopping; the record is read"
                + " again at the next start\"", source.partition(), source.offset());
        return false;
    }

    /** 100 ms, 200 ms, 400 ms, ... up to {@value #MAX_RETRY_MS} ms. */
    static long retryDelayMs(int attempt) {
        int doublings = Math.min(Math.max(attempt - 1, 0), 16);
        return Math.min(FIRST_RETRY_MS << doublings, MAX_RETRY_MS);
    }

    private void deadLetter(Record<byte[], byte[]> record, DeadLetters.Source source, String reason, String message) {
        deadLetter(record, source, reason, message, new RecordRefusedException(message));
    }

    private void deadLetter(Record<byte[], byte[]> record, DeadLetters.Source source, String reason, String message,
                            Throwable error) {
        log.warn("event=dead_letter reason={} topic={} partition={} offset={} message=\"{}\"", reason, source.topic(),
                source.partition(), source.offset(), message);
        Counter.builder("streamrec.dead.letters").description("Records sent to the dead-letter topic, by reason")
                .tag("reason", reason).register(meters).increment();
        deadLetters.send(DeadLetters.letter(record.key(), record.value(), record.headers(), source, reason, message,
                error, deadLetterMaxBytes), record.timestamp());
    }

    private DeadLetters.Source source() {
        Optional<RecordMetadata> metadata = context.recordMetadata();
        return metadata.map(m -> new DeadLetters.Source(m.topic(), m.partition(), m.offset()))
                .orElseGet(() -> new DeadLetters.Source("unknown", -1, -1));
    }

    private String servedName() {
        return registry.settings().modelName();
    }
}
