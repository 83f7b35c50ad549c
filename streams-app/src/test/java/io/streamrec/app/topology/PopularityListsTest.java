package io.streamrec.app.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PopularityListsTest {

    private static final List<PopularItems.RankedItem> FIRST = List.of(new PopularItems.RankedItem("a", 3),
            new PopularItems.RankedItem("b", 2), new PopularItems.RankedItem("c", 1));
    private static final List<PopularItems.RankedItem> SECOND = List.of(new PopularItems.RankedItem("d", 9));

    @Test
    void aPartitionsListIsTheLastPublishedAndSkipsExcludedItems() {
        PopularityLists lists = new PopularityLists();
        assertThat(lists.ranked(0)).isEmpty();
        assertThat(lists.of(0)).isEmpty();
        lists.publish(0, "task", FIRST);
        assertThat(lists.ranked(0)).contains(FIRST);
        assertThat(lists.ranked(1)).isEmpty();
        assertThat(lists.of(0).orElseThrow().top(2, Set.of("a"))).extracting(PopularItems.RankedItem::itemId)
                .containsExactly("b", "c");
        lists.publish(0, "task", SECOND);
        assertThat(lists.ranked(0)).contains(SECOND);
    }

    @Test
    void aClosingTaskWithdrawsItsOwnListOnly() {
        PopularityLists lists = new PopularityLists();
        Object closing = new Object();
        Object newer = new Object();
        lists.publish(0, closing, FIRST);
        lists.publish(0, newer, SECOND); // the partition's task was re-created before the old one closed
        lists.withdraw(0, closing);
        assertThat(lists.ranked(0)).contains(SECOND);
        lists.withdraw(0, newer);
        assertThat(lists.ranked(0)).isEmpty();
    }
}
