package io.streamrec.app.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamrec.app.model.TestModels.DotModel;
import io.streamrec.avro.ModelRelease;
import io.streamrec.avro.ReleaseArtifact;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.model.ReleaseRejectedException;
import io.streamrec.schemas.model.ReleaseSigner;
import io.streamrec.schemas.model.ReleaseVerifier;
import io.streamrec.schemas.model.ReleaseVocabularies;
import io.streamrec.schemas.model.ServingSignature;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLoaderTest {

    private static OnnxRuntime runtime;
    private static ModelLoader loader;
    private static final DotModel MODEL = DotModel.random(5, 40, 8, 4, 1);

    @BeforeAll
    static void startRuntime() {
        runtime = new OnnxRuntime(new OnnxRuntime.Settings(1, false));
        loader = new ModelLoader(runtime, ReleaseVerifier.trusting(List.of(TestModels.TRAINER_KEY.getPublic())),
                new ArtifactFetcher(10_000_000, Duration.ofSeconds(5)), 2);
    }

    @AfterAll
    static void closeRuntime() {
        runtime.close();
    }

    @Test
    void aValidReleaseScoresLikeItsDefinition() throws Exception {
        try (LoadedModel model = loader.load(TestModels.signedRelease("default", 1, MODEL))) {
            assertThat(model.info().version()).isEqualTo(1);
            assertThat(model.info().signed()).isTrue();
            assertThat(model.itemCount()).isEqualTo(40);
            assertThat(model.userIndex("user-3")).isEqualTo(3);
            assertThat(model.userIndex("stranger")).isZero();
            assertThat(model.itemIndex("item-7")).isEqualTo(7);
            assertThat(model.itemIndex("not-in-catalogue")).isZero();

            long[] history = model.historyInput(List.of("item-2", "unknown", "item-9"));
            assertThat(history).containsExactly(0, 0, 2, 9);
            float[] scores = model.scoreCatalogue(3, history);
            assertThat(scores).hasSize(40);
            for (int candidate = 1; candidate <= 40; candidate++) {
                assertThat(scores[candidate - 1])
                        .isCloseTo(MODEL.expectedScore(3, history, candidate), within(1e-4f));
            }
        }
    }

    /** 65 users: two full model batches and one user alone, each scored as if asked for on their own. */
    @Test
    void aBatchScoresEveryUserLikeItsDefinitionAcrossModelBatches() throws Exception {
        try (LoadedModel model = loader.load(TestModels.signedRelease("default", 1, MODEL))) {
            int batch = 2 * model.maxBatch() + 1;
            long[] users = new long[batch];
            long[][] histories = new long[batch][];
            for (int b = 0; b < batch; b++) {
                users[b] = b % 6;
                histories[b] = new long[] {0, b % 41, (b * 7) % 41, 1 + b % 40};
            }
            float[][] scores = model.scoreCatalogue(users, histories);
            assertThat(scores).hasNumberOfRows(batch);
            for (int b = 0; b < batch; b++) {
                for (int candidate = 1; candidate <= 40; candidate++) {
                    assertThat(scores[b][candidate - 1]).as("user %d of the batch", b)
                            .isCloseTo(MODEL.expectedScore((int) users[b], histories[b], candidate), within(1e-4f));
                }
            }
        }
    }

    /**
     * Full-catalogue calls reuse their input and output buffers; threads scoring at once must each get their
     * own, and a returned array must not change when the next call reuses the buffers.
     */
    @Test
    void concurrentCatalogueCallsEachScoreTheirOwnUser() throws Exception {
        try (LoadedModel model = loader.load(TestModels.signedRelease("default", 1, MODEL))) {
            float[] first = model.scoreCatalogue(1, new long[] {0, 0, 0, 4});
            float[] firstCopy = first.clone();
            model.scoreCatalogue(2, new long[] {5, 6, 7, 8});
            assertThat(first).containsExactly(firstCopy);

            int threads = 4;
            ExecutorService executor = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> checked = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int user = 1 + t;
                    long[] history = {0, t, t + 1, 2 * t + 1};
                    checked.add(executor.submit(() -> {
                        start.await();
                        int calls = 0;
                        for (; calls < 300; calls++) {
                            float[] scores = model.scoreCatalogue(user, history);
                            for (int candidate = 1; candidate <= 40; candidate++) {
                                assertThat(scores[candidate - 1]).as("user %d, call %d", user, calls)
                                        .isCloseTo(MODEL.expectedScore(user, history, candidate), within(1e-4f));
                            }
                        }
                        return calls;
                    }));
                }
                start.countDown();
                for (Future<Integer> calls : checked) {
                    assertThat(calls.get()).isEqualTo(300);
                }
            } finally {
                executor.shutdownNow();
            }
        }
    }

    @Test
    void historyKeepsTheMostRecentItemsLast() throws Exception {
        try (LoadedModel model = loader.load(TestModels.signedRelease("default", 1, MODEL))) {
            List<String> recent = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                recent.add("item-" + i);
            }
            assertThat(model.historyInput(recent)).containsExactly(7, 8, 9, 10);
            assertThat(model.historyInput(List.of())).containsExactly(0, 0, 0, 0);
        }
    }

    @Test
    void anArtifactByUriIsFetchedAndChecked(@TempDir Path dir) throws Exception {
        byte[] onnx = MODEL.onnx();
        Path file = dir.resolve("model.onnx");
        Files.write(file, onnx);
        ModelRelease byUri = TestModels.sign(TestModels.release("default", 2, MODEL, onnx)
                .setOnnxModel(null).setArtifactUri(file.toUri().toString()).build());
        try (LoadedModel model = loader.load(byUri)) {
            assertThat(model.info().graphBytes()).isEqualTo(onnx.length);
        }

        byte[] corrupted = onnx.clone();
        corrupted[corrupted.length / 2] ^= 0x01;
        Files.write(file, corrupted);
        assertRejected(byUri, "checksum");

        Files.delete(file);
        assertRejected(byUri, "artifact");
    }

    @Test
    void vocabulariesByUriAreFetchedCheckedAndServed(@TempDir Path dir) throws Exception {
        ModelRelease inline = TestModels.release("default", 3, MODEL, MODEL.onnx()).build();
        byte[] vocabularies = new ReleaseVocabularies(inline.getItemVocabulary(), inline.getUserVocabulary()).encode();
        Path file = dir.resolve("default-v3.vocab");
        Files.write(file, vocabularies);
        ModelRelease byUri = TestModels.sign(ModelRelease.newBuilder(inline).setItemVocabulary(List.of())
                .setUserVocabulary(List.of()).setVocabularies(new ReleaseArtifact(file.toUri().toString(),
                        ReleaseVerifier.sha256Hex(vocabularies), ReleaseVocabularies.FORMAT)).build());
        try (LoadedModel model = loader.load(byUri)) {
            assertThat(model.itemCount()).isEqualTo(inline.getItemVocabulary().size());
            assertThat(model.info().userCount()).isEqualTo(inline.getUserVocabulary().size());
            assertThat(model.itemIndex("item-7")).isEqualTo(7);
        }

        byte[] corrupted = vocabularies.clone();
        corrupted[corrupted.length - 1] ^= 0x01;
        Files.write(file, corrupted);
        assertRejected(byUri, "checksum");
        Files.delete(file);
        assertRejected(byUri, "artifact");
    }

    @Test
    void unsignedAndForeignReleasesAreRejected() {
        assertRejected(TestModels.release("default", 1, MODEL, MODEL.onnx()).build(), "signature-missing");
        ModelRelease foreign = new ReleaseSigner(ReleaseKeys.generate())
                .sign(TestModels.release("default", 1, MODEL, MODEL.onnx()).build());
        assertRejected(foreign, "unknown-key");
    }

    @Test
    void aGraphThatIsNotOnnxIsRejected() {
        byte[] garbage = "definitely not protobuf".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ModelRelease release = TestModels.sign(TestModels.release("default", 1, MODEL, garbage).build());
        assertRejected(release, "graph");
    }

    @Test
    void wrongInputOrOutputNamesAreRejected() {
        Map<String, String> metadata = Map.of();
        byte[] wrongInput = MODEL.onnx(metadata, "user_id", ServingSignature.SCORES);
        assertRejected(TestModels.sign(TestModels.release("default", 1, MODEL, wrongInput).build()), "graph");
        byte[] wrongOutput = MODEL.onnx(metadata, ServingSignature.USER, "logits");
        assertRejected(TestModels.sign(TestModels.release("default", 1, MODEL, wrongOutput).build()), "graph");
    }

    @Test
    void aVocabularyTheGraphCannotCoverIsRejected() {
        DotModel small = DotModel.random(5, 30, 8, 4, 2);
        // The release claims 40 items (the vocabulary of MODEL) but the graph's table has 31 rows.
        ModelRelease mismatched = TestModels.sign(TestModels.release("default", 1, MODEL,
                small.onnx(Map.of(), ServingSignature.USER, ServingSignature.SCORES)).build());
        assertRejected(mismatched, "probe");

        ModelRelease metadataDisagrees = TestModels.sign(TestModels.release("default", 1, MODEL, small.onnx()).build());
        assertRejected(metadataDisagrees, "vocabulary");
    }

    @Test
    void duplicateOrBlankVocabularyEntriesAreRejected() {
        List<String> duplicate = new ArrayList<>(TestModels.release("default", 1, MODEL, MODEL.onnx()).getItemVocabulary());
        duplicate.set(1, duplicate.get(0));
        assertRejected(TestModels.sign(TestModels.release("default", 1, MODEL, MODEL.onnx())
                .setItemVocabulary(duplicate).build()), "vocabulary");
    }

    @Test
    void nonFiniteScoresFailTheProbe() {
        float[][] items = MODEL.items().clone();
        items[17] = items[17].clone();
        items[17][3] = Float.NaN;
        DotModel poisoned = new DotModel(MODEL.users(), items, MODEL.historyLength());
        assertRejected(TestModels.signedRelease("default", 1, poisoned), "probe");
    }

    @Test
    void bothInlineBytesAndUriIsAmbiguous() {
        ModelRelease both = TestModels.sign(TestModels.release("default", 1, MODEL, MODEL.onnx())
                .setArtifactUri("file:///tmp/x.onnx").build());
        assertRejected(both, "artifact");
        ModelRelease neither = TestModels.sign(TestModels.release("default", 1, MODEL, MODEL.onnx())
                .setOnnxModel((ByteBuffer) null).build());
        assertRejected(neither, "artifact");
    }

    private static void assertRejected(ModelRelease release, String reason) {
        assertThatThrownBy(() -> loader.load(release).close())
                .isInstanceOf(ReleaseRejectedException.class)
                .satisfies(e -> assertThat(((ReleaseRejectedException) e).reason()).isEqualTo(reason));
    }
}
