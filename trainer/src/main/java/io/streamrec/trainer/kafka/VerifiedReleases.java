package io.streamrec.trainer.kafka;

import io.streamrec.avro.ModelRelease;
import io.streamrec.schemas.model.ReleaseRejectedException;
import io.streamrec.schemas.model.ReleaseVerifier;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * The models topic folded, record by record in offset order, into what the trainer may rely on per model name.
 * Only releases the verifier vouches for count: anyone who can write to the topic can put a record there (a
 * forged release with a huge version would otherwise take the numbering to its end), but only the trainer can
 * sign. A tombstone for a name clears the name: it restarts the name's numbering, as it does in the streams
 * app's model registry. Compaction keeps the last record of each name and later drops tombstones too, so a
 * log folds to the same next version and serving release before and after compaction.
 *
 * <p>Not thread-safe: one per read.
 */
final class VerifiedReleases {

    /** Enough distinct untrusted key ids to name in a warning. */
    private static final int MAX_UNTRUSTED_KEY_IDS = 10;

    private final ReleaseVerifier verifier;
    private final Map<String, ModelRelease> latest = new HashMap<>();
    private final Map<String, Long> highestVersions = new HashMap<>();
    private final Set<String> untrustedKeyIds = new TreeSet<>();
    private long unverified;

    VerifiedReleases(ReleaseVerifier verifier) {
        this.verifier = verifier;
    }

    /** Folds in a release keyed by its own name; true when the verifier vouched for it. */
    boolean add(String name, ModelRelease release) {
        try {
            verifier.verifySignature(release);
        } catch (ReleaseRejectedException e) {
            unverified++;
            if (untrustedKeyIds.size() < MAX_UNTRUSTED_KEY_IDS) {
                untrustedKeyIds.add(String.valueOf(release.getSigningKeyId()));
            }
            return false;
        }
        latest.put(name, release);
        highestVersions.merge(name, release.getVersion(), Math::max);
        return true;
    }

    /** Folds in a tombstone: the name's numbering restarts after it. */
    void tombstone(String name) {
        latest.remove(name);
        highestVersions.remove(name);
    }

    /** The version the next release of {@code name} takes ({@link ModelsSnapshot#nextVersion}). */
    long nextVersion(String name) {
        return ModelsSnapshot.versionAfter(name, highestVersions.getOrDefault(name, 0L));
    }

    /** Releases the verifier refused so far. */
    long unverified() {
        return unverified;
    }

    /** Some of the key ids the refused releases name ({@code null} for unsigned ones), for a warning. */
    Set<String> untrustedKeyIds() {
        return Set.copyOf(untrustedKeyIds);
    }

    ModelsSnapshot snapshot(String topic, Map<TopicPartition, Long> endOffsets, long records, long unreadable) {
        return new ModelsSnapshot(topic, latest, highestVersions, endOffsets, records, unreadable, unverified);
    }
}
