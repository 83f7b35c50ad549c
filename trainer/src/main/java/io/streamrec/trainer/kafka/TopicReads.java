package io.streamrec.trainer.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a whole topic as a snapshot: from the beginning up to the end offsets taken when the read starts, on
 * assigned partitions with no consumer group (a read, not a subscription), transactional data read committed.
 * Records that arrive during the read are left for the next one. The trainer's readers of the interactions and
 * models topics both read this way.
 *
 * <p>Stateless; each {@link #readToEnd} creates and closes its own consumer.
 */
public final class TopicReads {

    private TopicReads() {
    }

    /**
     * Hands every record below the end offsets to {@code onRecord}, in offset order within each partition, on the
     * calling thread.
     *
     * @param clientConfig consumer and security settings; the read's own settings (read committed, no group, no
     *                     auto-commit) override them
     * @param cancelled    polled between batches; when it turns true the read stops with a
     *                     {@link CancellationException}
     * @return the end offsets the read stopped at
     * @throws KafkaException when the topic has no partitions or the read takes longer than {@code timeout}
     */
    public static Map<TopicPartition, Long> readToEnd(Map<String, ?> clientConfig, String topic, Duration timeout,
                                                      BooleanSupplier cancelled,
                                                      Consumer<ConsumerRecord<byte[], byte[]>> onRecord) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            if (partitions.isEmpty()) {
                throw new KafkaException("topic " + topic + " does not exist or has no partitions");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!caughtUp(consumer, endOffsets)) {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException("read of " + topic + " cancelled");
                }
                if (System.nanoTime() > deadline) {
                    throw new KafkaException("reading " + topic + " up to " + endOffsets + " took longer than "
                            + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < endOffsets.getOrDefault(
                            new TopicPartition(record.topic(), record.partition()), Long.MAX_VALUE)) {
                        onRecord.accept(record);
                    }
                }
            }
            return endOffsets;
        }
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> endOffsets) {
        for (Map.Entry<TopicPartition, Long> end : endOffsets.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }
}
