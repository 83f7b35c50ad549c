package io.streamrec.trainer.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.avro.ModelRelease;
import io.streamrec.devstack.LocalStack;
import io.streamrec.devstack.LocalStackExtension;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.model.ReleaseSigner;
import io.streamrec.schemas.model.ReleaseVerifier;
import io.streamrec.schemas.topics.TopicCatalog;
import io.streamrec.trainer.data.Corpus;
import io.streamrec.trainer.data.SyntheticConfig;
import io.streamrec.trainer.data.SyntheticGenerator;
import io.streamrec.trainer.data.Vocabulary;
import io.streamrec.trainer.export.ExportFixtures;
import io.streamrec.trainer.export.OrtGraph;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.model.NcfModel;
import io.streamrec.trainer.release.Hyperparameters;
import io.streamrec.trainer.release.Provenance;
import io.streamrec.trainer.release.ReleaseBuilder;
import io.streamrec.trainer.release.ReleaseGraphs;
import io.streamrec.trainer.release.ReleaseRequest;
import io.streamrec.trainer.release.ReleaseSettings;
import io.streamrec.trainer.train.TrainConfig;
import io.streamrec.trainer.train.Trainer;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Releases of every variant, trained for a few steps, go through a real broker and schema registry: built,
 * signed, published (inline, and one by artifact URI), read back as the latest per name, verified, loaded in
 * ONNX Runtime and checked for parity with the trainer's forward pass on the read-back bytes.
 */
