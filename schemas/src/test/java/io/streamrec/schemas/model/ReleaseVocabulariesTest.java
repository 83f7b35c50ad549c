package io.streamrec.schemas.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.avro.ModelRelease;
import io.streamrec.avro.ReleaseArtifact;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleaseVocabulariesTest {

    private static final ReleaseVocabularies VOCABULARIES = new ReleaseVocabularies(
            List.of("m1", "film-ü", "item with spaces", "🎬"), List.of("u1", "u2"));
    private static final URI FILE = URI.create("file:///models/default-v3.vocab");

    private static ModelRelease release(List<String> items, ReleaseArtifact file) {
        return ModelRelease.newBuilder().setName("default").setVersion(3).setVariant("history-aneumf")
                .setCreatedAt(Instant.EPOCH).setOnnxModel(ByteBuffer.wrap(new byte[1])).setSha256("00")
                .setHistoryLength(4).setItemVocabulary(items).setUserVocabulary(List.of()).setHyperparameters(Map.of())
                .setMetrics(Map.of()).setProvenance(Map.of()).setVocabularies(file).build();
    }

    private static ReleaseArtifact artifact(byte[] bytes) {
        return new ReleaseArtifact(FILE.toString(), ReleaseVerifier.sha256Hex(bytes), ReleaseVocabularies.FORMAT);
    }

    @Test
    void aFileComesBackAsTheListsItWasMadeOf() throws Exception {
        byte[] bytes = VOCABULARIES.encode();
        ReleaseVocabularies read = ReleaseVocabularies.of(release(List.of(), artifact(bytes)), uri -> {
            assertThat(uri).isEqualTo(FILE);
            return bytes;
        });
        assertThat(read).isEqualTo(VOCABULARIES);
    }

    @Test
    void inlineListsNeedNoFetch() throws Exception {
        ReleaseVocabularies read = ReleaseVocabularies.of(release(List.of("a", "b"), null), uri -> {
            throw new AssertionError("nothing to fetch");
        });
        assertThat(read.items()).containsExactly("a", "b");
        assertThat(read.users()).isEmpty();
    }

    @Test
    void aChangedFileBothFormsAnUnknownFormatOrAFailedFetchAreRejected() {
        byte[] bytes = VOCABULARIES.encode();
        byte[] changed = bytes.clone();
        changed[changed.length - 1] ^= 1;
        assertThat(reason(release(List.of(), artifact(bytes)), changed)).isEqualTo("checksum");
        assertThat(reason(release(List.of("a"), artifact(bytes)), bytes)).isEqualTo("vocabulary");
        ReleaseArtifact otherFormat = new ReleaseArtifact(FILE.toString(), ReleaseVerifier.sha256Hex(bytes), "csv");
        assertThat(reason(release(List.of(), otherFormat), bytes)).isEqualTo("vocabulary");
        assertThatThrownBy(() -> ReleaseVocabularies.of(release(List.of(), artifact(bytes)), uri -> {
            throw new IOException("no such file");
        })).satisfies(e -> assertThat(((ReleaseRejectedException) e).reason()).isEqualTo("artifact"))
                .hasMessageContaining("no such file");
    }

    @Test
    void malformedFilesAreRefusedWithoutOverAllocating() {
        byte[] bytes = VOCABULARIES.encode();
        for (byte[] bad : List.of(Arrays.copyOf(bytes, bytes.length - 1), Arrays.copyOf(bytes, bytes.length + 1),
                new byte[] {0x7f, -1, -1, -1}, new byte[] {0, 0, 0, 1, 0, 0, 0, 2, (byte) 0xc3, (byte) 0x28,
                        0, 0, 0, 0})) {
            assertThat(reason(release(List.of(), artifact(bad)), bad)).as(Arrays.toString(bad)).isEqualTo("vocabulary");
        }
    }

    private static String reason(ModelRelease release, byte[] served) {
        try {
            ReleaseVocabularies.of(release, uri -> served);
            return "accepted";
        } catch (ReleaseRejectedException e) {
            return e.reason();
        }
    }
}
