package io.streamrec.app.topology;

import io.streamrec.avro.ClickEvent;
import io.streamrec.avro.Interaction;
import io.streamrec.avro.InteractionKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maintains the state of every (user, item) pair (count, first and last seen, last event type) and publishes
 * each change to the compacted interactions topic, the trainer's source of truth. A forget request (a null
 * click for a user) deletes the user's pairs and publishes a tombstone for each.
 */
final class InteractionsProcessor implements Processor<String, ClickEvent, InteractionKey, Interaction> {

    private static final Logger log = LoggerFactory.getLogger(InteractionsProcessor.class);

    private final String storeName;
    private KeyValueStore<String, Interaction> pairs;
    private ProcessorContext<InteractionKey, Interaction> context;

    InteractionsProcessor(String storeName) {
        this.storeName = storeName;
    }

    /** The store key of a pair: length-prefixed so that no two pairs share a key and a user's pairs a prefix. */
    static String pairKey(String userId, String itemId) {
        return userPrefix(userId) + itemId;
    }

    private static String userPrefix(String userId) {
        return userId.length() + ":" + userId;
    }

    /** Deletes every pair of the user and publishes a tombstone for each, so the trainer forgets them too. */
    private void forget(String userId, long timestamp) {
        List<String> keys = new ArrayList<>();
        List<String> items = new ArrayList<>();
        try (KeyValueIterator<String, Interaction> pairsOfUser = pairs.prefixScan(userPrefix(userId),
                new StringSerializer())) {
            while (pairsOfUser.hasNext()) {
                KeyValue<String, Interaction> pair = pairsOfUser.next();
                keys.add(pair.key);
                items.add(pair.value.getItemId());
            }
        }
        for (int i = 0; i < keys.size(); i++) {
            pairs.delete(keys.get(i));
            context.forward(new Record<InteractionKey, Interaction>(new InteractionKey(userId, items.get(i)), null,
                    timestamp));
        }
        log.info("event=user_forgotten store=interactions pairs={}", keys.size());
    }

    @Override
    public void init(ProcessorContext<InteractionKey, Interaction> context) {
        this.context = context;
        this.pairs = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, ClickEvent> record) {
        if (record.value() == null) {
            forget(record.key(), record.timestamp());
            return;
        }
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
