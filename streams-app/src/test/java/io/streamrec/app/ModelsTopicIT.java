package io.streamrec.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.app.errors.DeadLetterConvention;
import io.streamrec.app.errors.DeadLetterHeaders;
import io.streamrec.app.model.TestModels;
import io.streamrec.app.model.TestModels.DotModel;
import io.streamrec.app.topology.DeadLetters;
import io.streamrec.avro.ModelRelease;
import io.streamrec.devstack.LocalStack;
import io.streamrec.devstack.LocalStackExtension;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.model.ReleaseRejectedException;
import io.streamrec.schemas.model.ReleaseSigner;
import io.streamrec.schemas.serde.AvroSerde;
import io.streamrec.schemas.topics.TopicCatalog;
import io.streamrec.schemas.topics.TopicSpec;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The models topic read by a real app on a real broker: an instance started while the schema registry is down
 * waits for it, then serves the release, never skipping it (the global processor's own retries are unit-tested); bad records reach the dead-letter topic with their reasons, once per
 * start of an instance; a restarted instance serves the release again from the replayed topic.
 */
@ExtendWith(LocalStackExtension.class)
class ModelsTopicIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Test
    void aReleaseReadWhileTheSchemaRegistryIsDownIsServedOnceItIsBack(LocalStack stack, @TempDir Path stateDir)
            throws Exception {
        Map<String, TopicSpec> topics = createTopics(stack);
        publish(stack, topics, "default", TestModels.signedRelease("default", 1, DotModel.random(8, 60, 8, 5, 1)));
        int registryPort = TcpForwarder.unusedPort();
        Map<String, Object> settings = settings(stack, topics, stateDir);
        settings.put("schema.registry.url", "http://127.0.0.1:" + registryPort); // nothing listens there yet

        URI registry = URI.create(stack.schemaRegistryUrl());
        CompletableFuture<TcpForwarder> registryBack = CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(3_000);
                return TcpForwarder.start(registryPort, new InetSocketAddress(registry.getHost(), registry.getPort()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (StreamsApp app = StreamsApp.start(settings)) {
            Thread.sleep(1_000);
            assertThat(app.streams().state()).as("an instance without its schemas stays out of the group")
                    .isEqualTo(KafkaStreams.State.CREATED);
            awaitCondition(() -> servingVersion(app) == 1, "v1 to serve once the registry is back");
        } finally {
            registryBack.get().close();
        }
        assertThat(readDeadLetters(stack, topics, 0)).isEmpty();
    }

    @Test
    void badRecordsAreDeadLetteredByEveryStartAndARestartServesTheReleaseAgain(LocalStack stack,
                                                                               @TempDir Path stateDir)
            throws Exception {
        Map<String, TopicSpec> topics = createTopics(stack);
        DotModel model = DotModel.random(8, 60, 8, 5, 1);
        publishRaw(stack, topics, "default", "not avro".getBytes(StandardCharsets.UTF_8));
        publish(stack, topics, "default", new ReleaseSigner(ReleaseKeys.generate())
                .sign(TestModels.release("default", Long.MAX_VALUE - 1, model, model.onnx()).build()));
        publish(stack, topics, "other", TestModels.signedRelease("other", 9, model));
        publish(stack, topics, "default", TestModels.signedRelease("default", 1, model));
        Map<String, Object> settings = settings(stack, topics, stateDir);

        try (StreamsApp app = StreamsApp.start(settings)) {
            awaitCondition(() -> servingVersion(app) == 1, "v1 to serve");
        }
        List<ConsumerRecord<byte[], byte[]>> first = readDeadLetters(stack, topics, 2);
        assertThat(first).extracting(letter -> DeadLetters.header(letter.headers(), DeadLetterHeaders.REASON))
                .containsExactly("undeserializable", "unknown-key");
        assertThat(first).extracting(letter -> DeadLetters.header(letter.headers(), DeadLetterHeaders.OFFSET))
                .containsExactly("0", "1");
        Headers forged = first.get(1).headers();
        DeadLetterConvention.assertConvention(first.get(0).headers(), "undeserializable", topics.get("models").name(),
                0);
        DeadLetterConvention.assertConvention(forged, "unknown-key", topics.get("models").name(), 1);
        assertThat(DeadLetters.header(forged, DeadLetterHeaders.EXCEPTION))
                .isEqualTo(ReleaseRejectedException.class.getName());

        try (StreamsApp restarted = StreamsApp.start(settings)) {
            awaitCondition(() -> servingVersion(restarted) == 1, "v1 to serve again after the restart");
        }
        // The restart replays the topic, so the same bad records are dead-lettered again (same source offsets).
        List<ConsumerRecord<byte[], byte[]>> all = readDeadLetters(stack, topics, 4);
        assertThat(all).extracting(letter -> DeadLetters.header(letter.headers(), DeadLetterHeaders.OFFSET))
                .containsExactly("0", "1", "0", "1");
    }

    private static Map<String, TopicSpec> createTopics(LocalStack stack) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, TopicSpec> topics = new HashMap<>();
        TopicCatalog catalog = TopicCatalog.standard().withReplicationFactor((short) 1).withPartitions(1);
        for (String name : List.of("clicks", "recommendations", "interactions", "models", "dead-letters")) {
            topics.put(name, catalog.topic(name).withName(name + "-" + suffix));
        }
        try (Admin admin = stack.createAdmin()) {
            admin.createTopics(topics.values().stream().map(TopicSpec::toNewTopic).toList()).all().get();
        }
        return topics;
    }

    private static Map<String, Object> settings(LocalStack stack, Map<String, TopicSpec> topics, Path stateDir) {
        Map<String, Object> settings = new HashMap<>(stack.clientProperties());
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "models-topic-it-" + topics.get("models").name());
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.put(StreamsAppConfig.TOPIC_CLICKS_CONFIG, topics.get("clicks").name());
        settings.put(StreamsAppConfig.TOPIC_RECOMMENDATIONS_CONFIG, topics.get("recommendations").name());
        settings.put(StreamsAppConfig.TOPIC_INTERACTIONS_CONFIG, topics.get("interactions").name());
        settings.put(StreamsAppConfig.TOPIC_MODELS_CONFIG, topics.get("models").name());
        settings.put(StreamsAppConfig.TOPIC_DEAD_LETTERS_CONFIG, topics.get("dead-letters").name());
        settings.put(StreamsAppConfig.MODEL_TRUSTED_KEYS_CONFIG,
                ReleaseKeys.publicKeyPem(TestModels.TRAINER_KEY.getPublic()));
        settings.put(StreamsAppConfig.HTTP_PORT_CONFIG, 0);
        return settings;
    }

    private static void publish(LocalStack stack, Map<String, TopicSpec> topics, String key, ModelRelease release) {
        Map<String, Object> config = new HashMap<>(stack.clientProperties());
        try (AvroSerde<ModelRelease> serde = AvroSerde.specific(ModelRelease.class)) {
            serde.configure(config, false);
            publishRaw(stack, topics, key, serde.serializer().serialize(topics.get("models").name(), release));
        }
    }

    private static void publishRaw(LocalStack stack, Map<String, TopicSpec> topics, String key, byte[] value) {
        Map<String, Object> config = new HashMap<>(stack.clientProperties());
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicCatalog.MODELS_MAX_MESSAGE_BYTES);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.get("models").name(), key.getBytes(StandardCharsets.UTF_8),
                    value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to the models topic", e);
        }
    }

    /** The dead letters, once {@code expected} have arrived (or, for 0, after a few quiet seconds). */
    private static List<ConsumerRecord<byte[], byte[]>> readDeadLetters(LocalStack stack,
                                                                        Map<String, TopicSpec> topics, int expected) {
        Map<String, Object> config = new HashMap<>(stack.clientProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
        Duration wait = expected == 0 ? Duration.ofSeconds(3) : TIMEOUT;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topics.get("dead-letters").name()));
            long deadline = System.nanoTime() + wait.toNanos();
            while ((expected == 0 || letters.size() < expected) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(letters::add);
            }
        }
        assertThat(letters).as("dead letters").hasSize(expected);
        return letters;
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
