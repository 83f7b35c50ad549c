package io.streamrec.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.streamrec.schemas.model.ServingSignature;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.model.NcfModel;
import java.nio.LongBuffer;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The retrieval stage a graph offers (ServingSignature's {@code retrieval_query} and {@code retrieval_items}):
 * present exactly when the user side is one vector per request and the head has a GMF branch, in both
 * scorings; its inner product is the score's GMF term plus the output bias plus the item's MLP term for the
 * unknown user, which is the whole score for that user, and for every user of a GMF-only head.
 */
class RetrievalOutputsTest {

    private static final int USERS = 12;
    private static final int ITEMS = 30;
    private static final ExportMetadata METADATA = new ExportMetadata("default", 1, "test", Map.of(), Map.of());

    static Stream<Arguments> variantsAndScorings() {
        return ExportFixtures.configs().entrySet().stream().flatMap(e -> Stream.of(CandidateScoring.values())
                .map(scoring -> Arguments.of(e.getKey(), e.getValue(), scoring)));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("variantsAndScorings")
    void retrievalStageIsOfferedWhenTheUserSideIsOneVector(String name, ModelConfig config, CandidateScoring scoring)
            throws Exception {
        NcfModel model = ExportFixtures.randomModel(config, USERS, ITEMS, 3, 0.5);
        ExportedModel exported = OnnxExporter.export(model, METADATA, scoring);
        boolean expected = config.gmfFactors() > 0 && (!config.usesHistory() || config.userSideQuery());
        try (OrtGraph graph = new OrtGraph(exported.onnx(), exported.historyLength())) {
            OrtSession session = graph.session();
            assertThat(session.getOutputNames().containsAll(Set.of(ServingSignature.RETRIEVAL_QUERY,
                    ServingSignature.RETRIEVAL_ITEMS))).isEqualTo(expected);
            assertThat(session.getMetadata().getCustomMetadata().get(ServingSignature.META_RETRIEVAL))
                    .isEqualTo(expected ? ServingSignature.RETRIEVAL_GMF : null);
            if (!expected) {
                return;
            }
            SplittableRandom random = new SplittableRandom(7);
            int h = exported.historyLength();
            long[] users = {0, USERS, 1 + random.nextInt(USERS)};
            long[][] histories = {new long[h], longs(ExportFixtures.fullHistory(h, ITEMS, random)),
                    longs(ExportFixtures.fullHistory(h, ITEMS, random))};
            float[][] items = run(session, users, histories, ServingSignature.RETRIEVAL_ITEMS);
            float[][] queries = run(session, users, histories, ServingSignature.RETRIEVAL_QUERY);
            assertThat(items).hasNumberOfRows(ITEMS + 2);
            assertThat(items[0]).hasSize(config.gmfFactors() + 1).containsExactly(items[ITEMS + 1]);
            assertThat(queries).hasNumberOfRows(users.length);
            int[] catalogue = ExportFixtures.catalogue(ITEMS);
            float[][] scores = graph.score(ints(users), intRows(histories), new int[][] {catalogue, catalogue,
                    catalogue});
            for (int b = 0; b < users.length; b++) {
                for (int i = 1; i <= ITEMS; i++) {
                    double dot = dot(queries[b], items[i]);
                    // The item rows carry the MLP term of the unknown user with an empty history (users[0]), so for
                    // that user, and for every user of a GMF-only head, the inner product is the whole score.
                    if (b == 0 || config.mlpLayers().isEmpty()) {
                        assertThat(dot).as("user %d item %d", b, i).isCloseTo(scores[b][i - 1], within(1e-4));
                    }
                    assertThat(Double.isFinite(dot)).isTrue();
                }
            }
        }
    }

    /** Runs the graph for one output only (the other outputs are not computed). */
    private static float[][] run(OrtSession session, long[] users, long[][] histories, String output)
            throws Exception {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        int h = histories[0].length;
        LongBuffer history = LongBuffer.allocate(users.length * h);
        for (long[] row : histories) {
            history.put(row);
        }
        history.flip();
        long[] ones = new long[users.length];
        java.util.Arrays.fill(ones, 1);
        try (OnnxTensor user = OnnxTensor.createTensor(environment, LongBuffer.wrap(users), new long[] {users.length});
             OnnxTensor historyTensor = OnnxTensor.createTensor(environment, history, new long[] {users.length, h});
             OnnxTensor candidates = OnnxTensor.createTensor(environment, LongBuffer.wrap(ones),
                     new long[] {users.length, 1});
             OrtSession.Result result = session.run(Map.of(ServingSignature.USER, user, ServingSignature.HISTORY,
                     historyTensor, ServingSignature.CANDIDATES, candidates), Set.of(output))) {
            return (float[][]) result.get(0).getValue();
        }
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    private static long[] longs(int[] values) {
        return java.util.Arrays.stream(values).asLongStream().toArray();
    }

    private static int[] ints(long[] values) {
        return java.util.Arrays.stream(values).mapToInt(Math::toIntExact).toArray();
    }

    private static int[][] intRows(long[][] rows) {
        return java.util.Arrays.stream(rows).map(RetrievalOutputsTest::ints).toArray(int[][]::new);
    }
}
