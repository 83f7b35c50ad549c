package io.streamrec.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.streamrec.app.model.ArtifactFetcher;
import io.streamrec.app.model.LoadedModel;
import io.streamrec.app.model.ModelLoader;
import io.streamrec.app.model.OnnxRuntime;
import io.streamrec.avro.ModelRelease;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.model.ReleaseRejectedException;
import io.streamrec.schemas.model.ReleaseSigner;
import io.streamrec.schemas.model.ReleaseVerifier;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.model.NcfModel;
import io.streamrec.trainer.release.ReleaseSettings;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The benchmark's guard: every variant the trainer exports and signs passes the streams app's real
 * {@link ModelLoader} (signature, checksum, graph signature, metadata counts, probes) and scores through
 * {@link LoadedModel} exactly as the trainer's own forward pass, within 1e-5; the loader also rejects a
 * trainer release with one flipped byte in its graph, vocabulary, metrics or signature.
 */
class ServingPathParityTest {

    private static final int USERS = 40;
    private static final int ITEMS = 90;
    private static final KeyPair KEYS = ReleaseKeys.generate();
    private static OnnxRuntime runtime;
    private static ModelLoader loader;

    @BeforeAll
    static void start() {
        runtime = new OnnxRuntime(new OnnxRuntime.Settings(1, false));
        loader = new ModelLoader(runtime, ReleaseVerifier.trusting(List.of(KEYS.getPublic())),
                new ArtifactFetcher(64L * 1024 * 1024, Duration.ofSeconds(5)), 1);
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    static Stream<Arguments> variants() {
        return BenchModels.configs().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void theLoadedModelScoresLikeTheTrainer(String name, ModelConfig config) throws Exception {
        NcfModel model = BenchModels.randomModel(config, USERS, ITEMS, 3);
        ModelRelease release = BenchModels.release(model, new ReleaseSigner(KEYS));
        assertParity(model, release);
    }

    @Test
    void aReleaseThroughTheArtifactStoreLoadsToo(@TempDir Path artifacts) throws Exception {
        NcfModel model = BenchModels.randomModel(BenchModels.configs().get("history-aneumf"), USERS, ITEMS, 4);
        ModelRelease release = BenchModels.release(model, new ReleaseSigner(KEYS),
                ReleaseSettings.withArtifacts(artifacts).withInlineLimit(1024));
        assertThat(release.getArtifactUri()).startsWith("file:");
        assertParity(model, release);
    }

    @Test
    void theLoaderRejectsAFlippedByteInEveryPart() throws Exception {
        ModelRelease release = BenchModels.release(BenchModels.randomModel(BenchModels.configs().get("neumf"), USERS,
                ITEMS, 5), new ReleaseSigner(KEYS));
        try (LoadedModel untouched = loader.load(release)) {
            assertThat(untouched.itemCount()).isEqualTo(ITEMS);
        }
        byte[] graph = bytes(release.getOnnxModel());
        graph[graph.length / 3] ^= 0x01;
        List<String> items = new ArrayList<>(release.getItemVocabulary());
        byte[] id = items.get(7).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        id[0] ^= 0x01; // "item-8" -> "htem-8": one flipped bit in one id
        items.set(7, new String(id, java.nio.charset.StandardCharsets.UTF_8));
        Map<String, Double> metrics = new HashMap<>(release.getMetrics());
        metrics.put("hr@10", Double.longBitsToDouble(Double.doubleToLongBits(metrics.get("hr@10")) ^ 1L));
        byte[] signature = bytes(release.getSignature());
        signature[0] ^= 0x01;

        assertRejected("graph", ModelRelease.newBuilder(release).setOnnxModel(ByteBuffer.wrap(graph)).build(),
                "checksum");
        assertRejected("vocabulary", ModelRelease.newBuilder(release).setItemVocabulary(items).build(), "signature");
        assertRejected("metrics", ModelRelease.newBuilder(release).setMetrics(metrics).build(), "signature");
        assertRejected("signature", ModelRelease.newBuilder(release).setSignature(ByteBuffer.wrap(signature)).build(),
                "signature");
    }

    private static void assertRejected(String part, ModelRelease release, String reason) {
        ReleaseRejectedException rejected = catchThrowableOfType(ReleaseRejectedException.class,
                () -> loader.load(release).close());
        assertThat(rejected).as("a flipped byte in the " + part).isNotNull();
        assertThat(rejected.reason()).as(part).isEqualTo(reason);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static void assertParity(NcfModel model, ModelRelease release) throws Exception {
        SplittableRandom random = new SplittableRandom(9);
        int[] catalogue = new int[ITEMS];
        for (int i = 0; i < ITEMS; i++) {
            catalogue[i] = i + 1;
        }
        try (LoadedModel loaded = loader.load(release)) {
            int h = loaded.historyLength();
            for (int user : new int[] {0, 1, USERS}) {
                for (int filled : new int[] {0, h / 2, h}) {
                    int[] history = new int[h];
                    for (int j = h - filled; j < h; j++) {
                        history[j] = 1 + random.nextInt(ITEMS);
                    }
                    long[] historyInput = new long[h];
                    for (int j = 0; j < h; j++) {
                        historyInput[j] = history[j];
                    }
                    float[] served = loaded.scoreCatalogue(user, historyInput);
                    float[][] expected = new float[1][ITEMS];
                    model.score(new int[] {user}, model.historyLength() > 0 ? new int[][] {history} : null,
                            new int[][] {catalogue}, expected);
                    for (int i = 0; i < ITEMS; i++) {
                        assertThat((double) Math.abs(served[i] - expected[0][i]))
                                .as("user %d, %d history items, item %d", user, filled, i + 1)
                                .isLessThanOrEqualTo(1e-5);
                    }
                }
            }
        }
    }
}
