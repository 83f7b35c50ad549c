package io.streamrec.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrec.app.model.ArtifactFetcher;
import io.streamrec.app.model.LoadedModel;
import io.streamrec.app.model.ModelLoader;
import io.streamrec.app.model.ModelRegistry;
import io.streamrec.app.model.OnnxRuntime;
import io.streamrec.app.retrieval.RetrievalSettings;
import io.streamrec.app.retrieval.ShippedIndex;
import io.streamrec.app.topology.Recommender;
import io.streamrec.avro.ModelRelease;
import io.streamrec.avro.Recommendations;
import io.streamrec.avro.RecommendedItem;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.model.ReleaseRejectedException;
import io.streamrec.schemas.model.ReleaseSigner;
import io.streamrec.schemas.model.ReleaseVerifier;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.model.NcfModel;
import io.streamrec.trainer.release.ReleaseSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two-stage serving of a real trainer release through the app's loader, registry and {@link Recommender}: with
 * every item as a candidate and an exact index the lists are the whole-catalogue lists; with a few hundred
 * candidates from the HNSW index the lists are full, unseen and distinct; a release without a retrieval stage,
 * or a catalogue below {@code retrieval.min.items}, is scored whole.
 */
class TwoStageServingTest {

    private static final int USERS = 50;
    private static final int ITEMS = 400;
    private static final int K = 10;
    private static final KeyPair KEYS = ReleaseKeys.generate();
    private static OnnxRuntime runtime;

