package io.streamrec.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SplitsTest {

    private final Interactions all = SyntheticGenerator.generate(SyntheticConfig.defaults().withSize(300, 200)).interactions();

    @Test
    void holdsOutEachUsersLatestInteraction() {
        Split split = Splits.leaveLastOut(all, 99, 5);
        assertThat(split.train().size()).isEqualTo(all.size() - 300);
        for (int u = 1; u <= 300; u++) {
            assertThat(split.heldOut().targetsOf(u)).containsExactly(all.itemAt(all.end(u) - 1));
            assertThat(split.train().itemsOf(u)).containsExactly(java.util.Arrays.copyOf(all.itemsOf(u), all.length(u) - 1));
        }
    }

    @Test
    void negativesAreDistinctUnseenAndSeeded() {
        Split a = Splits.leaveLastOut(all, 99, 5);
        Split b = Splits.leaveLastOut(all, 99, 5);
        for (int u = 1; u <= 300; u++) {
            int[] negatives = a.heldOut().negativesOf(u);
            assertThat(negatives).hasSize(99).doesNotHaveDuplicates().doesNotContain(all.itemsOf(u));
            assertThat(negatives).containsExactly(b.heldOut().negativesOf(u));
        }
        assertThat(Splits.leaveLastOut(all, 99, 6).heldOut().negativesOf(1)).isNotEqualTo(a.heldOut().negativesOf(1));
    }

    @Test
    void usersWithOneInteractionStayInTraining() {
        Interactions tiny = new Interactions.Builder(2, 3, 3).add(1, 1, 0).add(2, 2, 0).add(2, 3, 1).build();
        Split split = Splits.leaveLastOut(tiny, 5, 1);
        assertThat(split.heldOut().targetCount(1)).isZero();
        assertThat(split.train().itemsOf(1)).containsExactly(1);
        assertThat(split.heldOut().targetsOf(2)).containsExactly(3);
        assertThat(split.heldOut().negativesOf(2)).containsExactly(1); // the only unseen item
    }
}
