package io.streamrec.trainer.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.avro.ModelRelease;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.model.ReleaseRejectedException;
import io.streamrec.schemas.model.ReleaseSigner;
import io.streamrec.schemas.model.ReleaseVerifier;
import io.streamrec.trainer.model.ModelConfig;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleaseRepublisherTest {

    private static final Instant LATER = ReleaseFixtures.NOW.plusSeconds(3600);

    private final ReleaseFixtures fixtures = new ReleaseFixtures();
    private final ModelRelease earlier = fixtures.release(ModelConfig.neumf(4, 8, 4), ReleaseSettings.inlineOnly());

    private ReleaseRepublisher republisher(ReleaseVerifier verifier) {
        return new ReleaseRepublisher(fixtures.signer, verifier, Long.MAX_VALUE, Clock.fixed(LATER, ZoneOffset.UTC));
    }

    private ReleaseVerifier trustingTheTrainer() {
        return ReleaseVerifier.trusting(List.of(fixtures.keys.getPublic()));
    }

    @Test
    void theCopyIsTheSameModelUnderANewVersionSignedAgain() throws Exception {
        ModelRelease copy = republisher(trustingTheTrainer()).republish(earlier, 12);

        assertThat(copy.getVersion()).isEqualTo(12);
        assertThat(copy.getCreatedAt()).isEqualTo(LATER.truncatedTo(ChronoUnit.MILLIS));
        assertThat(copy.getSha256()).isEqualTo(earlier.getSha256());
        assertThat(copy.getOnnxModel()).isEqualTo(earlier.getOnnxModel());
        assertThat(copy.getItemVocabulary()).isEqualTo(earlier.getItemVocabulary());
        assertThat(copy.getUserVocabulary()).isEqualTo(earlier.getUserVocabulary());
        assertThat(copy.getMetrics()).isEqualTo(earlier.getMetrics());
        assertThat(copy.getHyperparameters()).isEqualTo(earlier.getHyperparameters());
        assertThat(copy.getProvenance()).containsAllEntriesOf(earlier.getProvenance())
                .containsEntry(ReleaseRepublisher.REPUBLISHED_FROM, Long.toString(earlier.getVersion()));
        assertThat(copy.getSigningKeyId()).isEqualTo(fixtures.signer.keyId());
        assertThat(trustingTheTrainer().verifySignature(copy)).isTrue();
        assertThat(copy.getSignature()).isNotEqualTo(earlier.getSignature());
    }

    @Test
    void aTamperedReleaseIsNotSignedAgain() {
        Map<String, Double> metrics = new HashMap<>(earlier.getMetrics());
        metrics.put("hr@10", 0.99);
        ModelRelease tampered = ModelRelease.newBuilder(earlier).setMetrics(metrics).build();

        assertThatThrownBy(() -> republisher(trustingTheTrainer()).republish(tampered, 12))
                .isInstanceOf(ReleaseRejectedException.class)
                .satisfies(e -> assertThat(((ReleaseRejectedException) e).reason()).isEqualTo("signature"));
    }

    @Test
    void aGraphThatDoesNotMatchItsChecksumIsNotSignedAgain() {
        byte[] graph = new byte[earlier.getOnnxModel().remaining()];
        earlier.getOnnxModel().duplicate().get(graph);
        graph[graph.length / 2] ^= 1;
        ModelRelease swapped = ModelRelease.newBuilder(earlier).setOnnxModel(ByteBuffer.wrap(graph)).build();

        assertThatThrownBy(() -> republisher(trustingTheTrainer()).republish(swapped, 12))
                .isInstanceOf(ReleaseRejectedException.class)
                .satisfies(e -> assertThat(((ReleaseRejectedException) e).reason()).isEqualTo("checksum"));
    }

    @Test
    void aReleaseSignedByAnotherKeyNeedsThatKeyTrusted() throws Exception {
        ReleaseSigner before = new ReleaseSigner(ReleaseKeys.generate());
        ModelRelease rotated = before.sign(earlier);

        assertThatThrownBy(() -> republisher(trustingTheTrainer()).republish(rotated, 12))
                .isInstanceOf(ReleaseRejectedException.class);
        ModelRelease copy = republisher(ReleaseVerifier.trusting(List.of(fixtures.keys.getPublic(),
                before.publicKey()))).republish(rotated, 12);
        assertThat(copy.getSigningKeyId()).isEqualTo(fixtures.signer.keyId());
    }

    @Test
    void theNewVersionMustBeHigher() {
        assertThatThrownBy(() -> republisher(trustingTheTrainer()).republish(earlier, earlier.getVersion()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("above " + earlier.getVersion());
    }
}
