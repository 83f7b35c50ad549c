package io.streamrec.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrec.avro.Interaction;
import io.streamrec.avro.InteractionKey;
import io.streamrec.avro.ModelRelease;
import io.streamrec.devstack.LocalStack;
import io.streamrec.devstack.LocalStackExtension;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.model.ReleaseSigner;
import io.streamrec.schemas.model.ReleaseVerifier;
import io.streamrec.schemas.serde.AvroSerde;
import io.streamrec.schemas.serde.RestSchemaRegistryClient;
import io.streamrec.schemas.serde.SchemaRegistryClient;
import io.streamrec.schemas.topics.TopicCatalog;
import io.streamrec.trainer.data.Corpus;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.data.SyntheticConfig;
import io.streamrec.trainer.data.SyntheticGenerator;
import io.streamrec.trainer.kafka.ModelReleasePublisher;
import io.streamrec.trainer.kafka.ModelReleaseReader;
import io.streamrec.trainer.release.ReleaseGraphs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The refit loop on the real local stack: interactions on a topic → train → gate → signed release on the models
 * topic; a deliberately worse model (zero epochs) is not published; versions come from the topic.
 */
@ExtendWith(LocalStackExtension.class)
class TrainerServiceIT {

    private static final KeyPair KEY = ReleaseKeys.generate();

    @Test
    void publishesAGoodModelKeepsAWorseOneAndNumbersVersionsFromTheTopic(LocalStack stack, @TempDir Path dir)
            throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String interactions = "interactions-" + suffix;
        String models = "models-" + suffix;
        try (Admin admin = stack.createAdmin()) {
            admin.createTopics(List.of(
                    TopicCatalog.INTERACTIONS.withName(interactions).withReplicationFactor((short) 1).withPartitions(3)
                            .toNewTopic(),
                    TopicCatalog.MODELS.withName(models).withReplicationFactor((short) 1).toNewTopic())).all().get();
        }
        Corpus corpus = SyntheticGenerator.generate(SyntheticConfig.defaults().withSize(300, 200));
        seed(stack, interactions, corpus);

        Map<String, Object> settings = new HashMap<>(stack.clientProperties());
        settings.put(TrainerServiceConfig.INTERACTIONS_TOPIC_CONFIG, interactions);
        settings.put(TrainerServiceConfig.MODELS_TOPIC_CONFIG, models);
        settings.put(TrainerServiceConfig.MODEL_VARIANT_CONFIG, "neumf");
        settings.put(TrainerServiceConfig.MODEL_FACTORS_CONFIG, 8);
        settings.put(TrainerServiceConfig.MODEL_LAYERS_CONFIG, "16,8");
        settings.put(TrainerServiceConfig.TRAIN_MAX_EPOCHS_CONFIG, 4);
        settings.put(TrainerServiceConfig.TRAIN_BATCH_SIZE_CONFIG, 256);
        settings.put(TrainerServiceConfig.TRAIN_LEARNING_RATE_CONFIG, 0.01);
        settings.put(TrainerServiceConfig.REPORT_DIR_CONFIG, dir.resolve("reports").toString());
        settings.put(TrainerServiceConfig.TRAIN_WARM_START_DIR_CONFIG, dir.resolve("warm-start").toString());
        SchemaRegistryClient schemaRegistry = RestSchemaRegistryClient.forUrl(stack.schemaRegistryUrl());
        ReleaseSigner signer = new ReleaseSigner(KEY);

