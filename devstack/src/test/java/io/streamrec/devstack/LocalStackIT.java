package io.streamrec.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.schemas.topics.TopicCatalog;
import io.streamrec.schemas.topics.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The broker of the shared local stack with real clients: what the streams app and the trainer rely on. Each
 * test has its own topics and group ids. Timeouts turn a silent hang (the classic symptom of internal topics
 * that cannot reach their replication factor) into a failure.
 */
@ExtendWith(LocalStackExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalStackIT {

    private static LocalStack first;

    @BeforeAll
    static void remember(LocalStack stack) {
        first = stack;
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void createTopic(LocalStack stack, String topic, int partitions) throws Exception {
        try (Admin admin = stack.createAdmin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static Map<String, Object> producerConfig(LocalStack stack) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return config;
    }

    private static Map<String, Object> consumerConfig(LocalStack stack, String groupId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        if (groupId != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        return config;
    }

    /** Polls until {@code count} records arrived or 30 s passed. */
    private static <K, V> List<ConsumerRecord<K, V>> pollFor(KafkaConsumer<K, V> consumer, int count) {
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (records.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    @Test
    void theExtensionHandsEveryTestTheSameRunningStack(LocalStack stack) {
        assertThat(stack).isSameAs(first);
        assertThat(stack.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(stack.schemaRegistryUrl()).matches("http://127\\.0\\.0\\.1:\\d+");
        assertThat(stack.clientProperties())
                .containsEntry("bootstrap.servers", stack.bootstrapServers())
                .containsEntry("schema.registry.url", stack.schemaRegistryUrl());
        assertThat(stack.dataDirectory()).isDirectory();
    }

    @Test
    void recordsProducedAreConsumedBack(LocalStack stack) throws Exception {
        String topic = unique("round-trip");
        createTopic(stack, topic, 3);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(stack),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, "user-" + i, "click-" + i)).get(30, TimeUnit.SECONDS);
            }
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(stack, null),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1),
                    new TopicPartition(topic, 2)));
            List<ConsumerRecord<String, String>> records = pollFor(consumer, 10);
            assertThat(records).extracting(ConsumerRecord::value)
                    .containsExactlyInAnyOrder("click-0", "click-1", "click-2", "click-3", "click-4",
                            "click-5", "click-6", "click-7", "click-8", "click-9");
        }
    }

    @Test
    void aConsumerGroupJoinsConsumesAndCommits(LocalStack stack) throws Exception {
        // Regression: with the default offsets.topic.replication.factor (3) a single broker never creates
        // __consumer_offsets and the group coordinator is never found; the consumer just waits.
        String topic = unique("grouped");
        String group = unique("group");
        createTopic(stack, topic, 2);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(stack),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 4; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(stack, group),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            assertThat(pollFor(consumer, 4)).hasSize(4);
            consumer.commitSync(Duration.ofSeconds(30));
        }
        try (Admin admin = stack.createAdmin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(4);
        }
    }

    @Test
    void transactionsCommitAndAbortForReadCommittedConsumers(LocalStack stack) throws Exception {
        // Kafka Streams' exactly_once_v2 needs the transaction state log, which needs these broker settings.
        String topic = unique("transactional");
        createTopic(stack, topic, 1);
        Map<String, Object> config = producerConfig(stack);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, unique("tx"));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config,
                new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed-1"));
            producer.send(new ProducerRecord<>(topic, "k", "committed-2"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "aborted"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed-3"));
            producer.commitTransaction();
        }
        Map<String, Object> consumerConfig = consumerConfig(stack, null);
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig,
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            List<ConsumerRecord<String, String>> records = pollFor(consumer, 3);
            // A little longer: an aborted record showing up late would be a failure too.
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            assertThat(records).extracting(ConsumerRecord::value)
                    .containsExactly("committed-1", "committed-2", "committed-3");
        }
    }

    @Test
    void everyCatalogTopicExistsWithItsPartitionsAndConfigs(LocalStack stack) throws Exception {
        TopicCatalog catalog = stack.catalog();
        try (Admin admin = stack.createAdmin()) {
            Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<String> expected = catalog.topics().stream().map(TopicSpec::name).toList();
            assertThat(names).containsAll(expected);
            Map<String, TopicDescription> descriptions = admin.describeTopics(expected).allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            Map<ConfigResource, Config> configs = admin.describeConfigs(expected.stream()
                    .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList())
                    .all().get(30, TimeUnit.SECONDS);
            for (TopicSpec spec : catalog.topics()) {
                assertThat(descriptions.get(spec.name()).partitions()).as(spec.name()).hasSize(spec.partitions());
                Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
                spec.configs().forEach((key, value) ->
                        assertThat(config.get(key).value()).as(spec.name() + " " + key).isEqualTo(value));
            }
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, "models"))
                    .get("max.message.bytes").value()).isEqualTo(Integer.toString(64 * 1024 * 1024));
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, "_schemas"))
                    .get("cleanup.policy").value()).isEqualTo("compact");
        }
        assertThat(stack.provisioning().ok()).isTrue();
    }

    @Test
    void aModelReleaseOfTensOfMegabytesFitsTheModelsTopic(LocalStack stack) throws Exception {
        // The broker default (1 MiB) would refuse this; the catalog allows 64 MiB on models and the broker must too.
        byte[] release = new byte[40 * 1024 * 1024];
        Arrays.fill(release, (byte) 7);
        release[release.length - 1] = 42;
        String key = unique("model");
        // A topic of its own with the models topic's configs: the catalog's models topic stays clean for others.
        String topic = unique("models-like");
        try (Admin admin = stack.createAdmin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(TopicCatalog.MODELS.configs())))
                    .all().get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> config = producerConfig(stack);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, LocalKafkaBroker.MAX_MESSAGE_BYTES);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * LocalKafkaBroker.MAX_MESSAGE_BYTES);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        long offset;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config,
                new ByteArraySerializer(), new ByteArraySerializer())) {
            offset = producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), release))
                    .get(30, TimeUnit.SECONDS).offset();
        }
        Map<String, Object> consumerConfig = consumerConfig(stack, null);
        consumerConfig.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, LocalKafkaBroker.MAX_MESSAGE_BYTES);
        consumerConfig.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, LocalKafkaBroker.MAX_MESSAGE_BYTES);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig,
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seek(partition, offset);
            List<ConsumerRecord<byte[], byte[]>> records = pollFor(consumer, 1);
            assertThat(records).isNotEmpty();
            assertThat(new String(records.get(0).key(), StandardCharsets.UTF_8)).isEqualTo(key);
            assertThat(records.get(0).value()).hasSize(release.length).endsWith((byte) 42);
        }
    }
}
