package io.streamrec.trainer.kafka;

import io.streamrec.avro.ModelRelease;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * The latest release per model name on the models topic, as read up to the end offsets taken when the read
 * started. The releases are as found on the topic: verify one (signature, checksum) before trusting it, e.g.
 * as a gate's baseline. Immutable.
 *
 * @param topic      the topic read
 * @param latest     the last release of each name (a tombstone removes the name)
 * @param highestVersions the highest version of each name among the records read: a rollback republishes
 *                   an older release, after which the latest is not the highest
 * @param endOffsets the offsets read up to, exclusive
 * @param records    records read
 * @param unreadable records that could not be decoded or whose value names another model than the key
 */
public record ModelsSnapshot(String topic, Map<String, ModelRelease> latest, Map<String, Long> highestVersions,
                             Map<TopicPartition, Long> endOffsets, long records, long unreadable) {

    /** Copies the maps. */
    public ModelsSnapshot {
        Objects.requireNonNull(topic, "topic");
        latest = Map.copyOf(latest);
        highestVersions = Map.copyOf(highestVersions);
        endOffsets = Map.copyOf(endOffsets);
    }

    /** The latest release of {@code name}, if any. */
    public Optional<ModelRelease> latest(String name) {
        return Optional.ofNullable(latest.get(name));
    }

    /**
     * The version the next release of {@code name} takes: one more than the highest seen, or 1 for a new name.
     * Compaction may since have removed superseded records, so a version number can only be relied on
     * together with the release's checksum.
     */
    public long nextVersion(String name) {
        long highest = highestVersions.getOrDefault(name, 0L);
        return Math.max(highest, latest(name).map(ModelRelease::getVersion).orElse(0L)) + 1;
    }
}
