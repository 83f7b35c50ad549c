package io.streamrec.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeenItemsTest {

    @Test
    void bitMatrixAndBinarySearchAgreeOnEveryUserAndItem() {
        Interactions data = SyntheticGenerator.generate(SyntheticConfig.defaults()).interactions();
        SeenItems bits = SeenItems.of(data);
        SeenItems search = SeenItems.of(data, 0);
        assertThat(bits.bitmap()).isTrue();
        assertThat(search.bitmap()).isFalse();
        int seenPairs = 0;
        for (int u = 1; u <= data.numUsers(); u++) {
            java.util.Set<Integer> own = new java.util.HashSet<>();
            for (int item : data.itemsOf(u)) {
                own.add(item);
            }
            assertThat(bits.count(u)).isEqualTo(own.size());
            for (int item = 1; item <= data.numItems(); item++) {
                boolean expected = own.contains(item);
                assertThat(bits.contains(u, item)).as("user %d item %d", u, item).isEqualTo(expected);
                assertThat(search.contains(u, item)).isEqualTo(expected);
                seenPairs += expected ? 1 : 0;
            }
        }
        assertThat(seenPairs).isPositive();
    }

    @Test
    void itemsOnWordBoundariesAndRepeatsAreSeen() {
        Interactions data = new Interactions.Builder(2, 130, 5)
                .add(1, 63, 1).add(1, 64, 2).add(1, 128, 3).add(1, 64, 4).add(2, 1, 1)
                .build();
        SeenItems seen = SeenItems.of(data);
        assertThat(seen.contains(1, 63)).isTrue();
        assertThat(seen.contains(1, 64)).isTrue();
        assertThat(seen.contains(1, 128)).isTrue();
        assertThat(seen.contains(1, 65)).isFalse();
        assertThat(seen.contains(1, 127)).isFalse();
        assertThat(seen.contains(2, 63)).isFalse();
        assertThat(seen.count(1)).isEqualTo(3);
        assertThat(seen.count(2)).isEqualTo(1);
    }
}