    @BeforeAll
    static void start() {
        runtime = new OnnxRuntime(new OnnxRuntime.Settings(1, false, 4));
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    private static ModelRelease release(String variant, long seed) {
        NcfModel model = BenchModels.randomModel(BenchModels.configs().get(variant), USERS, ITEMS, seed);
        return BenchModels.release(model, new ReleaseSigner(KEYS));
    }

    private static ModelLoader loader(RetrievalSettings retrieval) {
        return new ModelLoader(runtime, ReleaseVerifier.trusting(List.of(KEYS.getPublic())),
                new ArtifactFetcher(100_000_000, Duration.ofSeconds(10)), 1, retrieval);
    }

    private static ModelRegistry serving(ModelRelease release, RetrievalSettings retrieval) throws Exception {
        ModelLoader loader = loader(retrieval);
        ModelRegistry registry = new ModelRegistry(new ModelRegistry.Settings(release.getName(), OptionalLong.empty(), 10),
                loader, Clock.systemUTC(), event -> { });
        registry.offer(release);
        registry.awaitIdle(Duration.ofSeconds(60));
        assertThat(registry.serving()).as("the release loaded").isPresent();
        return registry;
    }

    private static RetrievalSettings settings(int minItems, int candidates, RetrievalSettings.Kind kind) {
        return new RetrievalSettings(minItems, candidates, kind, 16, 100, 2);
    }

    /** Requests for every user, each with a history of 0 to 20 random items. */
    private static List<Recommender.ListRequest> requests(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Recommender.ListRequest> requests = new ArrayList<>();
        for (int user = 1; user <= USERS; user++) {
            List<String> history = new ArrayList<>();
            for (int j = random.nextInt(21); j > 0; j--) {
                history.add("item-" + (1 + random.nextInt(ITEMS)));
            }
            requests.add(new Recommender.ListRequest("user-" + user, history, Instant.EPOCH));
        }
        return requests;
    }

    private static List<Recommendations> lists(ModelRegistry registry, List<Recommender.ListRequest> requests) {
        return new Recommender(registry, true, new SimpleMeterRegistry()).recommend(requests, K, 0L,
                (k, excluded) -> List.of());
    }

    @Test
    void everyItemAsCandidateGivesTheWholeCatalogueLists() throws Exception {
        ModelRelease release = release("history-recent", 1);
        List<Recommender.ListRequest> requests = requests(2);
        try (ModelRegistry whole = serving(release, RetrievalSettings.defaults());
             ModelRegistry twoStage = serving(release, settings(1, ITEMS, RetrievalSettings.Kind.EXACT))) {
            try (var lease = twoStage.acquire().orElseThrow()) {
                assertThat(lease.model().retrieval()).isPresent();
            }
            try (var lease = whole.acquire().orElseThrow()) {
                assertThat(lease.model().retrieval()).as("400 items < retrieval.min.items").isEmpty();
            }
            List<Recommendations> expected = lists(whole, requests);
            List<Recommendations> actual = lists(twoStage, requests);
            for (int r = 0; r < requests.size(); r++) {
                List<RecommendedItem> want = expected.get(r).getItems();
                List<RecommendedItem> got = actual.get(r).getItems();
                assertThat(got).extracting(RecommendedItem::getItemId)
                        .containsExactlyElementsOf(want.stream().map(RecommendedItem::getItemId).toList());
                for (int i = 0; i < got.size(); i++) {
                    assertThat(got.get(i).getScore()).isCloseTo(want.get(i).getScore(), within(1e-5f));
                }
                assertThat(actual.get(r).getFallback()).isFalse();
            }
        }
    }

    @Test
    void aFewHundredHnswCandidatesGiveFullUnseenDistinctLists() throws Exception {
        List<Recommender.ListRequest> requests = requests(3);
        try (ModelRegistry twoStage = serving(release("history-recent", 4), settings(1, 50,
                RetrievalSettings.Kind.HNSW))) {
            try (var lease = twoStage.acquire().orElseThrow()) {
                LoadedModel model = lease.model();
                assertThat(model.retrieval()).isPresent();
                assertThatThrownBy(() -> model.scoreCatalogue(0, new long[model.historyLength()]))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("two stages");
            }
            List<Recommendations> lists = lists(twoStage, requests);
            for (int r = 0; r < requests.size(); r++) {
                Set<String> seen = new HashSet<>(requests.get(r).historyItems());
                List<String> items = lists.get(r).getItems().stream().map(RecommendedItem::getItemId).toList();
                assertThat(items).hasSize(K).doesNotHaveDuplicates().noneMatch(seen::contains);
            }
        }
    }

    /** A release of the same model as {@link #release} whose retrieval index the trainer built and stored. */
    private static ModelRelease releaseWithIndex(long seed, int items, Path artifacts) {
        NcfModel model = BenchModels.randomModel(BenchModels.configs().get("history-recent"), USERS, items, seed);
        return BenchModels.release(model, new ReleaseSigner(KEYS),
                ReleaseSettings.withArtifacts(artifacts).withRetrievalIndexMinItems(1));
    }

    @Test
    void theReleasesIndexIsLoadedInsteadOfBuiltAndFindsWhatAnIndexBuiltHereFinds(@TempDir Path artifacts)
            throws Exception {
        ModelRelease withIndex = releaseWithIndex(7, ITEMS, artifacts);
        assertThat(withIndex.getRetrievalIndex()).isNotNull();
        List<Recommender.ListRequest> requests = requests(8);
        // The graph the trainer ships (M 16, beam 32), built here from the same model's release without one.
        RetrievalSettings hnsw = new RetrievalSettings(1, 50, RetrievalSettings.Kind.HNSW, 16, 32, 1);
        try (ModelRegistry shipped = serving(withIndex, hnsw);
             ModelRegistry built = serving(release("history-recent", 7), hnsw);
             ModelRegistry exact = serving(withIndex, settings(1, 50, RetrievalSettings.Kind.EXACT))) {
            try (var lease = shipped.acquire().orElseThrow()) {
                assertThat(lease.model().retrieval().orElseThrow().index()).isInstanceOf(ShippedIndex.class);
            }
            try (var lease = built.acquire().orElseThrow()) {
                assertThat(lease.model().retrieval().orElseThrow().index()).isNotInstanceOf(ShippedIndex.class);
            }
            List<Recommendations> expected = lists(exact, requests);
            double shippedKept = keptShare(expected, lists(shipped, requests), requests);
            double builtKept = keptShare(expected, lists(built, requests), requests);
            assertThat(shippedKept).as("share of the exact top-10 the shipped index keeps").isGreaterThan(0.9)
                    .isGreaterThanOrEqualTo(builtKept - 0.02);
        }
    }

    /** The share of the expected top-10 items the actual lists keep; asserts the actual lists are valid. */
    private static double keptShare(List<Recommendations> expected, List<Recommendations> actual,
                                    List<Recommender.ListRequest> requests) {
        int kept = 0;
        for (int r = 0; r < requests.size(); r++) {
            Set<String> want = new HashSet<>(itemIds(expected.get(r)));
            Set<String> seen = new HashSet<>(requests.get(r).historyItems());
            List<String> got = itemIds(actual.get(r));
            assertThat(got).hasSize(K).doesNotHaveDuplicates().noneMatch(seen::contains);
            kept += (int) got.stream().filter(want::contains).count();
        }
        return kept / (double) (K * requests.size());
    }

    @Test
    void aTamperedOrMismatchedShippedIndexRejectsTheRelease(@TempDir Path artifacts) throws Exception {
        ModelLoader loader = loader(settings(1, 50, RetrievalSettings.Kind.HNSW));
        ModelRelease release = releaseWithIndex(9, ITEMS, artifacts);
        Path index = Path.of(URI.create(release.getRetrievalIndex().getUri()));
        byte[] original = Files.readAllBytes(index);
        byte[] flipped = original.clone();
        flipped[flipped.length / 2] ^= 0x01;
        Files.write(index, flipped);
        assertThatThrownBy(() -> loader.load(release)).isInstanceOf(ReleaseRejectedException.class)
                .satisfies(e -> assertThat(((ReleaseRejectedException) e).reason()).isEqualTo("checksum"));
        Files.write(index, original);

        // Signed by the trainer's key but naming another catalogue's index: the shapes do not match.
        ModelRelease other = releaseWithIndex(10, ITEMS - 100, artifacts.resolve("other"));
        ModelRelease mismatched = ModelRelease.newBuilder(release).setRetrievalIndex(other.getRetrievalIndex())
                .build();
        ModelRelease resigned = new ReleaseSigner(KEYS).sign(mismatched);
        assertThatThrownBy(() -> loader.load(resigned)).isInstanceOf(ReleaseRejectedException.class)
                .hasMessageContaining("one per item")
                .satisfies(e -> assertThat(((ReleaseRejectedException) e).reason()).isEqualTo("artifact"));
        try (LoadedModel model = loader.load(release)) {
            assertThat(model.retrieval().orElseThrow().index().size()).isEqualTo(ITEMS);
        }
    }

    private static List<String> itemIds(Recommendations list) {
        return list.getItems().stream().map(RecommendedItem::getItemId).toList();
    }

    @Test
    void aReleaseWithoutRetrievalStageIsScoredWhole() throws Exception {
        ModelConfig mlpOnly = BenchModels.configs().get("mlp");
        NcfModel model = BenchModels.randomModel(mlpOnly, USERS, ITEMS, 5);
        ModelRelease release = BenchModels.release(model, new ReleaseSigner(KEYS));
        try (ModelRegistry registry = serving(release, settings(1, 50, RetrievalSettings.Kind.HNSW))) {
            try (var lease = registry.acquire().orElseThrow()) {
                assertThat(lease.model().retrieval()).isEmpty();
                assertThat(lease.model().scoreCatalogue(0, new long[lease.model().historyLength()]))
                        .hasSize(ITEMS);
            }
            assertThat(lists(registry, requests(6))).allSatisfy(list -> assertThat(list.getItems()).hasSize(K));
        }
    }
}
