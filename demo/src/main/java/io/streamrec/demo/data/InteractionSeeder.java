package io.streamrec.demo.data;

import io.streamrec.avro.Interaction;
import io.streamrec.avro.InteractionKey;
import io.streamrec.schemas.serde.AvroSerializer;
import io.streamrec.schemas.serde.SchemaRegistryClient;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Writes a dataset's history into the interactions topic, as if the streams app had seen it: one
 * {@code Interaction} per (user, item) pair, timed so that each user's order is kept (position {@code p} of a
 * user's sequence is seen at {@code base + p} seconds). The trainer then learns the first model from the topic,
 * the same way it learns every later one.
 */
public final class InteractionSeeder {

    private InteractionSeeder() {
    }

    /** Sends every history pair and waits until all are acknowledged; returns how many were sent. */
    public static long seed(DemoData data, Map<String, ?> clientConfig, SchemaRegistryClient schemaRegistry,
                            String topic, Instant base) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        AtomicLong sent = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<InteractionKey, Interaction> producer = new KafkaProducer<>(config,
                new AvroSerializer<>(schemaRegistry, config, true), new AvroSerializer<>(schemaRegistry, config, false))) {
            data.forEachSeed((user, item, position) -> {
                String userId = data.corpus().users().id(user);
                String itemId = data.corpus().items().id(item);
                Instant at = base.plusSeconds(position);
                producer.send(new ProducerRecord<>(topic, new InteractionKey(userId, itemId),
                        new Interaction(userId, itemId, 1L, at, at, "click")), (metadata, exception) -> {
                            if (exception == null) {
                                sent.incrementAndGet();
                            } else {
                                failure.compareAndSet(null, exception);
                            }
                        });
            });
            producer.flush();
        }
        if (failure.get() != null) {
            throw new KafkaException("seeding " + topic + " failed: " + failure.get().getMessage(), failure.get());
        }
        return sent.get();
    }
}
