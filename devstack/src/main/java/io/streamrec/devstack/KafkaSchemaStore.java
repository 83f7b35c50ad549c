package io.streamrec.devstack;

import io.streamrec.devstack.StoreRecords.Decoded;
import io.streamrec.devstack.StoreRecords.Key;
import io.streamrec.schemas.topics.TopicProvisioner;
import io.streamrec.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's durable state: a single-partition compacted Kafka topic, read into a {@link RegistryState} by one
 * reader thread, the way Confluent's kafkastore works. Opening reads the topic from the beginning up to the end
 * offset seen at start before returning, so a restarted registry serves exactly what was written before. A
 * {@link #write} produces the record synchronously and returns only once the reader thread has applied it, so
 * the writer then sees its own write.
 *
 * <p>Thread-safety: {@link #read} and {@link #write} may be called from any thread. Writers that read, decide and
 * then write (id and version assignment) must serialize themselves; {@link SchemaRegistryService} does. One
 * registry process should write to a topic at a time, as with Confluent's single leader.
 */
final class KafkaSchemaStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSchemaStore.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final TopicPartition partition;
    private final Duration timeout;
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer; // used by the reader thread only, once started
    private final Thread reader;
    private final RegistryState state = new RegistryState();
    private final ReentrantReadWriteLock stateLock = new ReentrantReadWriteLock();
    private final Object positionMonitor = new Object();
    private long position; // next offset the reader will apply; guarded by positionMonitor
    private RuntimeException readerFailure; // guarded by positionMonitor
    private final AtomicBoolean closed = new AtomicBoolean();

    private KafkaSchemaStore(TopicPartition partition, Duration timeout, KafkaProducer<String, String> producer,
                             KafkaConsumer<String, String> consumer) {
        this.partition = partition;
        this.timeout = timeout;
        this.producer = producer;
        this.consumer = consumer;
        this.reader = new Thread(this::readLoop, "schema-store-reader-" + partition.topic());
        this.reader.setDaemon(true);
    }

    /**
     * Creates the topic if missing, reads it to its end and starts following it.
     *
     * @throws DevStackException when the topic cannot be created or read within {@code timeout}
     */
    static KafkaSchemaStore open(String bootstrapServers, TopicSpec topic, Duration timeout) {
        if (topic.partitions() != 1) {
            throw new IllegalArgumentException("the schema store topic must have one partition: " + topic);
        }
        provision(bootstrapServers, topic, timeout);
        TopicPartition partition = new TopicPartition(topic.name(), 0);
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(bootstrapServers),
                new StringDeserializer(), new StringDeserializer());
        long end;
        KafkaProducer<String, String> producer;
        try {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic.name(), timeout);
            if (partitions.size() != 1) {
                throw new DevStackException("schema store topic " + topic.name() + " has " + partitions.size()
                        + " partitions; it must have exactly one so that every write has one order");
            }
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            end = consumer.endOffsets(List.of(partition), timeout).get(partition);
            producer = new KafkaProducer<>(producerConfig(bootstrapServers, timeout),
                    new StringSerializer(), new StringSerializer());
        } catch (RuntimeException e) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            throw e instanceof DevStackException ? e
                    : new DevStackException("cannot read the schema store topic " + topic.name() + " at "
                    + bootstrapServers + ": " + e, e);
        }
        // From here on the store owns both clients: close() releases them.
        KafkaSchemaStore store = new KafkaSchemaStore(partition, timeout, producer, consumer);
        store.reader.start();
        if (!store.awaitPosition(end, System.nanoTime() + timeout.toNanos())) {
            String failure = store.failureSuffix();
            store.close();
            throw new DevStackException("could not read the schema store topic " + topic.name() + " up to offset "
                    + end + " within " + timeout + failure);
        }
        LOG.info("Schema store {} read up to offset {}", topic.name(), end);
        return store;
    }

    /** Runs a query against the current state; the query must not keep references to mutable state. */
    <T> T read(Function<RegistryState, T> query) {
        stateLock.readLock().lock();
        try {
            return query.apply(state);
        } finally {
            stateLock.readLock().unlock();
        }
    }

    /**
     * Appends a record (value null: a tombstone) and waits until it has been read back and applied.
     *
     * @throws RegistryException 50001 when the write fails, 50002 when it is not acknowledged or read back in time
     */
    void write(Key key, Object value) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String keyJson = StoreRecords.encodeKey(key);
        String valueJson = value == null ? null : StoreRecords.encodeValue(value);
        RecordMetadata written;
        try {
            written = producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), keyJson, valueJson))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw RegistryException.storeError("Error while writing to the Kafka store topic " + partition.topic()
                    + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw RegistryException.timeout("Write to the Kafka store topic " + partition.topic()
                    + " was not acknowledged within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryException.storeError("Interrupted while writing to the Kafka store", e);
        }
        if (!awaitPosition(written.offset() + 1, deadline)) {
            throw RegistryException.timeout("Write to the Kafka store at offset " + written.offset()
                    + " was not read back within " + timeout + failureSuffix());
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        consumer.wakeup();
        synchronized (positionMonitor) {
            positionMonitor.notifyAll();
        }
        try {
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }

    private void readLoop() {
        try {
            while (!closed.get()) {
                ConsumerRecords<String, String> records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    stateLock.writeLock().lock();
                    try {
                        for (ConsumerRecord<String, String> record : records) {
                            apply(record);
                        }
                    } finally {
                        stateLock.writeLock().unlock();
                    }
                }
                long next = consumer.position(partition);
                synchronized (positionMonitor) {
                    position = next;
                    positionMonitor.notifyAll();
                }
            }
        } catch (WakeupException e) {
            // close() woke the poll up: a normal stop.
        } catch (RuntimeException e) {
            // Poll failures the consumer does not retry itself (authorization, a deleted topic) are final.
            LOG.error("Schema store reader for {} stopped; the registry can no longer write", partition.topic(), e);
            synchronized (positionMonitor) {
                readerFailure = e;
                positionMonitor.notifyAll();
            }
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void apply(ConsumerRecord<String, String> record) {
        Decoded decoded;
        try {
            decoded = StoreRecords.decode(record.key(), record.value());
        } catch (IllegalArgumentException e) {
            // Confluent skips what it cannot read too; one bad record must not take the registry down.
            LOG.warn("Skipping unreadable schema store record at {}-{}: {}", partition, record.offset(),
                    e.getMessage());
            return;
        }
        state.apply(decoded.key(), decoded.value());
    }

    private boolean awaitPosition(long target, long deadlineNanos) {
        synchronized (positionMonitor) {
            while (position < target && readerFailure == null && !closed.get()) {
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(positionMonitor, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return position >= target;
        }
    }

    private String failureSuffix() {
        synchronized (positionMonitor) {
            return readerFailure == null ? "" : " (the store reader failed: " + readerFailure + ")";
        }
    }

    private static void provision(String bootstrapServers, TopicSpec topic, Duration timeout) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis()))) {
            TopicProvisioner.Report report = new TopicProvisioner(admin, timeout).provision(List.of(topic));
            if (!report.ok()) {
                throw new DevStackException("cannot provision the schema store topic " + topic.name() + ": "
                        + report.problems());
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new DevStackException("cannot provision the schema store topic " + topic.name() + " at "
                    + bootstrapServers + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> consumerConfig(String bootstrapServers) {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "schema-registry-store-reader",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }

    private static Map<String, Object> producerConfig(String bootstrapServers, Duration timeout) {
        int timeoutMs = (int) timeout.toMillis();
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "schema-registry-store-writer",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 15_000),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(timeoutMs, 15_000));
    }
}
