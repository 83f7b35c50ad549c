package io.streamrec.trainer.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.avro.ModelRelease;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.model.ReleaseSigner;
import io.streamrec.schemas.model.ReleaseVerifier;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * How the trainer reads its numbering off the models topic: only its own signed releases count, a tombstone
 * restarts a name, and compaction (which keeps each name's last record and later drops tombstones) does not
 * change the answer.
 */
class VerifiedReleasesTest {

    private static final ReleaseSigner TRAINER = new ReleaseSigner(ReleaseKeys.generate());
    private static final ReleaseSigner STRANGER = new ReleaseSigner(ReleaseKeys.generate());
    private static final ReleaseVerifier OWN = ReleaseVerifier.trusting(List.of(TRAINER.publicKey()));

    /** One record of the topic: a release, or a tombstone (null) for the name. */
    private record Entry(String name, ModelRelease release) { }

    private static ModelRelease unsigned(String name, long version, String sha256) {
        return ModelRelease.newBuilder().setName(name).setVersion(version).setVariant("gmf")
                .setCreatedAt(Instant.EPOCH).setOnnxModel(null).setArtifactUri("file:///m.onnx").setSha256(sha256)
                .setHistoryLength(1).setItemVocabulary(List.of("a")).build();
    }

    private static Entry own(String name, long version) {
        return new Entry(name, TRAINER.sign(unsigned(name, version, "own-" + version)));
    }

    private static Entry tombstone(String name) {
        return new Entry(name, null);
    }

    private static VerifiedReleases fold(List<Entry> log) {
        VerifiedReleases releases = new VerifiedReleases(OWN);
        for (Entry entry : log) {
            if (entry.release() == null) {
                releases.tombstone(entry.name());
            } else {
                releases.add(entry.name(), entry.release());
            }
        }
        return releases;
    }

    private static ModelsSnapshot snapshot(List<Entry> log) {
        return fold(log).snapshot("models", Map.of(), log.size(), 0);
    }

    private static Optional<String> servingSha(ModelsSnapshot snapshot, String name) {
        return snapshot.latest(name).map(ModelRelease::getSha256);
    }

    @Test
    void forgedAndUnsignedReleasesDoNotMoveTheNumbering() {
        Entry foreign = new Entry("default", STRANGER.sign(unsigned("default", Long.MAX_VALUE - 1, "forged")));
        Entry anonymous = new Entry("default", unsigned("default", Long.MAX_VALUE, "unsigned"));
        VerifiedReleases releases = fold(List.of(own("default", 1), own("default", 2), foreign, anonymous));
        ModelsSnapshot snapshot = releases.snapshot("models", Map.of(), 4, 0);

        assertThat(snapshot.nextVersion("default")).isEqualTo(3);
        assertThat(servingSha(snapshot, "default")).contains("own-2");
        assertThat(snapshot.unverified()).isEqualTo(2);
        assertThat(releases.untrustedKeyIds()).containsExactlyInAnyOrder(STRANGER.keyId(), "null");
    }

    @Test
    void aTombstoneRestartsTheNumberingAndCompactionDoesNotChangeTheAnswer() {
        Entry forged = new Entry("default", STRANGER.sign(unsigned("default", Long.MAX_VALUE, "forged")));
        List<Entry> log = List.of(own("default", 36), own("default", 37), forged, own("other", 4),
                tombstone("default"), own("default", 1), own("default", 2));
        List<Entry> compacted = List.of(own("other", 4), own("default", 2));

        for (List<Entry> topic : List.of(log, compacted)) {
            ModelsSnapshot snapshot = snapshot(topic);
            assertThat(snapshot.nextVersion("default")).isEqualTo(3);
            assertThat(servingSha(snapshot, "default")).contains("own-2");
            assertThat(snapshot.nextVersion("other")).isEqualTo(5);
        }

        List<Entry> endsInATombstone = List.of(own("default", 36), own("default", 37), tombstone("default"));
        List<Entry> compactedToTheTombstone = List.of(tombstone("default"));
        List<Entry> tombstoneRemovedToo = List.of();
        for (List<Entry> topic : List.of(endsInATombstone, compactedToTheTombstone, tombstoneRemovedToo)) {
            ModelsSnapshot snapshot = snapshot(topic);
            assertThat(snapshot.nextVersion("default")).isEqualTo(1);
            assertThat(snapshot.latest("default")).isEmpty();
        }
    }

    @Test
    void theEndOfTheNumbersIsAClearErrorNotAWrapAround() {
        ModelsSnapshot snapshot = snapshot(List.of(own("default", Long.MAX_VALUE)));
        assertThatThrownBy(() -> snapshot.nextVersion("default")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("model default is at version " + Long.MAX_VALUE)
                .hasMessageContaining("tombstone");
        assertThat(snapshot(List.of(own("default", Long.MAX_VALUE), tombstone("default"))).nextVersion("default"))
                .isEqualTo(1);
    }
}
