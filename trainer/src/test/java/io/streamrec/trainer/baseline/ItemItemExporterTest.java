package io.streamrec.trainer.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;
import io.streamrec.schemas.model.ServingSignature;
import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.SyntheticConfig;
import io.streamrec.trainer.data.SyntheticGenerator;
import io.streamrec.trainer.export.CandidateScoring;
import io.streamrec.trainer.export.ExportMetadata;
import io.streamrec.trainer.export.ExportedModel;
import io.streamrec.trainer.export.OnnxExporter;
import io.streamrec.trainer.export.OrtGraph;
import io.streamrec.trainer.parallel.WorkerPool;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exported graph of an {@link ItemItemModel} scores as {@link ItemItemModel#score} does (ONNX Runtime against
 * Java, within 1e-5) on padding, out-of-range history entries and candidates, single candidates and the whole
 * catalogue, and carries the serving signature and the exporter's metadata.
 */
class ItemItemExporterTest {

    private static final double TOLERANCE = 1e-5;
    private static final int H = 6;
    private static final ExportMetadata METADATA = new ExportMetadata("default", 7, "1.2.3-test",
            Map.of("train.threads", "2", "model.lambda", "stale"), Map.of("data.source", "synthetic"));

    private static Map<String, ItemItemModel> models;

    @BeforeAll
    static void fitModels() {
        Dataset data = SyntheticGenerator.dataset(SyntheticConfig.defaults().withSize(300, 90));
        try (WorkerPool pool = new WorkerPool(2)) {
            models = Map.of(
                    "ease", Ease.fit(data.train(), 20, H, pool),
                    "item-knn", ItemKnn.fit(data.train(), 10, 2, H, pool),
                    "random", ItemItemModelTest.randomModel(90, H, 3));
        }
    }

