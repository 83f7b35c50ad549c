package io.streamrec.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.model.NcfModel;
import io.streamrec.trainer.model.Parameters;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WeightAverageTest {

    private static final double DECAY = 0.99;

    /**
     * Rows move in random steps, one row not for longer than the table of powers reaches; the lazy average
     * must equal the eager one, {@code s_t = β s_{t-1} + (1 - β) p_t} over every parameter and step, divided
     * by {@code 1 - β^t}, computed here in double.
     */
    @Test
    void lazyRowsCatchUpToTheEagerAverage() {
        NcfModel model = NcfModel.create(ModelConfig.neumf(2, 4, 2), 3, 4);
        NcfModel averaged = model.copy();
        Parameters p = model.parameters();
        float[][] items = p.items();
        float[][] users = p.users();
        float[] dense = p.dense();
        WeightAverage average = new WeightAverage(model, DECAY);
        double[][] eagerItems = new double[items.length][items[0].length];
        double[][] eagerUsers = new double[users.length][users[0].length];
        double[] eagerDense = new double[dense.length];
        SplittableRandom random = new SplittableRandom(7);
        int steps = 20_000;
        for (int t = 1; t <= steps; t++) {
            average.nextStep();
            for (int r = 0; r < items.length; r++) {
                // Row 1 moves only at the start and the end: a gap longer than the precomputed powers.
                boolean moves = r == 1 ? t < 5 || t > steps - 3 : random.nextInt(4) == 0;
                if (moves) {
                    average.beforeRowUpdate(average.items(), r, items[r]);
                    for (int c = 0; c < items[r].length; c++) {
                        items[r][c] += (float) random.nextGaussian() * 0.1f;
                    }
                    average.afterRowUpdate(average.items(), r, items[r]);
                }
            }
            int user = random.nextInt(users.length);
            average.beforeRowUpdate(average.users(), user, users[user]);
            users[user][0] += 0.05f;
            average.afterRowUpdate(average.users(), user, users[user]);
            for (int i = 0; i < dense.length; i++) {
                dense[i] += (float) random.nextGaussian() * 0.01f;
            }
            average.updateDense(dense, 0, dense.length);
            eagerStep(eagerItems, items);
            eagerStep(eagerUsers, users);
            eagerStep(new double[][] {eagerDense}, new float[][] {dense});
            if (t == 3 || t == 1_000 || t == steps) {
                average.writeAverage(model, averaged);
                double scale = 1 / (1 - Math.pow(DECAY, t));
                assertRows(averaged.parameters().items(), eagerItems, scale);
                assertRows(averaged.parameters().users(), eagerUsers, scale);
                assertRows(new float[][] {averaged.parameters().dense()}, new double[][] {eagerDense}, scale);
            }
        }
    }

    @Test
    void beforeTheFirstStepTheAverageIsTheModel() {
        NcfModel model = NcfModel.create(ModelConfig.gmf(4), 3, 4);
        NcfModel averaged = model.copy();
        averaged.parameters().items()[1][0] += 1f; // a weight the average must overwrite
        averaged.parameters().dense()[0] += 1f;
        assertThat(averaged.parameterTensors()).isNotEqualTo(model.parameterTensors());
        new WeightAverage(model, DECAY).writeAverage(model, averaged);
        assertThat(averaged.parameterTensors()).isEqualTo(model.parameterTensors());
    }

    @Test
    void theHorizonSetsTheDecay() {
        assertThat(WeightAverage.decayFor(2, 1_000)).isCloseTo(1 - 1 / 2000.0, within(1e-12));
        assertThat(WeightAverage.decayFor(0.001, 10)).isCloseTo(0.5, within(1e-12)); // never shorter than 2 steps
        assertThatThrownBy(() -> new WeightAverage(NcfModel.create(ModelConfig.gmf(4), 3, 4), 1.0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void eagerStep(double[][] sums, float[][] rows) {
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < rows[r].length; c++) {
                sums[r][c] = DECAY * sums[r][c] + (1 - DECAY) * rows[r][c];
            }
        }
    }

    private static void assertRows(float[][] actual, double[][] expectedSums, double scale) {
        for (int r = 0; r < actual.length; r++) {
            for (int c = 0; c < actual[r].length; c++) {
                double expected = expectedSums[r][c] * scale;
                assertThat((double) actual[r][c]).as("row %d column %d", r, c)
                        .isCloseTo(expected, within(1e-4 * Math.max(1, Math.abs(expected))));
            }
        }
    }
}
