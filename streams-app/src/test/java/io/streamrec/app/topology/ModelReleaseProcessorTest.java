package io.streamrec.app.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrec.app.StreamsAppConfig;
import io.streamrec.app.errors.DeadLetterHeaders;
import io.streamrec.app.errors.FailedRecords;
import io.streamrec.app.model.ArtifactFetcher;
import io.streamrec.app.model.ModelEvent;
import io.streamrec.app.model.ModelLoader;
import io.streamrec.app.model.ModelRegistry;
import io.streamrec.app.model.OnnxRuntime;
import io.streamrec.app.model.TestModels;
import io.streamrec.app.model.TestModels.DotModel;
import io.streamrec.avro.ModelRelease;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.model.ReleaseSigner;
import io.streamrec.schemas.model.ReleaseVerifier;
import io.streamrec.schemas.serde.InMemorySchemaRegistryClient;
import io.streamrec.schemas.serde.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The models topic through the real topology ({@code TopologyTestDriver}): what reaches the global store and the
 * model registry, what is dead-lettered and why, tombstones, and a schema registry that is down for a while.
 */
class ModelReleaseProcessorTest {

    private static final Instant START = Instant.parse("2026-11-29T12:00:00Z");
    private static final Duration LOAD_WAIT = Duration.ofSeconds(30);
    private static final Set<String> BAD_RELEASE_REASONS = Set.of("undeserializable", "key-mismatch",
            "invalid-version", "signature-missing", "unknown-key", "signature", "checksum");
    private static OnnxRuntime runtime;

    private final InMemorySchemaRegistryClient schemaRegistry = new InMemorySchemaRegistryClient();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CollectingDeadLetters deadLetters = new CollectingDeadLetters();
    private ModelRegistry models;
    private TopologyTestDriver driver;
    private TestInputTopic<String, ModelRelease> releases;
    private TestInputTopic<byte[], byte[]> rawModels;
    private Serializer<ModelRelease> releaseSerializer;
    private KeyValueStore<String, ModelRelease> store;

    @BeforeAll
    static void startRuntime() {
        runtime = new OnnxRuntime(new OnnxRuntime.Settings(1, false));
    }

    @AfterAll
    static void closeRuntime() {
        runtime.close();
    }

    /** The topology over {@code appRegistry} (how the app reaches the registry); the test writes to the real one. */
    private void start(SchemaRegistryClient appRegistry) {
        Map<String, Object> settings = new HashMap<>(Map.of(
                StreamsConfig.APPLICATION_ID_CONFIG, "models-topic-test",
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092",
                "schema.registry.url", "http://unused:8081"));
        StreamsAppConfig config = new StreamsAppConfig(settings);
        ModelLoader loader = new ModelLoader(runtime,
                ReleaseVerifier.trusting(List.of(TestModels.TRAINER_KEY.getPublic())),
                new ArtifactFetcher(1_000_000, Duration.ofSeconds(1)), 1);
        models = new ModelRegistry(new ModelRegistry.Settings(config.modelName(), config.pinnedVersion(), 50), loader,
                Clock.systemUTC(), event -> { });
        Properties properties = new Properties();
        properties.putAll(settings);
        driver = new TopologyTestDriver(RecommenderTopology.build(config, new RecommenderTopology.Collaborators(
                appRegistry, models, new FailedRecords(2, 10), new PopularityLists(), deadLetters, meters)),
                properties, START);
        releaseSerializer = TopicSerdes.create(schemaRegistry, config.allOriginals()).modelReleases().serializer();
        releases = driver.createInputTopic("models", new StringSerializer(), releaseSerializer);
        rawModels = driver.createInputTopic("models", new ByteArraySerializer(), new ByteArraySerializer());
        store = driver.getKeyValueStore(RecommenderTopology.MODELS_STORE);
    }

    private void start() {
        start(schemaRegistry);
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
        if (models != null) {
            models.close();
        }
        deadLetters.close();
    }

    private static ModelRelease release(String name, long version) {
        return TestModels.signedRelease(name, version, DotModel.random(4, 20, 4, 3, version));
    }