@ExtendWith(LocalStackExtension.class)
class ModelReleaseIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static String createTopic(LocalStack stack) throws Exception {
        String topic = "models-it-" + UUID.randomUUID();
        try (Admin admin = stack.createAdmin()) {
            admin.createTopics(List.of(TopicCatalog.MODELS.withName(topic).withReplicationFactor((short) 1)
                    .toNewTopic())).all().get();
        }
        return topic;
    }

    @Test
    void everyVariantRoundTripsThroughTheModelsTopicWithParity(LocalStack stack, @TempDir Path artifacts)
            throws Exception {
        String topic = createTopic(stack);
        Map<String, Object> config = new HashMap<>(stack.clientProperties());
        Corpus corpus = SyntheticGenerator.generate(SyntheticConfig.defaults().withSize(300, 120));
        KeyPair keys = ReleaseKeys.generate();
        ReleaseSigner signer = new ReleaseSigner(keys);
        ReleaseBuilder inline = new ReleaseBuilder(signer, ReleaseSettings.inlineOnly(), Clock.systemUTC());
        // One variant over a tiny inline limit: its graph must go through the artifact store.
        ReleaseBuilder viaArtifact = new ReleaseBuilder(signer,
                ReleaseSettings.withArtifacts(artifacts).withInlineLimit(4096), Clock.systemUTC());

        Map<String, ModelConfig> variants = new LinkedHashMap<>();
        variants.put("it-gmf", ModelConfig.gmf(8));
        variants.put("it-mlp", ModelConfig.mlp(16, 8, 4));
        variants.put("it-neumf", ModelConfig.neumf(8, 16, 8, 4));
        variants.put("it-aneumf", ModelConfig.aneumf(8, 16, 8, 4));
        variants.put("it-history-aneumf", ModelConfig.historyAneumf(8, 10, 16, 8, 4));
        TrainConfig training = TrainConfig.defaults().withMaxEpochs(1).withBatchSize(512).withThreads(1)
                .withLearningRate(0.01).withUnknownUserRate(0.1);

        Map<String, NcfModel> models = new LinkedHashMap<>();
        Map<String, ModelRelease> published = new LinkedHashMap<>();
        try (Trainer trainer = new Trainer(training);
             ModelReleasePublisher publisher = new ModelReleasePublisher(config, topic)) {
            for (Map.Entry<String, ModelConfig> variant : variants.entrySet()) {
                NcfModel model = NcfModel.create(variant.getValue(), corpus.users().size(), corpus.items().size());
                long start = System.nanoTime();
                trainer.fit(model, corpus.interactions(), null);
                ReleaseRequest request = new ReleaseRequest(variant.getKey(), 1, model, corpus.users(), corpus.items(),
                        Map.of("hr@10", 0.5), Hyperparameters.of(training), Provenance.of("synthetic",
                        corpus.interactions().size(), Duration.ofNanos(System.nanoTime() - start)));
                ReleaseBuilder builder = variant.getValue().usesHistory() ? viaArtifact : inline;
                ModelRelease release = builder.build(request);
                publisher.publish(release);
                models.put(variant.getKey(), model);
                published.put(variant.getKey(), release);
            }
            // A second version of one name: the reader must return it, not version 1.
            ModelRelease second = inline.build(new ReleaseRequest("it-gmf", 2, models.get("it-gmf"), corpus.users(),
                    corpus.items(), Map.of("hr@10", 0.6), Map.of(), Provenance.of("synthetic", 1, Duration.ZERO)));
            publisher.publish(second);
            published.put("it-gmf", second);
        }

        ReleaseVerifier verifier = ReleaseVerifier.trusting(List.of(keys.getPublic()));
        ModelsSnapshot snapshot = new ModelReleaseReader(config, topic, TIMEOUT, verifier).read();
        assertThat(snapshot.latest().keySet()).containsExactlyInAnyOrderElementsOf(variants.keySet());
        assertThat(snapshot.records()).isEqualTo(variants.size() + 1);
        assertThat(snapshot.unreadable()).isZero();
        assertThat(snapshot.nextVersion("it-gmf")).isEqualTo(3);
        assertThat(snapshot.nextVersion("it-neumf")).isEqualTo(2);

        SplittableRandom random = new SplittableRandom(5);
        int users = corpus.users().size();
        int items = corpus.items().size();
        for (String name : variants.keySet()) {
            ModelRelease read = snapshot.latest(name).orElseThrow();
            ModelRelease sent = published.get(name);
            assertThat(read.getVersion()).isEqualTo(sent.getVersion());
            assertThat(read.getSha256()).isEqualTo(sent.getSha256());
            assertThat(read.getItemVocabulary()).isEqualTo(corpus.items().ids());
            assertThat(read.getMetrics()).isEqualTo(sent.getMetrics());
            assertThat(read.getArtifactUri() != null).as(name).isEqualTo(variants.get(name).usesHistory());

            byte[] graph = ReleaseGraphs.verifiedGraph(read, verifier, 64L * 1024 * 1024);
            int h = read.getHistoryLength();
            NcfModel model = models.get(name);
            int[] rowUsers = {0, 1, users, 1 + random.nextInt(users)};
            int[][] histories = {ExportFixtures.emptyHistory(h), ExportFixtures.fullHistory(h, items, random),
                    ExportFixtures.fullHistory(h, items, random), ExportFixtures.emptyHistory(h)};
            histories[3][h - 1] = 1 + random.nextInt(items);
            int[][] catalogue = new int[rowUsers.length][];
            for (int b = 0; b < rowUsers.length; b++) {
                catalogue[b] = ExportFixtures.catalogue(items);
            }
            try (OrtGraph ort = new OrtGraph(graph, h)) {
                assertThat(ExportFixtures.maxAbsDiff(model, ort, rowUsers, histories, catalogue)).as(name)
                        .isLessThanOrEqualTo(1e-5);
            }
        }
    }

    @Test
    void aTenMegabyteReleaseTravelsInlineAndTombstonesAndJunkAreHandled(LocalStack stack) throws Exception {
        String topic = createTopic(stack);
        Map<String, Object> config = new HashMap<>(stack.clientProperties());
        int items = 40_000;
        NcfModel model = ExportFixtures.randomModel(ModelConfig.neumf(32, 64, 32, 16, 8), 10, items, 3, 0.1);
        KeyPair keys = ReleaseKeys.generate();
        ReleaseBuilder builder = new ReleaseBuilder(new ReleaseSigner(keys), ReleaseSettings.inlineOnly(),
                Clock.systemUTC());
        ModelRelease large = builder.build(new ReleaseRequest("large", 1, model, Vocabulary.sequential("u", 10),
                Vocabulary.sequential("i", items), Map.of(), Map.of(), Provenance.of("random", 0, Duration.ZERO)));
        assertThat(large.getOnnxModel().remaining()).isGreaterThan(10_000_000); // ten times Kafka's default limits
        ModelRelease gone = builder.build(new ReleaseRequest("gone", 1, ExportFixtures.randomModel(
                ModelConfig.gmf(4), 10, 20, 4, 0.1), Vocabulary.sequential("u", 10), Vocabulary.sequential("i", 20),
                Map.of(), Map.of(), Provenance.of("random", 0, Duration.ZERO)));
        try (ModelReleasePublisher publisher = new ModelReleasePublisher(config, topic)) {
            publisher.publish(large);
            publisher.publish(gone);
        }
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(topic, "gone", null)).get();                       // tombstone
            raw.send(new ProducerRecord<>(topic, "junk", "not avro".getBytes())).get();      // unreadable
        }

        ModelsSnapshot snapshot = new ModelReleaseReader(config, topic, TIMEOUT,
                ReleaseVerifier.trusting(List.of(keys.getPublic()))).read();
        assertThat(snapshot.latest().keySet()).containsExactly("large");
        assertThat(snapshot.unreadable()).isEqualTo(1);
        ModelRelease read = snapshot.latest("large").orElseThrow();
        byte[] graph = ReleaseGraphs.verifiedGraph(read, ReleaseVerifier.trusting(List.of(keys.getPublic())),
                64L * 1024 * 1024);
        try (OrtGraph ort = new OrtGraph(graph, read.getHistoryLength())) {
            assertThat(ExportFixtures.maxAbsDiff(model, ort, new int[] {0, 10}, new int[][] {{0}, {0}},
                    new int[][] {{1, items / 2, items}, {items, 7, 1}})).isLessThanOrEqualTo(1e-5);
        }
    }

    @Test
    void versionsComeOnlyFromThisTrainersReleasesAndRestartAfterATombstone(LocalStack stack) throws Exception {
        String topic = createTopic(stack);
        Map<String, Object> config = new HashMap<>(stack.clientProperties());
        KeyPair keys = ReleaseKeys.generate();
        ReleaseBuilder builder = new ReleaseBuilder(new ReleaseSigner(keys), ReleaseSettings.inlineOnly(),
                Clock.systemUTC());
        ReleaseSigner stranger = new ReleaseSigner(ReleaseKeys.generate());
        ModelRelease first = small(builder, "default", 1, 1);
        ModelRelease second = small(builder, "default", 2, 2);
        ModelRelease unsigned = ModelRelease.newBuilder(second).setVersion(Long.MAX_VALUE).setSigningKeyId(null)
                .setSignature(null).build();
        try (ModelReleasePublisher publisher = new ModelReleasePublisher(config, topic)) {
            publisher.publish(first);
            publisher.publish(second);
            publisher.publish(stranger.sign(ModelRelease.newBuilder(unsigned).setVersion(Long.MAX_VALUE - 1).build()));
            publisher.publish(unsigned);
            publisher.publish(stranger.sign(ModelRelease.newBuilder(first).setVersion(2).build())); // a forged v2
        }
        ModelReleaseReader reader = new ModelReleaseReader(config, topic, TIMEOUT,
                ReleaseVerifier.trusting(List.of(keys.getPublic())));

        ModelsSnapshot forged = reader.read();
        assertThat(forged.nextVersion("default")).isEqualTo(3);
        assertThat(forged.latest("default")).map(ModelRelease::getSha256).contains(second.getSha256());
        assertThat(forged.unverified()).isEqualTo(3);
        assertThat(reader.find("default", 2).release()).map(ModelRelease::getSha256).contains(second.getSha256());

        tombstone(config, topic, "default");
        ModelsSnapshot cleared = reader.read();
        assertThat(cleared.nextVersion("default")).isEqualTo(1);
        assertThat(cleared.latest("default")).isEmpty();
        assertThat(reader.find("default", 2).release()).as("a version of the numbering before the tombstone")
                .isEmpty();

        ModelRelease renumbered = small(builder, "default", 1, 3);
        ModelRelease last = small(builder, "edge", Long.MAX_VALUE, 4);
        try (ModelReleasePublisher publisher = new ModelReleasePublisher(config, topic)) {
            publisher.publish(renumbered);
            publisher.publish(last);
        }
        ModelsSnapshot restarted = reader.read();
        assertThat(restarted.nextVersion("default")).isEqualTo(2);
        assertThat(restarted.latest("default")).map(ModelRelease::getSha256).contains(renumbered.getSha256());
        assertThat(reader.find("default", 1).release()).map(ModelRelease::getSha256)
                .contains(renumbered.getSha256());
        assertThatThrownBy(() -> restarted.nextVersion("edge")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tombstone");
        assertThatThrownBy(() -> reader.find("edge", 1)).isInstanceOf(IllegalStateException.class);
    }

    private static ModelRelease small(ReleaseBuilder builder, String name, long version, long seed) {
        return builder.build(new ReleaseRequest(name, version, ExportFixtures.randomModel(ModelConfig.gmf(4), 10, 20,
                seed, 0.1), Vocabulary.sequential("u", 10), Vocabulary.sequential("i", 20), Map.of(), Map.of(),
                Provenance.of("random", 0, Duration.ZERO)));
    }

    private static void tombstone(Map<String, Object> config, String topic, String name) throws Exception {
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(topic, name, null)).get();
        }
    }

    @Test
    void aReleaseOverTheRequestLimitFailsBeforeSending(LocalStack stack) throws Exception {
        String topic = createTopic(stack);
        Map<String, Object> config = new HashMap<>(stack.clientProperties());
        config.put("max.request.size", 1024 * 1024);
        ModelRelease release = new ReleaseBuilder(new ReleaseSigner(ReleaseKeys.generate()),
                ReleaseSettings.inlineOnly(), Clock.systemUTC()).build(new ReleaseRequest("big", 1,
                ExportFixtures.randomModel(ModelConfig.gmf(32), 10, 20_000, 1, 0.1), Vocabulary.sequential("u", 10),
                Vocabulary.sequential("i", 20_000), Map.of(), Map.of(), Provenance.of("random", 0, Duration.ZERO)));
        try (ModelReleasePublisher publisher = new ModelReleasePublisher(config, topic)) {
            assertThatThrownBy(() -> publisher.publish(release)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("artifact store");
        }
        assertThat(new ModelReleaseReader(config, topic, TIMEOUT,
                ReleaseVerifier.trusting(List.of(ReleaseKeys.generate().getPublic()))).read().records()).isZero();
    }
}