        // The second trained run is a new service (a restart, or the next 'trainer once'): it starts from the
        // first one's parameters through the warm-start checkpoint.
        try (TrainerService service = new TrainerService(new TrainerServiceConfig(settings), settings, schemaRegistry,
                signer, Clock.systemUTC(), new SimpleMeterRegistry())) {
            RefitOutcome first = service.runOnce();
            assertThat(first.decision()).as(first.reason()).isEqualTo(RefitOutcome.Decision.PUBLISHED);
            assertThat(first.version()).isEqualTo(1);
            assertThat(first.candidate().orElseThrow().hitRate()).isGreaterThan(0.2);
            assertThat(first.report()).isPresent();
            assertThat(Files.readString(first.report().get())).contains("<svg").contains("PUBLISHED");
            assertThat(first.phases()).containsKeys("models", "snapshot", "split", "train", "evaluate", "export",
                    "publish");

            ReleaseVerifier trainerKey = ReleaseVerifier.trusting(List.of(KEY.getPublic()));
            ModelRelease published = new ModelReleaseReader(stack.clientProperties(), models, Duration.ofSeconds(30),
                    trainerKey).read().latest("default").orElseThrow();
            assertThat(published.getVersion()).isEqualTo(1);
            assertThat(published.getItemVocabulary()).hasSize(corpus.items().size());
            assertThat(published.getMetrics()).containsKeys("hr@10", "ndcg@10");
            assertThat(published.getProvenance()).containsKeys("data.source", "data.pairs", RefitRun.DATA_MAX_EVENT_TIME)
                    .containsEntry("training.init", "scratch");
            ReleaseGraphs.verifiedGraph(published, trainerKey, Long.MAX_VALUE);

            Map<String, Object> untrained = new HashMap<>(settings);
            untrained.put(TrainerServiceConfig.TRAIN_MAX_EPOCHS_CONFIG, 0);
            RefitOutcome worse = run(untrained, schemaRegistry, signer);
            assertThat(worse.decision()).as(worse.reason()).isEqualTo(RefitOutcome.Decision.KEPT);
            assertThat(worse.exitCode()).isEqualTo(3);
            assertThat(worse.serving().orElseThrow().ndcg()).isGreaterThan(worse.candidate().orElseThrow().ndcg());
            assertThat(worse.reason()).contains("serving v1");

            // Records nobody can vouch for, with the largest versions there are, must not move the numbering.
            publishForged(stack, models, published);

            // This run checks version numbering and the warm start, not model quality (the run above checked the
            // gate): on the same small data a warm start may end a little below v1, so the gate is opened wide.
            Map<String, Object> anyQuality = new HashMap<>(settings);
            anyQuality.put(TrainerServiceConfig.GATE_TOLERANCE_CONFIG, 1.0);
            RefitOutcome again = run(anyQuality, schemaRegistry, signer);
            assertThat(again.decision()).as(again.reason()).isEqualTo(RefitOutcome.Decision.PUBLISHED);
            assertThat(again.version()).isEqualTo(2);
            ModelRelease second = new ModelReleaseReader(stack.clientProperties(), models, Duration.ofSeconds(30),
                    trainerKey).read().latest("default").orElseThrow();
            assertThat(second.getVersion()).isEqualTo(2);
            assertThat(second.getProvenance()).containsEntry("training.init", "warm:v1");
        }
    }

    /** Copies of {@code genuine} at the end of the numbers: one signed by another key, one unsigned. */
    private static void publishForged(LocalStack stack, String topic, ModelRelease genuine) {
        ModelRelease unsigned = ModelRelease.newBuilder(genuine).setVersion(Long.MAX_VALUE).setSigningKeyId(null)
                .setSignature(null).build();
        ModelRelease foreign = new ReleaseSigner(ReleaseKeys.generate())
                .sign(ModelRelease.newBuilder(unsigned).setVersion(Long.MAX_VALUE - 1).build());
        try (ModelReleasePublisher publisher = new ModelReleasePublisher(stack.clientProperties(), topic)) {
            publisher.publish(foreign);
            publisher.publish(unsigned);
        }
    }

    private static RefitOutcome run(Map<String, Object> settings, SchemaRegistryClient schemaRegistry,
                                    ReleaseSigner signer) {
        try (TrainerService service = new TrainerService(new TrainerServiceConfig(settings), settings, schemaRegistry,
                signer, Clock.systemUTC(), new SimpleMeterRegistry())) {
            return service.runOnce();
        }
    }

    private static void seed(LocalStack stack, String topic, Corpus corpus) {
        Map<String, Object> config = new HashMap<>(stack.clientProperties());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        AvroSerde<InteractionKey> keys = AvroSerde.specific(InteractionKey.class);
        keys.configure(config, true);
        AvroSerde<Interaction> values = AvroSerde.specific(Interaction.class);
        values.configure(config, false);
        Interactions all = corpus.interactions();
        try (KafkaProducer<InteractionKey, Interaction> producer =
                     new KafkaProducer<>(config, keys.serializer(), values.serializer())) {
            for (int user = 1; user <= all.numUsers(); user++) {
                for (int position = all.start(user); position < all.end(user); position++) {
                    String userId = corpus.users().id(user);
                    String itemId = corpus.items().id(all.itemAt(position));
                    Instant at = Instant.ofEpochSecond(1_700_000_000L + position);
                    producer.send(new ProducerRecord<>(topic, new InteractionKey(userId, itemId),
                            new Interaction(userId, itemId, 1L, at, at, "click")));
                }
            }
        }
    }
}
