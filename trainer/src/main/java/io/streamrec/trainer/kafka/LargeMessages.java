package io.streamrec.trainer.kafka;

import io.streamrec.schemas.topics.TopicCatalog;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Client settings for model releases, records of up to {@link TopicCatalog#MODELS_MAX_MESSAGE_BYTES} (64 MiB).
 * The broker side (topic {@code max.message.bytes}, broker {@code message.max.bytes} and
 * {@code replica.fetch.max.bytes}) is documented in the trainer's README. Stateless.
 */
final class LargeMessages {

    /** The largest release record the trainer produces: the models topic's {@code max.message.bytes}. */
    static final int MAX_RECORD_BYTES = TopicCatalog.MODELS_MAX_MESSAGE_BYTES;

    /** Room for record-batch and request framing on top of one record. */
    static final int FRAMING_BYTES = 1024 * 1024;

    private LargeMessages() {
    }

    /**
     * Producer settings: {@code max.request.size} admits one full-size record (the producer checks the
     * uncompressed size); {@code buffer.memory} holds it; zstd shrinks vocabularies and graph structure (float
     * weights barely compress); {@code acks=all} with idempotence, so an acknowledged release survives a broker
     * loss and a retry never duplicates it; timeouts long enough to ship 64 MiB over a slow link.
     */
    static Map<String, Object> producer() {
        return Map.of(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_RECORD_BYTES,
                ProducerConfig.BUFFER_MEMORY_CONFIG, (long) MAX_RECORD_BYTES + 32L * 1024 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 60_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000);
    }

    /**
     * Consumer settings: one fetch can return a whole release ({@code max.partition.fetch.bytes} and
     * {@code fetch.max.bytes} are soft limits since Kafka 0.10.1, but at their defaults of 1 MiB / 50 MiB a
     * large release needs oversized single-batch responses); few records per poll, since each may be 64 MiB.
     */
    static Map<String, Object> consumer() {
        return Map.of(
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_RECORD_BYTES + FRAMING_BYTES,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, MAX_RECORD_BYTES + FRAMING_BYTES,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 16);
    }
}
