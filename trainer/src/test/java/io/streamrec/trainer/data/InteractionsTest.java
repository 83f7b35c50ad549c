package io.streamrec.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InteractionsTest {

    private static Interactions sample() {
        return new Interactions.Builder(3, 9, 4)
                .add(2, 5, 30)
                .add(1, 1, 20)
                .add(2, 7, 10)
                .add(1, 3, 10)
                .add(2, 6, 30) // same time as item 5: keeps insertion order
                .add(1, 2, 20)
                .build();
    }

    @Test
    void ordersEachUserByTimeKeepingInsertionOrderOnTies() {
        Interactions data = sample();
        assertThat(data.size()).isEqualTo(6);
        assertThat(data.itemsOf(1)).containsExactly(3, 1, 2);
        assertThat(data.itemsOf(2)).containsExactly(7, 5, 6);
        assertThat(data.itemsOf(3)).isEmpty();
        assertThat(data.length(0)).isZero();
        assertThat(data.userAt(data.start(2) + 1)).isEqualTo(2);
        assertThat(data.userAt(0)).isEqualTo(1);
    }

    @Test
    void historyIsLeftPaddedMostRecentLastAndStrictlyBefore() {
        Interactions data = sample();
        int lastOfUser2 = data.end(2) - 1;
        assertThat(data.historyBefore(2, lastOfUser2, 4)).containsExactly(0, 0, 7, 5);
        assertThat(data.historyBefore(2, data.end(2), 2)).containsExactly(5, 6);
        assertThat(data.historyBefore(1, data.start(1), 3)).containsExactly(0, 0, 0);
    }

    @Test
    void distinctItemSetsAreSortedAndUnique() {
        Interactions data = new Interactions.Builder(1, 5, 4).add(1, 4, 1).add(1, 2, 2).add(1, 4, 3).build();
        int[][] sets = data.distinctItemSets();
        assertThat(java.util.Arrays.copyOfRange(sets[1], sets[0][1], sets[0][2])).containsExactly(2, 4);
        assertThat(Interactions.contains(sets[1], sets[0][1], sets[0][2], 4)).isTrue();
        assertThat(Interactions.contains(sets[1], sets[0][1], sets[0][2], 3)).isFalse();
    }

    @Test
    void rejectsIndicesOutsideTheVocabulary() {
        assertThatThrownBy(() -> new Interactions.Builder(2, 2, 1).add(0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Interactions.Builder(2, 2, 1).add(1, 3, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withoutUsersEmptiesTheirRowsButKeepsTheIndexSpace() {
        Interactions data = sample().withoutUsers(u -> u == 1);
        assertThat(data.numUsers()).isEqualTo(3);
        assertThat(data.length(1)).isZero();
        assertThat(data.itemsOf(2)).containsExactly(7, 5, 6);
    }

    @Test
    void vocabularyReservesIndexZero() {
        Vocabulary v = Vocabulary.of(java.util.List.of("a", "b"));
        assertThat(v.indexOf("a")).isEqualTo(1);
        assertThat(v.indexOf("zzz")).isZero();
        assertThat(v.id(2)).isEqualTo("b");
        assertThatThrownBy(() -> v.id(0)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
