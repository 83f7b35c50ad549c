package io.streamrec.trainer.kafka;

import io.streamrec.avro.ModelRelease;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * What the models topic says about each model name, as read up to the end offsets taken when the read
 * started, counting only releases the reader's verifier vouched for (this trainer's signature) and only those
 * after the name's last tombstone, which restarts its numbering. The releases' signatures are verified, their
 * graphs not yet: check the checksum before using a graph ({@code ReleaseGraphs.verifiedGraph}). Immutable.
 *
 * @param topic           the topic read
 * @param latest          the last verified release of each name (the serving one: the trainer numbers upwards)
 * @param highestVersions the highest verified version of each name: a rollback republishes an older release,
 *                        after which the latest is not the highest
 * @param endOffsets      the offsets read up to, exclusive
 * @param records         records read
 * @param unreadable      records that could not be decoded or whose value names another model than the key
 * @param unverified      releases the verifier refused (forged, unsigned, or signed by a key it does not trust)
 */
public record ModelsSnapshot(String topic, Map<String, ModelRelease> latest, Map<String, Long> highestVersions,
                             Map<TopicPartition, Long> endOffsets, long records, long unreadable, long unverified) {

    /** Copies the maps. */
    public ModelsSnapshot {
        Objects.requireNonNull(topic, "topic");
        latest = Map.copyOf(latest);
        highestVersions = Map.copyOf(highestVersions);
        endOffsets = Map.copyOf(endOffsets);
    }

    /** The latest verified release of {@code name}, if any. */
    public Optional<ModelRelease> latest(String name) {
        return Optional.ofNullable(latest.get(name));
    }

    /**
     * The version the next release of {@code name} takes: one more than the highest verified since the name's
     * last tombstone, or 1 when there is none.
     *
     * @throws IllegalStateException when the highest is {@link Long#MAX_VALUE}
     */
    public long nextVersion(String name) {
        return versionAfter(name, highestVersions.getOrDefault(name, 0L));
    }

    /** The version after {@code highest}; an error, not a wrap-around, at the end of the numbers. */
    static long versionAfter(String name, long highest) {
        if (highest == Long.MAX_VALUE) {
            throw new IllegalStateException("model " + name + " is at version " + Long.MAX_VALUE + ", the last"
                    + " there is; write a tombstone for the name on the models topic to restart its numbering at 1");
        }
        return highest + 1;
    }
}
