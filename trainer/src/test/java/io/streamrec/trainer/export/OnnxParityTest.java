package io.streamrec.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import io.streamrec.trainer.model.DenseLayout;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.model.NcfModel;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ONNX Runtime's scores of an exported graph equal the trainer's own forward pass ({@link NcfModel#score})
 * within 1e-5, for every variant, on random parameters and inputs: unknown, largest and out-of-range users;
 * empty, partial, full and junk-laden histories; candidates including item 0, the last item and indices
 * outside the vocabulary; batches of one and of several users; the full catalogue; both ways of meeting the
 * candidates ({@link CandidateScoring}).
 */
class OnnxParityTest {

    private static final Logger log = LoggerFactory.getLogger(OnnxParityTest.class);

    static final double TOLERANCE = 1e-5;
    private static final int USERS = 30;
    private static final int ITEMS = 50;

    /** Every variant with each way of meeting the candidates (the history variant always gathers). */
    static Stream<Arguments> variants() {
        return ExportFixtures.configs().entrySet().stream().flatMap(e -> Stream.of(CandidateScoring.values())
                .filter(scoring -> OnnxExporter.effectiveScoring(e.getValue(), scoring) == scoring)
                .map(scoring -> Arguments.of(e.getKey() + " " + scoring.label(), e.getValue(), scoring)));
    }

    private static ExportedModel export(NcfModel model, CandidateScoring scoring) {
        ExportedModel exported = OnnxExporter.export(model, new ExportMetadata("parity", 1, "test", Map.of(),
                Map.of()), scoring);
        assertThat(exported.scoring()).isEqualTo(scoring);
        return exported;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void mixedBatchMatchesTheTrainer(String name, ModelConfig config, CandidateScoring scoring) throws Exception {
        NcfModel model = ExportFixtures.randomModel(config, USERS, ITEMS, 7, 0.5);
        ExportedModel exported = export(model, scoring);
        int h = exported.historyLength();
        SplittableRandom random = new SplittableRandom(11);
        int[] users = {0, USERS, 1 + random.nextInt(USERS), -5, USERS + 10, 3};
        int[][] histories = new int[users.length][];
        histories[0] = ExportFixtures.emptyHistory(h);
        histories[1] = ExportFixtures.fullHistory(h, ITEMS, random);
        histories[2] = ExportFixtures.fullHistory(h, ITEMS, random);
        histories[2][0] = 0;                         // left padding
        histories[3] = ExportFixtures.fullHistory(h, ITEMS, random);
        histories[3][h - 1] = ITEMS + 7;             // junk: out of the vocabulary, read as padding
        histories[3][0] = -3;
        histories[4] = ExportFixtures.fullHistory(h, ITEMS, random);
        histories[4][h - 1] = ITEMS;                 // the largest item index
        histories[5] = ExportFixtures.emptyHistory(h);
        histories[5][h - 1] = histories[4][0];       // one item only
        int[][] candidates = new int[users.length][40];
        for (int[] row : candidates) {
            for (int c = 0; c < row.length; c++) {
                row[c] = random.nextInt(ITEMS + 6) - 2; // -2 .. ITEMS + 3
            }
            row[0] = 0;
            row[1] = ITEMS;
        }
        try (OrtGraph graph = new OrtGraph(exported.onnx(), h)) {
            double diff = ExportFixtures.maxAbsDiff(model, graph, users, histories, candidates);
            log.info("parity {} mixed batch: max |ort - trainer| = {}", name, diff);
            assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void fullCatalogueMatchesTheTrainer(String name, ModelConfig config, CandidateScoring scoring) throws Exception {
        NcfModel model = ExportFixtures.randomModel(config, USERS, ITEMS, 8, 0.5);
        ExportedModel exported = export(model, scoring);
        int h = exported.historyLength();
        SplittableRandom random = new SplittableRandom(12);
        try (OrtGraph graph = new OrtGraph(exported.onnx(), h)) {
            int[][] catalogue = {ExportFixtures.catalogue(ITEMS)};
            double unknownEmpty = ExportFixtures.maxAbsDiff(model, graph, new int[] {0},
                    new int[][] {ExportFixtures.emptyHistory(h)}, catalogue);
            double knownFull = ExportFixtures.maxAbsDiff(model, graph, new int[] {USERS},
                    new int[][] {ExportFixtures.fullHistory(h, ITEMS, random)}, catalogue);
            double unknownFull = ExportFixtures.maxAbsDiff(model, graph, new int[] {0},
                    new int[][] {ExportFixtures.fullHistory(h, ITEMS, random)}, catalogue);
            log.info("parity {} catalogue: unknown/empty {}, known/full {}, unknown/full {}", name, unknownEmpty,
                    knownFull, unknownFull);
            assertThat(unknownEmpty).isLessThanOrEqualTo(TOLERANCE);
            assertThat(knownFull).isLessThanOrEqualTo(TOLERANCE);
            assertThat(unknownFull).isLessThanOrEqualTo(TOLERANCE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void singleCandidatesMatchTheTrainer(String name, ModelConfig config, CandidateScoring scoring) throws Exception {
        NcfModel model = ExportFixtures.randomModel(config, USERS, ITEMS, 9, 0.5);
        ExportedModel exported = export(model, scoring);
        int h = exported.historyLength();
        SplittableRandom random = new SplittableRandom(13);
        int[] users = {2, 0, USERS};
        int[][] histories = {ExportFixtures.fullHistory(h, ITEMS, random), ExportFixtures.emptyHistory(h),
                ExportFixtures.fullHistory(h, ITEMS, random)};
        int[][] candidates = {{5}, {ITEMS}, {1}};
        try (OrtGraph graph = new OrtGraph(exported.onnx(), h)) {
            assertThat(ExportFixtures.maxAbsDiff(model, graph, users, histories, candidates))
                    .isLessThanOrEqualTo(TOLERANCE);
        }
    }
    /**
     * Gated catalogue scoring factors the gate's softmax only where that is exact: with ordinary weights the
     * graph has the factored first layer, with gate logits spread over hundreds of nats it keeps a softmax per
     * item; parity holds both ways.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"aneumf", "history-recent"})
    void gateIsFactoredOnlyWhereExact(String name) throws Exception {
        ModelConfig config = ExportFixtures.configs().get(name);
        for (float gateScale : new float[] {1f, 400f}) {
            NcfModel model = ExportFixtures.randomModel(config, USERS, ITEMS, 10, 0.5);
            DenseLayout.Entry gate = model.denseLayout().entry("gate_weight");
            float[] dense = model.parameters().dense();
            for (int i = gate.offset(); i < gate.offset() + gate.size(); i++) {
                dense[i] *= gateScale;
            }
            ExportedModel exported = export(model, CandidateScoring.CATALOGUE);
            OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(exported.onnx());
            boolean factored = proto.getGraph().getNodeList().stream()
                    .anyMatch(node -> node.getOutputList().stream().anyMatch(o -> o.startsWith("mlp_1_numerators")));
            assertThat(factored).as("factored gate at gate scale %s", gateScale).isEqualTo(gateScale == 1f);
            assertThat(proto.getMetadataPropsList()).as("gate form metadata")
                    .anyMatch(entry -> entry.getKey().equals(OnnxExporter.META_GATE_FORM)
                            && entry.getValue().equals(factored ? "factored" : "per-item"));
            int h = exported.historyLength();
            SplittableRandom random = new SplittableRandom(14);
            try (OrtGraph graph = new OrtGraph(exported.onnx(), h)) {
                double diff = ExportFixtures.maxAbsDiff(model, graph, new int[] {3, 0},
                        new int[][] {ExportFixtures.fullHistory(h, ITEMS, random), ExportFixtures.emptyHistory(h)},
                        new int[][] {ExportFixtures.catalogue(ITEMS), ExportFixtures.catalogue(ITEMS)});
                log.info("parity {} catalogue, gate weights x{}: {}", name, gateScale, diff);
                assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
            }
        }
    }
}