    static Stream<String> models() {
        return Stream.of("ease", "item-knn", "random");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void graphScoresAsTheModel(String name) throws Exception {
        ItemItemModel model = models.get(name);
        int n = model.numItems();
        SplittableRandom random = new SplittableRandom(21);
        int rows = 9;
        int[][] histories = new int[rows][];
        for (int b = 0; b < rows; b++) {
            histories[b] = random.ints(H, 1, n + 1).toArray();
        }
        histories[0] = new int[H];                               // all padding
        histories[1][0] = 0;                                     // left padding
        histories[1][1] = 0;
        histories[2][H - 1] = n + 3;                             // junk past the catalogue
        histories[2][0] = -4;
        histories[3][H - 1] = n;                                 // the largest item
        histories[4][2] = histories[4][3];                       // a repeat votes twice
        histories[5][0] = Integer.MAX_VALUE;
        histories[6][1] = Integer.MIN_VALUE;
        int[][] candidates = new int[rows][];
        for (int b = 0; b < rows; b++) {
            candidates[b] = random.ints(25, -3, n + 4).toArray();
            candidates[b][0] = 0;
            candidates[b][1] = n;
            candidates[b][2] = n + 1;
            candidates[b][3] = -1;
            candidates[b][4] = Integer.MAX_VALUE;
        }
        ExportedModel exported = ItemItemExporter.export(model, METADATA);
        try (OrtGraph graph = new OrtGraph(exported.onnx(), H)) {
            assertThat(maxAbsDiff(model, graph, histories, candidates)).isLessThanOrEqualTo(TOLERANCE);
            int[] catalogue = new int[n + 1];
            for (int c = 0; c <= n; c++) {
                catalogue[c] = c;
            }
            for (int b = 0; b < rows; b++) {
                assertThat(maxAbsDiff(model, graph, new int[][] {histories[b]}, new int[][] {catalogue}))
                        .as("catalogue of row %d", b).isLessThanOrEqualTo(TOLERANCE);
                assertThat(maxAbsDiff(model, graph, new int[][] {histories[b]}, new int[][] {{candidates[b][5]}}))
                        .as("one candidate of row %d", b).isLessThanOrEqualTo(TOLERANCE);
            }
        }
    }

    /** Guards the parity test itself: a graph of other weights must fail it. */
    @Test
    void parityNoticesOtherWeights() throws Exception {
        ItemItemModel model = models.get("random");
        ItemItemModel other = ItemItemModelTest.randomModel(model.numItems(), H, 4);
        int[][] histories = {{0, 0, 0, 1, 2, 3}};
        int[][] candidates = {{1, 2, 3, 4, 5}};
        try (OrtGraph graph = new OrtGraph(ItemItemExporter.export(other, METADATA).onnx(), H)) {
            assertThat(maxAbsDiff(model, graph, histories, candidates)).isGreaterThan(0.01);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void graphHasTheServingSignatureAndMetadata(String name) throws Exception {
        ItemItemModel model = models.get(name);
        ExportedModel exported = ItemItemExporter.export(model, METADATA);
        assertThat(exported.variant()).isEqualTo(model.kind().label());
        assertThat(exported.historyLength()).isEqualTo(H);
        assertThat(exported.itemCount()).isEqualTo(model.numItems());
        assertThat(exported.userCount()).isZero();
        assertThat(exported.scoring()).isEqualTo(CandidateScoring.CATALOGUE);

        OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(exported.onnx());
        assertThat(proto.getOpsetImportList()).singleElement()
                .satisfies(opset -> assertThat(opset.getVersion()).isEqualTo(13));
        assertThat(proto.getModelVersion()).isEqualTo(7);
        assertThat(proto.getProducerVersion()).isEqualTo("1.2.3-test");
        try (OrtGraph graph = new OrtGraph(exported.onnx(), H)) {
            Map<String, NodeInfo> inputs = graph.session().getInputInfo();
            assertThat(inputs.keySet()).containsExactlyInAnyOrder(ServingSignature.USER, ServingSignature.HISTORY,
                    ServingSignature.CANDIDATES);
            for (NodeInfo input : inputs.values()) {
                assertThat(((TensorInfo) input.getInfo()).type).isEqualTo(OnnxJavaType.INT64);
            }
            assertThat(((TensorInfo) inputs.get(ServingSignature.HISTORY).getInfo()).getShape())
                    .containsExactly(-1L, H);
            TensorInfo scores = (TensorInfo) graph.session().getOutputInfo().get(ServingSignature.SCORES).getInfo();
            assertThat(scores.type).isEqualTo(OnnxJavaType.FLOAT);
            assertThat(graph.session().getMetadata().getCustomMetadata())
                    .containsEntry(ServingSignature.META_MODEL_NAME, "default")
                    .containsEntry(ServingSignature.META_VARIANT, model.kind().label())
                    .containsEntry(ServingSignature.META_VERSION, "7")
                    .containsEntry(ServingSignature.META_HISTORY_LENGTH, Integer.toString(H))
                    .containsEntry(ServingSignature.META_ITEM_COUNT, Integer.toString(model.numItems()))
                    .containsEntry(ServingSignature.META_USER_COUNT, "0")
                    .containsEntry(OnnxExporter.META_DESCRIPTION, model.describe())
                    .containsEntry(OnnxExporter.META_CANDIDATE_SCORING, "catalogue")
                    .containsEntry(OnnxExporter.META_HYPERPARAMETER_PREFIX + "train.threads", "2")
                    .containsEntry(OnnxExporter.META_HYPERPARAMETER_PREFIX + "model.variant", model.kind().label())
                    .containsEntry(OnnxExporter.META_HYPERPARAMETER_PREFIX + "model.history_length",
                            Integer.toString(H))
                    .containsEntry(OnnxExporter.META_PROVENANCE_PREFIX + "data.source", "synthetic");
        }
    }

    @Test
    void theModelsHyperparametersWinOverTheCallers() throws Exception {
        ExportedModel exported = ItemItemExporter.export(models.get("ease"), METADATA);
        try (OrtGraph graph = new OrtGraph(exported.onnx(), H)) {
            assertThat(graph.session().getMetadata().getCustomMetadata())
                    .containsEntry(OnnxExporter.META_HYPERPARAMETER_PREFIX + "model.lambda", "20.0");
        }
    }

    @Test
    void equalModelsExportToEqualBytes() {
        byte[] first = ItemItemExporter.export(ItemItemModelTest.randomModel(30, H, 5), METADATA).onnx();
        byte[] second = ItemItemExporter.export(ItemItemModelTest.randomModel(30, H, 5), METADATA).onnx();
        assertThat(second).isEqualTo(first);
    }

    private static double maxAbsDiff(ItemItemModel model, OrtGraph graph, int[][] histories, int[][] candidates)
            throws Exception {
        int[] users = new int[histories.length];
        float[][] expected = new float[candidates.length][];
        for (int b = 0; b < candidates.length; b++) {
            expected[b] = new float[candidates[b].length];
            users[b] = b * 1000 - 1;                             // any user: the graph ignores it
        }
        model.score(users, histories, candidates, expected);
        float[][] actual = graph.score(users, histories, candidates);
        double worst = 0;
        for (int b = 0; b < candidates.length; b++) {
            for (int c = 0; c < candidates[b].length; c++) {
                worst = Math.max(worst, Math.abs(actual[b][c] - expected[b][c]));
            }
        }
        return worst;
    }
}
