package io.streamrec.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;
import io.streamrec.schemas.model.ServingSignature;
import io.streamrec.trainer.model.DenseLayout;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.model.NcfModel;
import io.streamrec.trainer.model.ParameterTensor;
import io.streamrec.trainer.model.Parameters;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The exported graph's signature, metadata and determinism, and that every parameter reaches it. */
class OnnxExporterTest {

    private static final int USERS = 20;
    private static final int ITEMS = 40;
    private static final ExportMetadata METADATA = new ExportMetadata("default", 42, "1.2.3-test",
            Map.of("variant", "x", "epochs", "3"), Map.of("data.source", "synthetic", "data.pairs", "1234"));

    static Stream<Arguments> variants() {
        return ExportFixtures.configs().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void graphHasTheServingSignature(String name, ModelConfig config) throws Exception {
        NcfModel model = ExportFixtures.randomModel(config, USERS, ITEMS, 1, 0.5);
        ExportedModel exported = OnnxExporter.export(model, METADATA);
        int h = config.usesHistory() ? config.historyLength() : OnnxExporter.NON_HISTORY_WIDTH;
        assertThat(exported.historyLength()).isEqualTo(h);
        assertThat(exported.itemCount()).isEqualTo(ITEMS);
        assertThat(exported.userCount()).isEqualTo(config.userEmbedding() ? USERS : 0);

        OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(exported.onnx());
        assertThat(proto.getOpsetImportList()).singleElement()
                .satisfies(opset -> assertThat(opset.getDomain()).isEmpty())
                .satisfies(opset -> assertThat(opset.getVersion()).isEqualTo(13));
        assertThat(proto.getIrVersion()).isEqualTo(7);
        assertThat(proto.getModelVersion()).isEqualTo(42);
        assertThat(proto.getProducerVersion()).isEqualTo("1.2.3-test");
        assertThat(dims(proto.getGraph().getInputList(), ServingSignature.USER)).containsExactly("batch");
        assertThat(dims(proto.getGraph().getInputList(), ServingSignature.HISTORY)).containsExactly("batch", h);
        assertThat(dims(proto.getGraph().getInputList(), ServingSignature.CANDIDATES))
                .containsExactly("batch", "candidates");
        assertThat(dims(proto.getGraph().getOutputList(), ServingSignature.SCORES))
                .containsExactly("batch", "candidates");
        // Every initializer feeds a node (ONNX Runtime warns about, and drops, the others).
        java.util.Set<String> consumed = proto.getGraph().getNodeList().stream()
                .flatMap(node -> node.getInputList().stream()).collect(Collectors.toSet());
        assertThat(proto.getGraph().getInitializerList()).allSatisfy(initializer ->
                assertThat(consumed).as("consumers of " + initializer.getName()).contains(initializer.getName()));

        try (OrtGraph graph = new OrtGraph(exported.onnx(), h)) {
            Map<String, NodeInfo> inputs = graph.session().getInputInfo();
            assertThat(inputs.keySet()).containsExactlyInAnyOrder(ServingSignature.USER, ServingSignature.HISTORY,
                    ServingSignature.CANDIDATES);
            for (NodeInfo input : inputs.values()) {
                assertThat(((TensorInfo) input.getInfo()).type).isEqualTo(OnnxJavaType.INT64);
            }
            TensorInfo scores = (TensorInfo) graph.session().getOutputInfo().get(ServingSignature.SCORES).getInfo();
            assertThat(scores.type).isEqualTo(OnnxJavaType.FLOAT);
            assertThat(scores.getShape()).hasSize(2);

            Map<String, String> metadata = graph.session().getMetadata().getCustomMetadata();
            assertThat(metadata).containsEntry(ServingSignature.META_MODEL_NAME, "default")
                    .containsEntry(ServingSignature.META_VARIANT, config.variant().label())
                    .containsEntry(ServingSignature.META_VERSION, "42")
                    .containsEntry(ServingSignature.META_HISTORY_LENGTH, Integer.toString(h))
                    .containsEntry(ServingSignature.META_ITEM_COUNT, Integer.toString(ITEMS))
                    .containsEntry(ServingSignature.META_USER_COUNT, Integer.toString(exported.userCount()))
                    .containsEntry(OnnxExporter.META_DESCRIPTION, config.describe())
                    .containsEntry(OnnxExporter.META_CANDIDATE_SCORING, exported.scoring().label())
                    .containsEntry(OnnxExporter.META_HYPERPARAMETER_PREFIX + "epochs", "3")
                    .containsEntry(OnnxExporter.META_PROVENANCE_PREFIX + "data.source", "synthetic")
                    .containsEntry(OnnxExporter.META_PROVENANCE_PREFIX + "data.pairs", "1234");
        }
    }

    private static List<Object> dims(List<OnnxMl.ValueInfoProto> ports, String name) {
        OnnxMl.ValueInfoProto port = ports.stream().filter(p -> p.getName().equals(name)).findFirst().orElseThrow();
        return port.getType().getTensorType().getShape().getDimList().stream()
                .map(d -> d.hasDimValue() ? (Object) (int) d.getDimValue() : d.getDimParam())
                .collect(Collectors.toList());
    }

    @Test
    void equalModelsExportToEqualBytes() {
        ModelConfig config = ModelConfig.historyAneumf(8, 6, 16, 8, 4);
        byte[] first = OnnxExporter.export(ExportFixtures.randomModel(config, USERS, ITEMS, 3, 0.5), METADATA).onnx();
        byte[] second = OnnxExporter.export(ExportFixtures.randomModel(config, USERS, ITEMS, 3, 0.5), METADATA).onnx();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void nonGatedVariantsCarryOnlyPrecomputedItemTables() throws Exception {
        // The first layer's item half (and the GMF weights) are folded into the item tables, so neither half
        // of the raw item embedding is in the graph. (Gated variants need q_m itself: a ⊙ [z_m ; q_m].)
        for (ModelConfig config : List.of(ModelConfig.gmf(8), ModelConfig.mlp(16, 8, 4),
                ModelConfig.neumf(8, 16, 8, 4))) {
            NcfModel model = ExportFixtures.randomModel(config, USERS, ITEMS, 4, 0.5);
            float[] raw = model.parameterTensors().stream().filter(t -> t.name().equals("item_embedding"))
                    .findFirst().orElseThrow().values();
            int d = config.embeddingWidth();
            List<com.google.protobuf.ByteString> halves = Stream.of(bytes(TableMath.columns(raw, ITEMS + 1, d, 0,
                    config.gmfFactors())), bytes(TableMath.columns(raw, ITEMS + 1, d, config.gmfFactors(), d)))
                    .filter(half -> !half.isEmpty()).toList();
            OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(OnnxExporter.export(model, METADATA).onnx());
            assertThat(proto.getGraph().getInitializerList()).as(config.describe())
                    .noneMatch(initializer -> halves.contains(initializer.getRawData()));
        }
    }

    private static com.google.protobuf.ByteString bytes(float[] values) {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(values.length * Float.BYTES)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return com.google.protobuf.ByteString.copyFrom(buffer);
    }

    /**
     * Perturbing any one parameter tensor after export breaks parity: the exporter reads every parameter,
     * and the parity check would notice a graph that ignored one.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void everyParameterReachesTheGraph(String name, ModelConfig config) throws Exception {
        NcfModel model = ExportFixtures.randomModel(config, USERS, ITEMS, 5, 0.5);
        ExportedModel exported = OnnxExporter.export(model, METADATA);
        int h = exported.historyLength();
        SplittableRandom random = new SplittableRandom(6);
        int[] users = {0, 1, USERS, 7};
        int[][] histories = new int[users.length][];
        for (int b = 0; b < users.length; b++) {
            histories[b] = ExportFixtures.fullHistory(h, ITEMS, random);
        }
        int[][] candidates = new int[users.length][];
        for (int b = 0; b < users.length; b++) {
            candidates[b] = ExportFixtures.catalogue(ITEMS);
        }
        Map<String, Double> drift = new HashMap<>();
        try (OrtGraph graph = new OrtGraph(exported.onnx(), h)) {
            assertThat(ExportFixtures.maxAbsDiff(model, graph, users, histories, candidates))
                    .isLessThanOrEqualTo(OnnxParityTest.TOLERANCE);
            for (ParameterTensor tensor : model.parameterTensors()) {
                NcfModel changed = model.copy();
                perturb(changed, tensor.name(), random);
                drift.put(tensor.name(), ExportFixtures.maxAbsDiff(changed, graph, users, histories, candidates));
            }
        }
        assertThat(drift).allSatisfy((parameter, diff) -> assertThat(diff).as(parameter).isGreaterThan(1e-3));
    }

    private static void perturb(NcfModel model, String name, SplittableRandom random) {
        Parameters p = model.parameters();
        switch (name) {
            case "user_embedding" -> perturbRows(p.users(), random);
            case "item_embedding" -> perturbRows(p.items(), random);
            case "history_embedding" -> perturbRows(p.history(), random);
            default -> {
                DenseLayout.Entry entry = model.denseLayout().entry(name);
                for (int i = 0; i < entry.size(); i++) {
                    p.dense()[entry.offset() + i] += (float) (random.nextGaussian() * 0.2);
                }
            }
        }
    }

    private static void perturbRows(float[][] table, SplittableRandom random) {
        for (float[] row : table) {
            for (int c = 0; c < row.length; c++) {
                row[c] += (float) (random.nextGaussian() * 0.2);
            }
        }
    }
}
