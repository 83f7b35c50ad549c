package io.streamrec.app.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.app.topology.ClickQueue.QueuedClick;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClickQueueTest {

    private static final QueuedClick FIRST = new QueuedClick("user-1", List.of("item-1"), 10, 11);
    private static final QueuedClick SECOND = new QueuedClick("user-2", List.of(), 20, 21);
    private static final QueuedClick THIRD = new QueuedClick("ü-3", List.of("item-1", "ä-2"), 30, 31);

    private KeyValueStore<Long, QueuedClick> store;

    @BeforeEach
    void openStore() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("queue"), ClickQueue.keySerde(),
                ClickQueue.valueSerde()).withLoggingDisabled().build();
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
    }

    @Test
    void clicksComeOutInArrivalOrderAndLeaveTheStoreWhenCleared() {
        ClickQueue queue = new ClickQueue(store);
        queue.add(FIRST);
        queue.add(SECOND);
        assertThat(store.approximateNumEntries()).isEqualTo(2);

        assertThat(queue.all()).containsExactly(FIRST, SECOND);
        assertThat(queue.size()).as("still queued until cleared").isEqualTo(2);
        queue.clear();
        assertThat(queue.isEmpty()).isTrue();
        assertThat(store.approximateNumEntries()).isZero();
    }

    @Test
    void aNewOwnerOfTheTaskTakesOverTheStoredClicksAndNumbersAfterThem() {
        ClickQueue before = new ClickQueue(store);
        for (int i = 0; i < 300; i++) { // past one byte of sequence: the store must order numerically
            before.add(new QueuedClick("user-" + i, List.of(), i, i));
        }
        before.clear();
        before.add(FIRST);
        before.add(SECOND);

        ClickQueue after = new ClickQueue(store);
        assertThat(after.size()).isEqualTo(2);
        after.add(THIRD);
        assertThat(after.all()).containsExactly(FIRST, SECOND, THIRD);
        after.clear();
        assertThat(store.approximateNumEntries()).isZero();
    }

    @Test
    void theStoreFormatKeepsEveryField() {
        Serde<QueuedClick> serde = ClickQueue.valueSerde();
        byte[] bytes = serde.serializer().serialize("t", THIRD);
        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(THIRD);
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void aCorruptEntryIsASerializationErrorNotAnAllocation() {
        Serde<QueuedClick> serde = ClickQueue.valueSerde();
        byte[] bytes = serde.serializer().serialize("t", FIRST);
        byte[] lengthBomb = Arrays.copyOf(bytes, bytes.length);
        lengthBomb[1] = 0x7f; // the user id's length now claims about 2 GB
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", lengthBomb))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", Arrays.copyOf(bytes, 5)))
                .isInstanceOf(SerializationException.class);
        byte[] otherVersion = Arrays.copyOf(bytes, bytes.length);
        otherVersion[0] = 9;
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", otherVersion))
                .isInstanceOf(SerializationException.class).hasMessageContaining("format 9");
    }
}
