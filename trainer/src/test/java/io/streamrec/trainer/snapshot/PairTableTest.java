package io.streamrec.trainer.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PairTableTest {

    @Test
    void agreesWithAMapUnderRandomPutsAndRemovalsThroughGrowth() {
        Random random = new Random(3);
        PairTable table = new PairTable(4);
        Map<Long, Long> expected = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            int user = 1 + random.nextInt(500);
            int item = 1 + random.nextInt(300);
            if (random.nextInt(5) == 0) {
                table.remove(user, item);
                expected.remove(PairTable.pair(user, item));
            } else {
                long time = random.nextInt(1_000_000);
                table.put(user, item, time);
                expected.put(PairTable.pair(user, item), time);
            }
        }
        Map<Long, Long> actual = new HashMap<>();
        table.forEachLive((user, item, time) -> actual.put(PairTable.pair(user, item), time));
        assertThat(actual).isEqualTo(expected);
        assertThat(table.livePairs()).isEqualTo(expected.size());
    }

    @Test
    void packsIndicesBothWays() {
        long pair = PairTable.pair(2_000_000_000, 7);
        assertThat(PairTable.user(pair)).isEqualTo(2_000_000_000);
        assertThat(PairTable.item(pair)).isEqualTo(7);
    }
}