    private void publish(ModelRelease release) throws InterruptedException {
        releases.pipeInput(release.getName(), release);
        models.awaitIdle(LOAD_WAIT);
    }

    private long servingVersion() {
        return models.serving().map(serving -> serving.info().version()).orElse(-1L);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyKindOfBadRecordIsDeadLetteredWithItsReasonAndNeverReachesTheStore() throws Exception {
        start();
        byte[] valid = releaseSerializer.serialize("models", release("default", 1));
        byte[] unknownSchemaId = valid.clone();
        unknownSchemaId[4] = 99;
        DotModel model = DotModel.random(4, 20, 4, 3, 7);
        ModelRelease wrongChecksum = TestModels.sign(TestModels.release("default", 7, model, model.onnx())
                .setSha256(ReleaseVerifier.sha256Hex(new byte[] {1})).build());

        rawModels.pipeInput(null, valid);
        rawModels.pipeInput(utf8("default"), utf8("{\"name\": \"default\"}"));
        rawModels.pipeInput(utf8("default"), unknownSchemaId);
        rawModels.pipeInput(utf8("default"), java.util.Arrays.copyOf(valid, valid.length / 2));
        rawModels.pipeInput(utf8("default"), lengthBomb(valid));
        releases.pipeInput("default", release("other", 2));
        releases.pipeInput("default", release("default", 0));
        releases.pipeInput("default", TestModels.release("default", 3, model, model.onnx()).build());
        releases.pipeInput("default", new ReleaseSigner(ReleaseKeys.generate())
                .sign(TestModels.release("default", Long.MAX_VALUE - 1, model, model.onnx()).build()));
        releases.pipeInput("default", ModelRelease.newBuilder(release("default", 5)).setVersion(6).build());
        releases.pipeInput("default", wrongChecksum);

        assertThat(deadLetters.reasons()).containsExactly("null-key", "undeserializable", "undeserializable",
                "undeserializable", "undeserializable", "key-mismatch", "invalid-version", "signature-missing",
                "unknown-key", "signature", "checksum");
        List<DeadLetters.Letter> letters = deadLetters.letters();
        for (int offset = 0; offset < letters.size(); offset++) {
            Headers headers = letters.get(offset).headers();
            assertThat(DeadLetters.header(headers, DeadLetterHeaders.TOPIC)).isEqualTo("models");
            assertThat(DeadLetters.header(headers, DeadLetterHeaders.PARTITION)).isEqualTo("0");
            assertThat(DeadLetters.header(headers, DeadLetterHeaders.OFFSET)).isEqualTo(Integer.toString(offset));
        }
        assertThat(letters.get(0).value()).isEqualTo(valid); // the original bytes
        assertThat(DeadLetters.header(letters.get(2).headers(), DeadLetterHeaders.MESSAGE)).contains("schema id 99");
        assertThat(DeadLetters.header(letters.get(8).headers(), DeadLetterHeaders.MESSAGE))
                .contains("not among the trusted keys");
        assertThat(meters.get("streamrec.dead.letters").tag("reason", "undeserializable").counter().count())
                .isEqualTo(4);
        assertThat(store.get("default")).isNull();
        assertThat(models.events()).isEmpty(); // nothing bad was even offered

        publish(release("default", 1)); // the instance carries on
        assertThat(servingVersion()).isEqualTo(1);
        assertThat(store.get("default").getVersion()).isEqualTo(1);
    }

    @Test
    void fuzzedRecordsAreAllDeadLetteredAndTheServingModelStays() throws Exception {
        start();
        publish(release("default", 1));
        byte[] valid = releaseSerializer.serialize("models", release("default", 2));
        SplittableRandom random = new SplittableRandom(21);
        List<byte[]> fuzz = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            byte[] noise = new byte[random.nextInt(200)];
            random.nextBytes(noise);
            fuzz.add(noise);
            byte[] noiseAfterAValidHeader = noise.clone();
            System.arraycopy(valid, 0, noiseAfterAValidHeader, 0, Math.min(5, noise.length));
            fuzz.add(noiseAfterAValidHeader);
            byte[] flipped = valid.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                flipped[random.nextInt(flipped.length)] ^= (byte) (1 + random.nextInt(255));
            }
            fuzz.add(flipped);
        }
        fuzz.forEach(value -> rawModels.pipeInput(utf8("default"), value));
        models.awaitIdle(LOAD_WAIT);

