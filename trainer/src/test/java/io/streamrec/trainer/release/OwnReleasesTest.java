package io.streamrec.trainer.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.avro.ModelRelease;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.model.ReleaseRejectedException;
import io.streamrec.schemas.model.ReleaseSigner;
import io.streamrec.schemas.model.ReleaseVerifier;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnReleasesTest {

    private static final ModelRelease RELEASE = ModelRelease.newBuilder().setName("default").setVersion(1)
            .setVariant("gmf").setCreatedAt(Instant.EPOCH).setOnnxModel(null).setArtifactUri("file:///m.onnx")
            .setSha256("00").setHistoryLength(1).setItemVocabulary(List.of("a")).build();

    @Test
    void theSigningKeyAndEarlierKeysListedInAFileAreTheTrainersOwn(@TempDir Path dir) throws Exception {
        ReleaseSigner current = new ReleaseSigner(ReleaseKeys.generate());
        KeyPair earlier = ReleaseKeys.generate();
        Path earlierKeys = Files.writeString(dir.resolve("earlier.pub"), ReleaseKeys.publicKeyPem(earlier.getPublic()),
                StandardCharsets.US_ASCII);

        ReleaseVerifier own = OwnReleases.verifier(current, List.of(earlierKeys));

        assertThat(own.verifySignature(current.sign(RELEASE))).isTrue();
        assertThat(own.verifySignature(new ReleaseSigner(earlier).sign(RELEASE))).isTrue();
        assertThatThrownBy(() -> own.verifySignature(new ReleaseSigner(ReleaseKeys.generate()).sign(RELEASE)))
                .isInstanceOf(ReleaseRejectedException.class);
        assertThatThrownBy(() -> own.verifySignature(RELEASE)).isInstanceOf(ReleaseRejectedException.class);
        assertThat(OwnReleases.verifier(current, List.of()).trustedKeyIds()).containsExactly(current.keyId());
    }

    @Test
    void anUnusableKeyFileIsAClearError(@TempDir Path dir) throws Exception {
        ReleaseSigner signer = new ReleaseSigner(ReleaseKeys.generate());
        Path garbage = Files.writeString(dir.resolve("garbage.pub"), "not a key", StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> OwnReleases.verifier(signer, List.of(garbage)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(garbage.toString());
        assertThatThrownBy(() -> OwnReleases.verifier(signer, List.of(dir.resolve("missing.pub"))))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("missing.pub");
    }
}
