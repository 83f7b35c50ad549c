package io.streamrec.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RowGradientSumsTest {

    @Test
    void sumsPerRowListRowsInFirstTouchOrderAndClearToZero() {
        RowGradientSums sums = new RowGradientSums(6, 3);
        sums.add(4, new float[] {1, 2, 3});
        sums.add(2, new float[] {0.5f, 0, -1});
        sums.add(4, new float[] {10, 20, 30});

        assertThat(sums.touchedRows()).isEqualTo(2);
        assertThat(sums.touchedRow(0)).isEqualTo(4);
        assertThat(sums.touchedRow(1)).isEqualTo(2);
        assertThat(sums.sumOf(4)).containsExactly(11, 22, 33);
        assertThat(sums.sumOf(2)).containsExactly(0.5f, 0, -1);
        assertThat(sums.sumOf(1)).isNull();

        sums.clear();
        assertThat(sums.touchedRows()).isZero();
        assertThat(sums.sumOf(4)).containsExactly(0, 0, 0);

        sums.add(2, new float[] {1, 1, 1});
        assertThat(sums.touchedRows()).isEqualTo(1);
        assertThat(sums.touchedRow(0)).isEqualTo(2);
        assertThat(sums.sumOf(2)).containsExactly(1, 1, 1);
    }
}
