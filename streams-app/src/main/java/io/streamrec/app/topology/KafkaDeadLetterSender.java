package io.streamrec.app.topology;

import io.streamrec.app.StreamsAppConfig;
import io.streamrec.app.errors.DeadLetterHeaders;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link GlobalDeadLetterSender} over its own Kafka producer, writing to the dead-letter topic outside any
 * transaction (the global thread has none): idempotent, {@code acks=all}, asynchronous, with each failed
 * delivery logged. It is configured like the app's other producers: the client keys of the app's
 * configuration (bootstrap servers, security) with {@code producer.}-prefixed keys taking precedence.
 *
 * <p>Thread-safe; close it to flush and release the producer.
 */
public final class KafkaDeadLetterSender implements GlobalDeadLetterSender {

    private static final Logger log = LoggerFactory.getLogger(KafkaDeadLetterSender.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final String topic;
    private final Producer<byte[], byte[]> producer;
    private final CountDownLatch closed = new CountDownLatch(1);

    /** A sender to {@code topic} over {@code producer}, which it owns from now on. */
    KafkaDeadLetterSender(String topic, Producer<byte[], byte[]> producer) {
        this.topic = topic;
        this.producer = producer;
    }

    /** A sender to the configured dead-letter topic with a producer configured from the app's settings. */
    public static KafkaDeadLetterSender create(StreamsAppConfig config) {
        return new KafkaDeadLetterSender(config.deadLettersTopic(), new KafkaProducer<>(producerConfig(config),
                new ByteArraySerializer(), new ByteArraySerializer()));
    }

    /** The producer's settings: the app's client keys, then its {@code producer.} keys, then this sender's own. */
    static Map<String, Object> producerConfig(StreamsAppConfig config) {
        Map<String, Object> producer = new HashMap<>();
        config.allOriginals().forEach((key, value) -> {
            if (ProducerConfig.configNames().contains(key)) {
                producer.put(key, value);
            }
        });
        producer.putAll(config.originalsWithPrefix(StreamsConfig.PRODUCER_PREFIX));
        producer.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        Object applicationId = config.allOriginals().getOrDefault(StreamsConfig.APPLICATION_ID_CONFIG, "streamrec");
        producer.put(ProducerConfig.CLIENT_ID_CONFIG, applicationId + "-models-dead-letters");
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return producer;
    }

    @Override
    public void send(DeadLetters.Letter letter, long timestamp) {
        String source = DeadLetters.header(letter.headers(), DeadLetterHeaders.TOPIC) + "-"
                + DeadLetters.header(letter.headers(), DeadLetterHeaders.PARTITION) + "@"
                + DeadLetters.header(letter.headers(), DeadLetterHeaders.OFFSET);
        if (closed.getCount() == 0) {
            log.warn("event=dead_letter_not_sent source={} reason=stopping", source);
            return;
        }
        try {
            producer.send(new ProducerRecord<>(topic, null, timestamp, letter.key(), letter.value(), letter.headers()),
                    (metadata, error) -> {
                        if (error != null) {
                            log.error("event=dead_letter_not_sent source={} topic={} error=\"{}\"", source, topic,
                                    error.toString());
                        }
                    });
        } catch (RuntimeException e) {
            // The producer refuses at once when it is closed or the letter is too large for it.
            log.error("event=dead_letter_not_sent source={} topic={} error=\"{}\"", source, topic, e.toString());
        }
    }

    @Override
    public boolean awaitClose(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        if (closed.getCount() == 0) {
            return;
        }
        closed.countDown();
        producer.close(CLOSE_TIMEOUT);
    }
}
