package io.streamrec.app.topology;

import io.streamrec.app.model.ModelRegistry;
import io.streamrec.avro.ModelRelease;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The global store's processor for the models topic: keeps the latest release per model name and hands each
 * one to the {@link ModelRegistry}, which loads it off this thread. On start it also offers what the store
 * restored, so a restarted instance serves the latest release before the first new one arrives. A tombstone
 * removes the stored release but does not unload the serving model: stopping serving is not a model release.
 */
final class ModelReleaseProcessor implements Processor<String, ModelRelease, Void, Void> {

    private final String storeName;
    private final ModelRegistry registry;
    private KeyValueStore<String, ModelRelease> releases;

    ModelReleaseProcessor(String storeName, ModelRegistry registry) {
        this.storeName = storeName;
        this.registry = registry;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        releases = context.getStateStore(storeName);
        ModelRelease restored = releases.get(registry.settings().modelName());
        if (restored != null) {
            registry.offer(restored);
        }
    }

    @Override
    public void process(Record<String, ModelRelease> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            releases.delete(record.key());
            return;
        }
        releases.put(record.key(), record.value());
        registry.offer(record.value());
    }
}
