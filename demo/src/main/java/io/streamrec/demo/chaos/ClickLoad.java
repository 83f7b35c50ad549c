package io.streamrec.demo.chaos;

import io.streamrec.avro.ClickEvent;
import io.streamrec.demo.load.ClickSource;
import io.streamrec.schemas.serde.AvroSerializer;
import io.streamrec.schemas.serde.SchemaRegistryClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Valid clicks at a fixed rate, each one identifiable in the list it triggers: click number {@code n} carries the
 * event time {@code origin + n} milliseconds, and a list carries its click's event time, so the verifier maps a
 * list back to its click without any lookup. Each click also carries the headers {@value #KIND_HEADER}=valid and
 * {@value #SEQUENCE_HEADER}, so a dead letter of a valid click is recognised as such.
 *
 * <p>Latency is measured from each click's scheduled send time, not the actual one, so a producer held up by a
 * broker outage does not hide the delay (no coordinated omission). The producer is idempotent and retries for up
 * to five minutes, as a real producer would ride out a broker restart.
 *
 * <p>Lifetime: {@link #run} on one thread until {@link #stop()}; then {@link #close()}.
 */
final class ClickLoad implements AutoCloseable {

    static final String KIND_HEADER = "chaos.kind";
    static final String SEQUENCE_HEADER = "chaos.seq";
    static final String VALID = "valid";

    private final KafkaProducer<String, ClickEvent> producer;
    private final String topic;
    private final ClickSource source;
    private final double clicksPerSecond;
    private final long originMs;
    private final AtomicLongArray scheduledMs;
    private final AtomicInteger scheduled = new AtomicInteger();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile long wallStartMs;

    /**
     * @param maxClicks the most clicks this load may send (sizes the per-click tables)
     * @param originMs  the event time of click 0; clicks must not reach the app's clock plus its allowed skew
     */
    ClickLoad(Map<String, Object> clientConfig, SchemaRegistryClient registry, String topic, ClickSource source,
              double clicksPerSecond, int maxClicks, long originMs) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Duration.ofMinutes(5).toMillis());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Duration.ofMinutes(5).toMillis());
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new AvroSerializer<>(registry, config,
                false));
        this.topic = topic;
        this.source = source;
        this.clicksPerSecond = clicksPerSecond;
        this.originMs = originMs;
        this.scheduledMs = new AtomicLongArray(maxClicks);
    }

    /** Sends until {@link #stop()} or the table is full. */
    void run() {
        long start = System.nanoTime();
        long wallAtStart = System.currentTimeMillis();
        wallStartMs = wallAtStart;
        double nextAtNanos = 0;
        while (!stopping.get() && scheduled.get() < scheduledMs.length()) {
            long wait = start + (long) nextAtNanos - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int sequence = scheduled.get();
            scheduledMs.set(sequence, wallAtStart + (long) (nextAtNanos / 1_000_000));
            send(sequence, source.next().orElseThrow());
            scheduled.incrementAndGet();
            nextAtNanos += 1e9 / clicksPerSecond;
        }
        producer.flush();
    }

    private void send(int sequence, ClickSource.Click click) {
        ClickEvent event = ClickEvent.newBuilder().setUserId(click.userId()).setItemId(click.itemId())
                .setEventType(click.eventType()).setEventTime(Instant.ofEpochMilli(originMs + sequence))
                .setClient("chaos").build();
        RecordHeaders headers = new RecordHeaders();
        headers.add(KIND_HEADER, VALID.getBytes(StandardCharsets.UTF_8));
        headers.add(SEQUENCE_HEADER, Integer.toString(sequence).getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<>(topic, null, click.userId(), event, headers), (metadata, error) -> {
            if (error == null) {
                acknowledged.incrementAndGet();
            } else {
                failed.incrementAndGet();
            }
        });
    }

    void stop() {
        stopping.set(true);
    }

    /** The click number an event time belongs to, or -1 when it is not one of this load's. */
    int sequenceOf(long eventTimeMs) {
        long sequence = eventTimeMs - originMs;
        return sequence >= 0 && sequence < scheduled.get() ? (int) sequence : -1;
    }

    /** When click {@code sequence} was due to be sent (wall clock, ms). */
    long scheduledMs(int sequence) {
        return scheduledMs.get(sequence);
    }

    /** When the load started (wall clock, ms): time zero of the latency buckets. */
    long wallStartMs() {
        return wallStartMs;
    }

    int scheduled() {
        return scheduled.get();
    }

    long acknowledged() {
        return acknowledged.get();
    }

    /** Clicks the producer gave up on: not delivered to the app, so not counted as lost by it. */
    long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
