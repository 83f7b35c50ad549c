package io.streamrec.demo.load;

import io.streamrec.avro.ClickEvent;
import io.streamrec.schemas.serde.AvroSerializer;
import io.streamrec.schemas.serde.SchemaRegistryClient;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends clicks to the clicks topic at a fixed rate (which may change while it runs). Each click's event time
 * is the moment it was scheduled, not the moment it was sent, so a replayer that falls behind does not hide
 * the delay from latency measurements (no coordinated omission).
 *
 * <p>Lifetime: owns a producer until {@link #close()}. {@link #run} is for one thread.
 */
public final class ClickReplayer implements AutoCloseable {

    private final AvroSerializer<ClickEvent> serializer;
    private final KafkaProducer<String, ClickEvent> producer;
    private final String topic;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public ClickReplayer(Map<String, ?> clientConfig, SchemaRegistryClient schemaRegistry, String topic) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.serializer = new AvroSerializer<>(schemaRegistry, config, false);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), serializer);
        this.topic = topic;
    }

    /**
     * Fetches the topic's metadata and registers the click schema, so the first scheduled click is not late by
     * the producer's own start-up (which would count as latency).
     */
    public void warmUp() {
        producer.partitionsFor(topic);
        ClickEvent probe = ClickEvent.newBuilder().setUserId("warm-up").setItemId("warm-up").setEventType("view")
                .setEventTime(Instant.now()).build();
        serializer.serialize(topic, probe);
    }

    /** Clicks handed to the producer and acknowledged so far. */
    public long sent() {
        return sent.get();
    }

    /** Clicks the broker did not acknowledge. */
    public long failed() {
        return failed.get();
    }

    /**
     * Sends clicks from the source until it is exhausted, {@code duration} has passed or {@code stop} turns
     * true.
     *
     * @param clicksPerSecond the current target rate, read before every click (a rate of 0 or less pauses)
     * @return clicks scheduled
     */
    public long run(ClickSource source, DoubleSupplier clicksPerSecond, Duration duration, BooleanSupplier stop) {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long wallAtStart = System.currentTimeMillis();
        long scheduled = 0;
        double nextAtNanos = 0; // offset from start of the next click's scheduled time
        while (!stop.getAsBoolean()) {
            double rate = clicksPerSecond.getAsDouble();
            if (rate <= 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                nextAtNanos = System.nanoTime() - start;
                continue;
            }
            long due = start + (long) nextAtNanos;
            if (due >= end) {
                break;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            Optional<ClickSource.Click> next = source.next();
            if (next.isEmpty()) {
                break;
            }
            ClickSource.Click click = next.get();
            Instant scheduledAt = Instant.ofEpochMilli(wallAtStart + (long) (nextAtNanos / 1_000_000));
            ClickEvent event = ClickEvent.newBuilder().setUserId(click.userId()).setItemId(click.itemId())
                    .setEventType(click.eventType()).setEventTime(scheduledAt).setClient("replayer").build();
            producer.send(new ProducerRecord<>(topic, click.userId(), event), (metadata, exception) -> {
                if (exception == null) {
                    sent.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                }
            });
            scheduled++;
            nextAtNanos += 1e9 / rate;
        }
        producer.flush();
        return scheduled;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
