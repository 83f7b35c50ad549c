package io.streamrec.app.topology;

import io.streamrec.avro.ClickEvent;
import io.streamrec.avro.Interaction;
import io.streamrec.avro.InteractionKey;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Maintains the state of every (user, item) pair (count, first and last seen, last event type) and publishes
 * each change to the compacted interactions topic, the trainer's source of truth.
 */
final class InteractionsProcessor implements Processor<String, ClickEvent, InteractionKey, Interaction> {

    private final String storeName;
    private KeyValueStore<String, Interaction> pairs;
    private ProcessorContext<InteractionKey, Interaction> context;

    InteractionsProcessor(String storeName) {
        this.storeName = storeName;
    }

    /** The store key of a pair: length-prefixed so that no two pairs share a key. */
    static String pairKey(String userId, String itemId) {
        return userId.length() + ":" + userId + itemId;
    }

    @Override
    public void init(ProcessorContext<InteractionKey, Interaction> context) {
        this.context = context;
        this.pairs = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, ClickEvent> record) {
        ClickEvent click = record.value();
        String key = pairKey(click.getUserId(), click.getItemId());
        Interaction previous = pairs.get(key);
        Interaction next;
        if (previous == null) {
            next = new Interaction(click.getUserId(), click.getItemId(), 1L, click.getEventTime(), click.getEventTime(),
                    click.getEventType());
        } else {
            boolean latest = !click.getEventTime().isBefore(previous.getLastSeen());
            next = new Interaction(click.getUserId(), click.getItemId(), previous.getCount() + 1,
                    click.getEventTime().isBefore(previous.getFirstSeen()) ? click.getEventTime() : previous.getFirstSeen(),
                    latest ? click.getEventTime() : previous.getLastSeen(),
                    latest ? click.getEventType() : previous.getLastEventType());
        }
        pairs.put(key, next);
        context.forward(new Record<>(new InteractionKey(click.getUserId(), click.getItemId()), next,
                record.timestamp()));
    }
}