        assertThat(deadLetters.reasons()).hasSize(fuzz.size()).allSatisfy(reason ->
                assertThat(reason).isIn(BAD_RELEASE_REASONS));
        assertThat(servingVersion()).isEqualTo(1);
        assertThat(store.get("default").getVersion()).isEqualTo(1);
        assertThat(models.events()).extracting(ModelEvent::kind).containsExactly(ModelEvent.Kind.LOADED);
    }

    @Test
    void onlyTheServedModelIsStored() throws Exception {
        start();
        publish(release("other", 1));
        publish(release("default", 1));
        releases.pipeInput("other", null);

        assertThat(store.get("other")).isNull();
        assertThat(store.get("default").getVersion()).isEqualTo(1);
        assertThat(store.approximateNumEntries()).isEqualTo(1);
        assertThat(deadLetters.letters()).isEmpty();
        assertThat(servingVersion()).isEqualTo(1);
    }

    @Test
    void aTombstoneForTheServedNameRestartsNumberingAndTheServingModelStays() throws Exception {
        start();
        publish(release("default", 37));
        publish(release("default", 3));
        assertThat(servingVersion()).isEqualTo(37);

        releases.pipeInput("default", null);
        assertThat(store.get("default")).isNull();
        assertThat(servingVersion()).isEqualTo(37);

        publish(release("default", 1));
        assertThat(servingVersion()).isEqualTo(1);
        assertThat(store.get("default").getVersion()).isEqualTo(1);
        assertThat(models.events()).extracting(ModelEvent::kind, ModelEvent::version).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ModelEvent.Kind.LOADED, 37L),
                org.assertj.core.groups.Tuple.tuple(ModelEvent.Kind.IGNORED, 3L),
                org.assertj.core.groups.Tuple.tuple(ModelEvent.Kind.NUMBERING_RESTARTED, 37L),
                org.assertj.core.groups.Tuple.tuple(ModelEvent.Kind.LOADED, 1L));
        assertThat(deadLetters.letters()).isEmpty();
    }

    @Test
    void aRegistryOutageDelaysAReleaseAndNeverSkipsIt() throws Exception {
        OutageRegistry flaky = new OutageRegistry(schemaRegistry).failNextLookups(3);
        start(flaky);
        long begin = System.nanoTime();
        publish(release("default", 1));

        assertThat(flaky.lookupsStillFailing()).isZero();
        assertThat(servingVersion()).isEqualTo(1);
        assertThat(store.get("default").getVersion()).isEqualTo(1);
        assertThat(deadLetters.letters()).isEmpty();
        assertThat(meters.get("streamrec.models.registry.retries").counter().count()).isEqualTo(3);
        // 100 + 200 + 400 ms of backoff before the fourth attempt.
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
    }

    @Test
    void theWaitForTheRegistryEndsWhenTheAppStops() throws Exception {
        start(new OutageRegistry(schemaRegistry).failNextLookups(Integer.MAX_VALUE));
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            deadLetters.close();
        });
        stopper.start();
        releases.pipeInput("default", release("default", 1)); // returns once the app stops
        stopper.join();

        assertThat(deadLetters.letters()).isEmpty();
        assertThat(store.get("default")).isNull(); // read again at the next start
    }

    @Test
    void retriesBackOffExponentiallyUpToFiveSeconds() {
        assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 100, Integer.MAX_VALUE))
                .extracting(ModelReleaseProcessor::retryDelayMs)
                .containsExactly(100L, 200L, 400L, 800L, 1_600L, 3_200L, 5_000L, 5_000L, 5_000L);
    }

    /** The header of {@code valid}, then a name claiming two gigabytes. */
    private static byte[] lengthBomb(byte[] valid) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(valid, 0, 5);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        encoder.writeLong(Integer.MAX_VALUE - 16L);
        encoder.flush();
        return out.toByteArray();
    }
}
