package io.streamrec.app.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class UserHistoryTest {

    @Test
    void itemsStayDistinctOrderedByTimeAndBounded() {
        UserHistory history = UserHistory.EMPTY
                .with("a", 10, 3)
                .with("b", 20, 3)
                .with("a", 30, 3) // seen again: moves to the end
                .with("c", 25, 3) // a late event lands by its time
                .with("d", 40, 3); // the oldest (b) drops out
        assertThat(history.itemIds()).containsExactly("c", "a", "d");
        assertThat(history.with("a", 5, 3).itemIds()).containsExactly("c", "a", "d"); // older duplicate: no change
        assertThat(history.withoutItemsBefore(30).itemIds()).containsExactly("a", "d");
    }

    @Test
    void survivesItsSerdeAndRefusesCorruptBytes() {
        UserHistory history = UserHistory.EMPTY.with("é-item", 10, 5).with("x", 11, 5).recommendedAt(99);
        var serde = UserHistory.serde();
        byte[] bytes = serde.serializer().serialize("t", history);
        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(history);
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {1, 0, 0}))
                .isInstanceOf(SerializationException.class);
    }
}
