package io.streamrec.trainer.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.avro.ModelRelease;
import io.streamrec.avro.ReleaseArtifact;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.model.ReleaseRejectedException;
import io.streamrec.schemas.model.ReleaseVerifier;
import io.streamrec.schemas.model.ReleaseVocabularies;
import io.streamrec.schemas.model.RetrievalIndexFormat;
import io.streamrec.trainer.data.Vocabulary;
import io.streamrec.trainer.export.ExportFixtures;
import io.streamrec.trainer.export.ExportMetadata;
import io.streamrec.trainer.export.OnnxExporter;
import io.streamrec.trainer.export.OrtGraph;
import io.streamrec.trainer.export.RetrievalRows;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.model.NcfModel;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseBuilderTest {

    private final ReleaseFixtures fixtures = new ReleaseFixtures();

    private ReleaseVerifier verifier() {
        return ReleaseVerifier.trusting(List.of(fixtures.keys.getPublic()));
    }

    @Test
    void aSmallGraphTravelsInlineSignedWithEverythingTheLoaderNeeds() throws Exception {
        NcfModel model = ReleaseFixtures.model(ModelConfig.neumf(8, 16, 8, 4));
        ModelRelease release = fixtures.builder(ReleaseSettings.inlineOnly())
                .build(ReleaseFixtures.request("default", 7, model));

        assertThat(release.getName()).isEqualTo("default");
        assertThat(release.getVersion()).isEqualTo(7);
        assertThat(release.getVariant()).isEqualTo("neumf");
        assertThat(release.getCreatedAt())
                .isEqualTo(ReleaseFixtures.NOW.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(release.getArtifactUri()).isNull();
        assertThat(release.getHistoryLength()).isEqualTo(1);
        assertThat(release.getItemVocabulary()).hasSize(ReleaseFixtures.ITEMS).startsWith("item-1").endsWith("item-60");
        assertThat(release.getUserVocabulary()).hasSize(ReleaseFixtures.USERS).startsWith("user-1");
        assertThat(release.getMetrics()).containsEntry("hr@10", 0.625).containsEntry("ndcg@10", 0.375);
        assertThat(release.getHyperparameters()).containsEntry("train.max_epochs", "3")
                .containsEntry("model.variant", "neumf").containsEntry("model.gmf_factors", "8")
                .containsEntry("model.mlp_layers", "16-8-4");
        assertThat(release.getProvenance()).containsEntry(Provenance.DATA_SOURCE, "interactions@0:1200")
                .containsEntry(Provenance.DATA_PAIRS, "1200").containsEntry(Provenance.TRAINING_SECONDS, "4.321")
                .containsEntry(Provenance.CODE_VERSION, "9.9.9-test").containsEntry("data.users", "25");
        assertThat(release.getSigningKeyId()).isEqualTo(ReleaseKeys.keyId(fixtures.keys.getPublic()));

        byte[] graph = ReleaseGraphs.verifiedGraph(release, verifier(), Long.MAX_VALUE);
        assertThat(ReleaseVerifier.sha256Hex(graph)).isEqualTo(release.getSha256());
        assertParity(model, graph, release.getHistoryLength());
    }

    @Test
    void aGraphOverTheInlineLimitGoesToTheArtifactStoreWithTheSameChecksum(@TempDir Path directory) throws Exception {
        NcfModel model = ReleaseFixtures.model(ModelConfig.historyAneumf(8, 6, 16, 8, 4));
        ModelRelease inline = fixtures.builder(ReleaseSettings.inlineOnly())
                .build(ReleaseFixtures.request("default", 7, model));
        ModelRelease stored = fixtures.builder(ReleaseSettings.withArtifacts(directory).withInlineLimit(1024))
                .build(ReleaseFixtures.request("default", 7, model));

        assertThat(stored.getOnnxModel()).isNull();
        URI uri = URI.create(stored.getArtifactUri());
        assertThat(uri.getScheme()).isEqualTo("file");
        Path file = Path.of(uri);
        assertThat(file.getParent()).isEqualTo(directory.toAbsolutePath());
        assertThat(file.getFileName().toString()).startsWith("default-v7-").endsWith(".onnx");
        assertThat(stored.getSha256()).isEqualTo(inline.getSha256());
        byte[] graph = ReleaseGraphs.verifiedGraph(stored, verifier(), Long.MAX_VALUE);
        assertThat(graph).isEqualTo(Files.readAllBytes(file));
        assertThat(stored.getHistoryLength()).isEqualTo(6);
        assertParity(model, graph, 6);

        // Building the same release again reuses the identical file.
        ModelRelease again = fixtures.builder(ReleaseSettings.withArtifacts(directory).withInlineLimit(1024))
                .build(ReleaseFixtures.request("default", 7, model));
        assertThat(again.getArtifactUri()).isEqualTo(stored.getArtifactUri());
        try (var files = Files.list(directory)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aLargeCatalogueShipsALuceneRetrievalIndexOfTheGraphsItemRows(@TempDir Path directory) throws Exception {
        NcfModel model = ReleaseFixtures.model(ModelConfig.neumf(8, 16, 8, 4));
        ReleaseSettings settings = ReleaseSettings.withArtifacts(directory)
                .withRetrievalIndexMinItems(ReleaseFixtures.ITEMS);
        ModelRelease release = fixtures.builder(settings).build(ReleaseFixtures.request("default", 7, model));

        ReleaseArtifact shipped = release.getRetrievalIndex();
        assertThat(shipped).isNotNull();
        assertThat(shipped.getFormat()).isEqualTo(RetrievalIndexFormat.FORMAT);
        Path file = Path.of(URI.create(shipped.getUri()));
        assertThat(file.getFileName().toString()).startsWith("default-v7-").endsWith(".hnsw.zip");
        byte[] packed = Files.readAllBytes(file);
        assertThat(ReleaseVerifier.sha256Hex(packed)).isEqualTo(shipped.getSha256());
        assertThat(verifier().verifySignature(release)).isTrue();

        RetrievalRows rows = OnnxExporter.export(model,
                new ExportMetadata("default", 7, "test", Map.of(), Map.of())).retrieval().orElseThrow();
        List<float[]> expected = RetrievalIndexFormat.onUnitSphere(rows.values(), rows.items(), rows.dimension());
        try (ByteBuffersDirectory index = new ByteBuffersDirectory()) {
            for (Map.Entry<String, byte[]> entry : RetrievalIndexFormat.unpack(packed, Long.MAX_VALUE).entrySet()) {
                try (IndexOutput out = index.createOutput(entry.getKey(), IOContext.DEFAULT)) {
                    out.writeBytes(entry.getValue(), entry.getValue().length);
                }
            }
            try (DirectoryReader reader = DirectoryReader.open(index)) {
                assertThat(reader.leaves()).hasSize(1);
                LeafReader leaf = reader.leaves().get(0).reader();
                assertThat(leaf.maxDoc()).isEqualTo(ReleaseFixtures.ITEMS);
                FloatVectorValues vectors = leaf.getFloatVectorValues(RetrievalIndexFormat.VECTOR_FIELD);
                for (int doc = vectors.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = vectors.nextDoc()) {
                    assertThat(vectors.vectorValue()).as("item %d", doc + 1).containsExactly(expected.get(doc));
                }
            }
        }
    }

    @Test
    void vocabulariesOverTheInlineLimitTravelByUriAndReadBackEqual(@TempDir Path directory) throws Exception {
        NcfModel model = ReleaseFixtures.model(ModelConfig.neumf(8, 16, 8, 4));
        ModelRelease release = fixtures.builder(ReleaseSettings.withArtifacts(directory).withInlineLimit(500))
                .build(ReleaseFixtures.request("default", 7, model));

        assertThat(release.getItemVocabulary()).isEmpty();
        assertThat(release.getUserVocabulary()).isEmpty();
        ReleaseArtifact file = release.getVocabularies();
        assertThat(file.getFormat()).isEqualTo(ReleaseVocabularies.FORMAT);
        assertThat(file.getUri()).endsWith(".vocab");
        assertThat(verifier().verifySignature(release)).isTrue();
        ReleaseVocabularies read = ReleaseGraphs.vocabularies(release, Long.MAX_VALUE);
        assertThat(read.items()).hasSize(ReleaseFixtures.ITEMS).startsWith("item-1").endsWith("item-60");
        assertThat(read.users()).hasSize(ReleaseFixtures.USERS).startsWith("user-1");

        Path stored = Path.of(URI.create(file.getUri()));
        byte[] bytes = Files.readAllBytes(stored);
        bytes[bytes.length - 1] ^= 1;
        Files.write(stored, bytes);
        assertThatThrownBy(() -> ReleaseGraphs.vocabularies(release, Long.MAX_VALUE))
                .satisfies(e -> assertThat(((ReleaseRejectedException) e).reason()).isEqualTo("checksum"));
    }

    @Test
    void smallCataloguesAndStoresWithoutADirectoryShipNoIndex(@TempDir Path directory) {
        NcfModel model = ReleaseFixtures.model(ModelConfig.neumf(8, 16, 8, 4));
        ReleaseRequest request = ReleaseFixtures.request("default", 7, model);
        assertThat(fixtures.builder(ReleaseSettings.withArtifacts(directory)).build(request).getRetrievalIndex())
                .isNull();
        assertThat(fixtures.builder(ReleaseSettings.inlineOnly().withRetrievalIndexMinItems(1)).build(request)
                .getRetrievalIndex()).isNull();
    }

    @Test
    void aHistoryModelWithoutUserEmbeddingsCarriesNoUserVocabulary() throws Exception {
        ModelRelease release = fixtures.release(ModelConfig.historyAneumf(8, 6, 16, 8, 4).withUserEmbedding(false),
                ReleaseSettings.inlineOnly());
        assertThat(release.getUserVocabulary()).isEmpty();
        assertThat(release.getHyperparameters()).containsEntry("model.user_embedding", "false");
        assertThat(ReleaseGraphs.verifiedGraph(release, verifier(), Long.MAX_VALUE)).isNotEmpty();
    }

    @Test
    void aGraphOverTheLimitWithoutAnArtifactDirectoryIsAnError() {
        ReleaseBuilder builder = fixtures.builder(ReleaseSettings.inlineOnly().withInlineLimit(1024));
        assertThatThrownBy(() -> builder.build(ReleaseFixtures.request("default", 1,
                ReleaseFixtures.model(ModelConfig.gmf(8)))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("inline limit");
    }

    @Test
    void vocabulariesMustMatchTheModel() {
        NcfModel model = ReleaseFixtures.model(ModelConfig.gmf(8));
        ReleaseRequest good = ReleaseFixtures.request("default", 1, model);
        ReleaseBuilder builder = fixtures.builder(ReleaseSettings.inlineOnly());
        assertThatThrownBy(() -> builder.build(new ReleaseRequest("default", 1, model, good.users(),
                Vocabulary.sequential("item-", ReleaseFixtures.ITEMS - 1), good.metrics(), good.hyperparameters(),
                good.provenance()))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("item");
        assertThatThrownBy(() -> builder.build(new ReleaseRequest("default", 1, model,
                Vocabulary.sequential("user-", ReleaseFixtures.USERS + 1), good.items(), good.metrics(),
                good.hyperparameters(), good.provenance())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user");
    }

    @Test
    void theModelsOwnHyperparametersWinOverTheCallers() {
        NcfModel model = ReleaseFixtures.model(ModelConfig.gmf(8));
        ReleaseRequest base = ReleaseFixtures.request("default", 1, model);
        ModelRelease release = fixtures.builder(ReleaseSettings.inlineOnly()).build(new ReleaseRequest("default", 1,
                model, base.users(), base.items(), base.metrics(), Map.of("model.gmf_factors", "999"),
                base.provenance()));
        assertThat(release.getHyperparameters()).containsEntry("model.gmf_factors", "8");
    }

    @Test
    void provenanceRejectsRedefinedStandardKeysAndFormatsTrainingTime() {
        assertThatThrownBy(() -> new Provenance("f", 1, Duration.ZERO, "v", Map.of(Provenance.CODE_VERSION, "x")))
                .isInstanceOf(IllegalArgumentException.class);
        Provenance provenance = Provenance.of("file.csv", 10, Duration.ofSeconds(90)).with("split", "leave-last-out");
        assertThat(provenance.toMap()).containsEntry(Provenance.TRAINING_SECONDS, "90.000")
                .containsEntry("split", "leave-last-out")
                .containsEntry(Provenance.CODE_VERSION, CodeVersion.current());
    }

    private static void assertParity(NcfModel model, byte[] graph, int historyLength) throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        int[] users = {0, 1, ReleaseFixtures.USERS};
        int[][] histories = {ExportFixtures.emptyHistory(historyLength),
                ExportFixtures.fullHistory(historyLength, ReleaseFixtures.ITEMS, random),
                ExportFixtures.fullHistory(historyLength, ReleaseFixtures.ITEMS, random)};
        int[][] candidates = {ExportFixtures.catalogue(ReleaseFixtures.ITEMS),
                ExportFixtures.catalogue(ReleaseFixtures.ITEMS), ExportFixtures.catalogue(ReleaseFixtures.ITEMS)};
        try (OrtGraph ort = new OrtGraph(graph, historyLength)) {
            assertThat(ExportFixtures.maxAbsDiff(model, ort, users, histories, candidates)).isLessThanOrEqualTo(1e-5);
        }
    }
}
