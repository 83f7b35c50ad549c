package io.streamrec.app.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamrec.app.errors.FailedRecords;
import io.streamrec.app.errors.RecordRefusedException;
import io.streamrec.avro.ClickEvent;
import io.streamrec.schemas.serde.RegistryUnavailableException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first step after the clicks source: decodes the raw record and validates it. A valid click goes on, as
 * (user id, ClickEvent), to the processors named in {@code validChildren}; a tombstone keyed by a valid user id
 * goes on as (user id, null), a request to forget that user; anything else goes, with its original bytes and the
 * reason in headers, to the dead-letter sink. Decoding here rather than in the source
 * keeps the exact bytes for the dead letter and writes it in the same transaction as the input's offset.
 *
 * <p>Two kinds of failure are not the record's fault and never dead-letter it. When the schema registry cannot
 * be reached, decoding is retried for up to {@code registryWait}, then the {@link RegistryUnavailableException}
 * propagates: the stream thread fails, its transaction aborts and the task resumes from its last commit, so the
 * click is read again later. A click that made processing fail repeatedly further down is found in
 * {@link FailedRecords} and dead-lettered here, before it changes anything.
 *
 * <p>Output types are mixed (typed clicks, raw dead letters), hence {@code Object}; every forward names its
 * child.
 */
final class ClickIntakeProcessor implements Processor<byte[], byte[], Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(ClickIntakeProcessor.class);

    private static final long FIRST_REGISTRY_PAUSE_MS = 50;
    private static final long MAX_REGISTRY_PAUSE_MS = 1_000;

    /**
     * What the intake needs from the configuration. Immutable.
     *
     * @param deadLetterMaxBytes the most bytes of a key, and of a value, a dead letter carries
     * @param registryWait       how long to retry a click whose schema the registry cannot deliver right now
     */
    record Settings(int deadLetterMaxBytes, Duration registryWait) { }

    private final Deserializer<ClickEvent> clicks;
    private final ClickValidator validator;
    private final List<String> validChildren;
    private final String deadLetterSink;
    private final Settings settings;
    private final FailedRecords failedRecords;
    private final MeterRegistry meters;
    private final Counter registryRetries;
    private ProcessorContext<Object, Object> context;

    ClickIntakeProcessor(Deserializer<ClickEvent> clicks, ClickValidator validator, List<String> validChildren,
                         String deadLetterSink, Settings settings, FailedRecords failedRecords, MeterRegistry meters) {
        this.clicks = clicks;
        this.validator = validator;
        this.validChildren = List.copyOf(validChildren);
        this.deadLetterSink = deadLetterSink;
        this.settings = settings;
        this.failedRecords = failedRecords;
        this.meters = meters;
        this.registryRetries = Counter.builder("streamrec.registry.retries")
                .description("Clicks whose decoding waited for an unreachable or failing schema registry")
                .register(meters);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        Optional<FailedRecords.Quarantined> quarantined = failedRecords.takeQuarantined(
                new FailedRecords.Source(source.topic(), source.partition(), source.offset()));
        if (quarantined.isPresent()) {
            deadLetter(record, source, "processing-failed", "processing this record failed "
                    + quarantined.get().failures() + " times: " + quarantined.get().describe(),
                    quarantined.get().lastError());
            return;
        }
        if (record.key() != null && !validUtf8(record.key())) {
            deadLetter(record, source, "invalid-key-encoding", "the record key is not valid UTF-8: user ids are"
                    + " UTF-8 strings");
            return;
        }
        if (record.value() == null) {
            forget(record, source);
            return;
        }
        ClickEvent click;
        try {
            click = decode(record, source);
        } catch (SerializationException e) {
            deadLetter(record, source, "undeserializable", e.getMessage(), e);
            return;
        }
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        Optional<ClickValidator.Violation> violation = validator.check(key, click,
                Instant.ofEpochMilli(context.currentSystemTimeMs()));
        if (violation.isPresent()) {
            deadLetter(record, source, violation.get().reason(), violation.get().message());
            return;
        }
        Record<Object, Object> valid = new Record<>(click.getUserId(), click, record.timestamp(), record.headers());
        for (String child : validChildren) {
            context.forward(valid, child);
        }
    }

    private static boolean validUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private ClickEvent decode(Record<byte[], byte[]> record, RecordMetadata source) {
        long deadline = System.nanoTime() + settings.registryWait().toNanos();
        long pauseMs = FIRST_REGISTRY_PAUSE_MS;
        while (true) {
            try {
                return clicks.deserialize(source.topic(), record.headers(), record.value());
            } catch (RegistryUnavailableException e) {
                registryRetries.increment();
                if (System.nanoTime() + pauseMs * 1_000_000 > deadline) {
                    throw e;
                }
                log.warn("event=registry_unavailable action=wait partition={} offset={} pause_ms={} error=\"{}\"",
                        source.partition(), source.offset(), pauseMs, e.getMessage());
                pause(pauseMs, e);
                pauseMs = Math.min(pauseMs * 2, MAX_REGISTRY_PAUSE_MS);
            }
        }
    }

    private static void pause(long millis, RegistryUnavailableException cause) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw cause; // shutting down: the click is read again by whoever takes the partition
        }
    }

    /**
     * A tombstone keyed by a user id asks to forget the user: their history, their interaction state (and,
     * through tombstones on the interactions topic, their training data). Without a usable key it means nothing.
     */
    private void forget(Record<byte[], byte[]> record, RecordMetadata source) {
        String userId = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        Optional<ClickValidator.Violation> violation = validator.checkUserId(userId);
        if (violation.isPresent()) {
            deadLetter(record, source, violation.get().reason(), "a tombstone on " + source.topic()
                    + " forgets the user its key names, but " + violation.get().message());
            return;
        }
        log.info("event=user_forget_requested partition={} offset={}", source.partition(), source.offset());
        Record<Object, Object> forget = new Record<>(userId, null, record.timestamp(), record.headers());
        for (String child : validChildren) {
            context.forward(forget, child);
        }
    }

    private void deadLetter(Record<byte[], byte[]> record, RecordMetadata source, String reason, String message) {
        deadLetter(record, source, reason, message, new RecordRefusedException(message));
    }

    private void deadLetter(Record<byte[], byte[]> record, RecordMetadata source, String reason, String message,
                            Throwable error) {
        log.debug("event=dead_letter reason={} topic={} partition={} offset={} message=\"{}\"", reason, source.topic(),
                source.partition(), source.offset(), message);
        Counter.builder("streamrec.dead.letters").description("Records sent to the dead-letter topic, by reason")
                .tag("reason", reason).register(meters).increment();
        DeadLetters.Letter letter = DeadLetters.letter(record.key(), record.value(), record.headers(),
                new DeadLetters.Source(source.topic(), source.partition(), source.offset()), reason, message, error,
                settings.deadLetterMaxBytes());
        context.forward(new Record<Object, Object>(letter.key(), letter.value(), record.timestamp(),
                letter.headers()), deadLetterSink);
    }
}
