package io.streamrec.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.app.errors.DeadLetterConvention;
import io.streamrec.app.errors.DeadLetterHeaders;
import io.streamrec.app.model.TestModels;
import io.streamrec.app.model.TestModels.DotModel;
import io.streamrec.app.topology.DeadLetters;
import io.streamrec.avro.ClickEvent;
import io.streamrec.avro.ModelRelease;
import io.streamrec.avro.Recommendations;
import io.streamrec.devstack.LocalStack;
import io.streamrec.devstack.LocalStackExtension;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.serde.AvroSerde;
import io.streamrec.schemas.topics.TopicCatalog;
import io.streamrec.schemas.topics.TopicSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole streams app on a real broker and registry: clicks in, exactly one recommendation list per valid
 * click out (read_committed), bad records in the dead-letter topic, and a release published mid-stream that
 * takes over without a lost or failed list.
 */
@ExtendWith(LocalStackExtension.class)
class StreamsAppIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int USERS = 8;
    private static final int ITEMS = 60;

    @Test
    void everyValidClickGetsExactlyOneListAndAReleaseSwapsMidStream(LocalStack stack, @TempDir Path stateDir)
            throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, TopicSpec> topics = createTopics(stack, suffix);
        Map<String, Object> settings = new HashMap<>(stack.clientProperties());
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "streams-app-it-" + suffix);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.put(StreamsAppConfig.TOPIC_CLICKS_CONFIG, topics.get("clicks").name());
        settings.put(StreamsAppConfig.TOPIC_RECOMMENDATIONS_CONFIG, topics.get("recommendations").name());
        settings.put(StreamsAppConfig.TOPIC_INTERACTIONS_CONFIG, topics.get("interactions").name());
        settings.put(StreamsAppConfig.TOPIC_MODELS_CONFIG, topics.get("models").name());
        settings.put(StreamsAppConfig.TOPIC_DEAD_LETTERS_CONFIG, topics.get("dead-letters").name());
        settings.put(StreamsAppConfig.MODEL_TRUSTED_KEYS_CONFIG, ReleaseKeys.publicKeyPem(TestModels.TRAINER_KEY.getPublic()));
        settings.put(StreamsAppConfig.HTTP_PORT_CONFIG, 0);
        settings.put(StreamsAppConfig.HTTP_MANAGEMENT_PORT_CONFIG, 0);

        try (StreamsApp app = StreamsApp.start(settings);
             KafkaProducer<String, ClickEvent> clicks = clickProducer(stack);
             KafkaConsumer<String, Recommendations> lists = listConsumer(stack, topics.get("recommendations").name())) {
            awaitCondition(() -> app.streams().state() == KafkaStreams.State.RUNNING, "the app to run");

            // Before any model: answered from popularity.
            List<ClickEvent> coldStart = send(clicks, topics.get("clicks").name(), 0, 20);
            List<Recommendations> cold = readLists(lists, coldStart.size());
            assertThat(cold).allSatisfy(list -> assertThat(list.getFallback()).isTrue());

            publish(stack, topics.get("models").name(), 1);
            awaitCondition(() -> servingVersion(app) == 1, "model v1 to serve");
            List<ClickEvent> before = send(clicks, topics.get("clicks").name(), 20, 150);
            sendInvalid(stack, topics.get("clicks").name());
            List<Recommendations> underV1 = readLists(lists, before.size());

            publish(stack, topics.get("models").name(), 2);
            List<ClickEvent> during = send(clicks, topics.get("clicks").name(), 170, 150); // the swap lands in here
            awaitCondition(() -> servingVersion(app) == 2, "model v2 to serve");
            List<ClickEvent> after = send(clicks, topics.get("clicks").name(), 320, 100);
            List<Recommendations> rest = readLists(lists, during.size() + after.size());

            assertExactlyOneListPerClick(coldStart, cold);
            assertExactlyOneListPerClick(before, underV1);
            List<ClickEvent> later = new ArrayList<>(during);
            later.addAll(after);
            assertExactlyOneListPerClick(later, rest);

            assertThat(underV1).allSatisfy(list -> {
                assertThat(list.getFallback()).isFalse();
                assertThat(list.getModelVersion()).isEqualTo(1L);
                assertThat(list.getItems()).hasSize(10);
            });
            assertThat(rest).allSatisfy(list -> assertThat(list.getFallback()).isFalse());
            assertThat(rest).extracting(Recommendations::getModelVersion).isSubsetOf(1L, 2L);
            assertThat(rest.subList(rest.size() - after.size(), rest.size()))
                    .extracting(Recommendations::getModelVersion).containsOnly(2L);
            assertNoVersionGoesBackPerUser(rest);

            List<String> reasons = readDeadLetterReasons(stack, topics.get("dead-letters").name(),
                    topics.get("clicks").name(), 3);
            assertThat(reasons).containsExactlyInAnyOrder("undeserializable", "unknown-event-type", "key-mismatch");
            assertThat(lists.poll(Duration.ofSeconds(1))).isEmpty(); // nothing extra for the bad records
        }
    }

    private static Map<String, TopicSpec> createTopics(LocalStack stack, String suffix) throws Exception {
        Map<String, TopicSpec> topics = new HashMap<>();
        TopicCatalog catalog = TopicCatalog.standard().withReplicationFactor((short) 1).withPartitions(3);
        for (String name : List.of("clicks", "recommendations", "interactions", "models", "dead-letters")) {
            topics.put(name, catalog.topic(name).withName(name + "-" + suffix));
        }
        try (Admin admin = stack.createAdmin()) {
            admin.createTopics(topics.values().stream().map(TopicSpec::toNewTopic).toList()).all().get();
        }
        return topics;
    }

    private static KafkaProducer<String, ClickEvent> clickProducer(LocalStack stack) {
        Map<String, Object> config = new HashMap<>(stack.clientProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        AvroSerde<ClickEvent> serde = AvroSerde.specific(ClickEvent.class);
        serde.configure(config, false);
        return new KafkaProducer<>(config, new StringSerializer(), serde.serializer());
    }

    private static KafkaConsumer<String, Recommendations> listConsumer(LocalStack stack, String topic) {
        Map<String, Object> config = new HashMap<>(stack.clientProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "lists-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        AvroSerde<Recommendations> serde = AvroSerde.specific(Recommendations.class);
        serde.configure(config, false);
        KafkaConsumer<String, Recommendations> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), serde.deserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** Clicks number {@code from} .. {@code from + count - 1}: each has a unique event time, its identity. */
    private static List<ClickEvent> send(KafkaProducer<String, ClickEvent> producer, String topic, int from, int count)
            throws Exception {
        List<ClickEvent> sent = new ArrayList<>();
        for (int n = from; n < from + count; n++) {
            String user = "user-" + (1 + n % USERS);
            ClickEvent click = ClickEvent.newBuilder().setUserId(user).setItemId("item-" + (1 + (n * 7) % ITEMS))
                    .setEventType("click").setEventTime(Instant.now().minusSeconds(1).plusNanos(n * 1_000_000L))
                    .build();
            producer.send(new ProducerRecord<>(topic, user, click));
            sent.add(click);
        }
        producer.flush();
        return sent;
    }

    private static void sendInvalid(LocalStack stack, String topic) throws Exception {
        Map<String, Object> config = new HashMap<>(stack.clientProperties());
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer());
             KafkaProducer<String, ClickEvent> typed = clickProducer(stack)) {
            raw.send(new ProducerRecord<>(topic, "user-1".getBytes(), "not avro".getBytes())).get();
            typed.send(new ProducerRecord<>(topic, "user-2", ClickEvent.newBuilder().setUserId("user-2")
                    .setItemId("item-1").setEventType("teleport").setEventTime(Instant.now()).build())).get();
            typed.send(new ProducerRecord<>(topic, "user-3", ClickEvent.newBuilder().setUserId("user-4")
                    .setItemId("item-1").setEventType("view").setEventTime(Instant.now()).build())).get();
        }
    }

    private static void publish(LocalStack stack, String topic, long version) throws Exception {
        Map<String, Object> config = new HashMap<>(stack.clientProperties());
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicCatalog.MODELS_MAX_MESSAGE_BYTES);
        AvroSerde<ModelRelease> serde = AvroSerde.specific(ModelRelease.class);
        serde.configure(config, false);
        ModelRelease release = TestModels.signedRelease("default", version,
                DotModel.random(USERS, ITEMS, 8, 5, version));
        try (KafkaProducer<String, ModelRelease> producer =
                     new KafkaProducer<>(config, new StringSerializer(), serde.serializer())) {
            producer.send(new ProducerRecord<>(topic, "default", release)).get();
        }
    }

    private static List<Recommendations> readLists(KafkaConsumer<String, Recommendations> consumer, int expected) {
        List<Recommendations> lists = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (lists.size() < expected && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, Recommendations> record : consumer.poll(Duration.ofMillis(200))) {
                assertThat(record.key()).isEqualTo(record.value().getUserId());
                lists.add(record.value());
            }
        }
        assertThat(lists).as("lists received").hasSize(expected);
        return lists;
    }

    /** The reasons of the dead letters, each checked to carry Kafka Streams' headers naming the clicks topic. */
    private static List<String> readDeadLetterReasons(LocalStack stack, String topic, String clicksTopic,
                                                      int expected) {
        Map<String, Object> config = new HashMap<>(stack.clientProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> reasons = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (reasons.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String reason = DeadLetters.header(record.headers(), DeadLetterHeaders.REASON);
                    DeadLetterConvention.assertConvention(record.headers(), reason, clicksTopic,
                            Long.parseLong(DeadLetters.header(record.headers(), DeadLetterHeaders.OFFSET)));
                    reasons.add(reason);
                }
            }
        }
        return reasons;
    }

    private static void assertExactlyOneListPerClick(List<ClickEvent> clicks, List<Recommendations> lists) {
        Set<String> expected = new HashSet<>();
        clicks.forEach(click -> expected.add(click.getUserId() + "@" + click.getEventTime().toEpochMilli()));
        List<String> answered = lists.stream()
                .map(list -> list.getUserId() + "@" + list.getEventTime().toEpochMilli()).toList();
        assertThat(answered).doesNotHaveDuplicates();
        assertThat(new HashSet<>(answered)).isEqualTo(expected);
    }

    private static void assertNoVersionGoesBackPerUser(List<Recommendations> lists) {
        Map<String, Long> latest = new HashMap<>();
        for (Recommendations list : lists) {
            Long previous = latest.put(list.getUserId(), list.getModelVersion());
            if (previous != null) {
                assertThat(list.getModelVersion()).as("version for " + list.getUserId()).isGreaterThanOrEqualTo(previous);
            }
        }
    }

    private static long servingVersion(StreamsApp app) {
        return app.models().serving().map(serving -> serving.info().version()).orElse(-1L);
    }

    private static void awaitCondition(Supplier<Boolean> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
