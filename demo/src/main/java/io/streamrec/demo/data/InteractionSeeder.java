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
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Serializer;

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
        return send(clientConfig, new AvroSerializer<>(schemaRegistry, clientConfig, true),
                new AvroSerializer<>(schemaRegistry, clientConfig, false), topic,
                emit -> data.forEachSeed((user, item, position) -> {
                    String userId = data.corpus().users().id(user);
                    String itemId = data.corpus().items().id(item);
                    Instant at = base.plusSeconds(position);
                    emit.accept(new Interaction(userId, itemId, 1L, at, at, "click"));
                }));
    }

    /**
     * Sends each interaction {@code source} hands to its consumer, keyed by its (user, item), with a producer that
     * batches for bulk, and waits until all are acknowledged. The records' own timestamps are the time of
     * writing: the pairs' times are in the values, and a broker refuses record timestamps too far from its clock.
     *
     * @return how many were acknowledged
     * @throws KafkaException naming the topic, at the first send that failed
     */
    public static long send(Map<String, ?> clientConfig, Serializer<InteractionKey> keys,
                            Serializer<Interaction> values, String topic, Consumer<Consumer<Interaction>> source) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        AtomicLong sent = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<InteractionKey, Interaction> producer = new KafkaProducer<>(config, keys, values)) {
            source.accept(interaction -> producer.send(new ProducerRecord<>(topic,
                    new InteractionKey(interaction.getUserId(), interaction.getItemId()), interaction),
                    (metadata, exception) -> {
                        if (exception == null) {
                            sent.incrementAndGet();
                        } else {
                            failure.compareAndSet(null, exception);
                        }
                    }));
            producer.flush();
        }
        if (failure.get() != null) {
            throw new KafkaException("writing " + topic + " failed: " + failure.get().getMessage(), failure.get());
        }
        return sent.get();
    }
}
