package io.streamrec.trainer.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.streamrec.avro.ModelRelease;
import io.streamrec.schemas.model.ReleaseRejectedException;
import io.streamrec.schemas.model.ReleaseVerifier;
import io.streamrec.trainer.model.ModelConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One flipped byte in any part of a signed release (the graph, inline or in its artifact file, either
 * vocabulary, the metrics, hyperparameters, provenance, the signature, any scalar field) makes the
 * verification path reject it; the untouched release passes.
 */
class ReleaseTamperTest {

    private static final ReleaseFixtures FIXTURES = new ReleaseFixtures();
    private static final ModelRelease SIGNED = FIXTURES.release(ModelConfig.historyAneumf(8, 6, 16, 8, 4),
            ReleaseSettings.inlineOnly());

    private static ReleaseVerifier verifier() {
        return ReleaseVerifier.trusting(List.of(FIXTURES.keys.getPublic()));
    }

    static Stream<Arguments> tamperings() {
        List<Arguments> cases = new ArrayList<>();
        cases.add(Arguments.of("graph bytes", "checksum", edit(b -> b.setOnnxModel(
                flip(SIGNED.getOnnxModel(), 1000)))));
        cases.add(Arguments.of("last graph byte", "checksum", edit(b -> b.setOnnxModel(flip(SIGNED.getOnnxModel(),
                SIGNED.getOnnxModel().remaining() - 1)))));
        cases.add(Arguments.of("item vocabulary", "signature", edit(b -> b.setItemVocabulary(
                flip(SIGNED.getItemVocabulary(), 17)))));
        cases.add(Arguments.of("user vocabulary", "signature", edit(b -> b.setUserVocabulary(
                flip(SIGNED.getUserVocabulary(), 3)))));
        cases.add(Arguments.of("metrics", "signature", edit(b -> b.setMetrics(
                flipMetric(SIGNED.getMetrics(), "hr@10")))));
        cases.add(Arguments.of("hyperparameters", "signature", edit(b -> b.setHyperparameters(
                flipValue(SIGNED.getHyperparameters(), "model.history_length")))));
        cases.add(Arguments.of("provenance", "signature", edit(b -> b.setProvenance(
                flipValue(SIGNED.getProvenance(), Provenance.DATA_SOURCE)))));
        cases.add(Arguments.of("signature", "signature", edit(b -> b.setSignature(flip(SIGNED.getSignature(), 5)))));
        cases.add(Arguments.of("sha256", "signature", edit(b -> b.setSha256(flip(SIGNED.getSha256())))));
        cases.add(Arguments.of("name", "signature", edit(b -> b.setName(flip(SIGNED.getName())))));
        cases.add(Arguments.of("version", "signature", edit(b -> b.setVersion(SIGNED.getVersion() ^ 1))));
        cases.add(Arguments.of("variant", "signature", edit(b -> b.setVariant(flip(SIGNED.getVariant())))));
        cases.add(Arguments.of("history length", "signature", edit(b -> b.setHistoryLength(
                SIGNED.getHistoryLength() ^ 1))));
        cases.add(Arguments.of("created at", "signature", edit(b -> b.setCreatedAt(
                Instant.ofEpochMilli(SIGNED.getCreatedAt().toEpochMilli() ^ 1)))));
        cases.add(Arguments.of("signing key id", "unknown-key", edit(b -> b.setSigningKeyId(
                flip(SIGNED.getSigningKeyId())))));
        cases.add(Arguments.of("no signature", "signature-missing", edit(b -> b.setSignature(null))));
        return cases.stream();
    }

    @Test
    void theUntouchedReleasePasses() {
        assertThatCode(() -> ReleaseGraphs.verifiedGraph(SIGNED, verifier(), Long.MAX_VALUE))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tamperings")
    void everyFlippedByteIsRejected(String part, String reason, UnaryOperator<ModelRelease> tamper) {
        ModelRelease tampered = tamper.apply(SIGNED);
        ReleaseRejectedException rejected = catchThrowableOfType(ReleaseRejectedException.class,
                () -> ReleaseGraphs.verifiedGraph(tampered, verifier(), Long.MAX_VALUE));
        assertThat(rejected).as(part).isNotNull();
        assertThat(rejected.reason()).as(part).isEqualTo(reason);
    }

    @Test
    void aFlippedByteInTheArtifactFileIsRejected(@TempDir Path directory) throws Exception {
        ModelRelease stored = FIXTURES.release(ModelConfig.neumf(8, 16, 8, 4),
                ReleaseFixtures.artifactsOnly(directory));
        assertThatCode(() -> ReleaseGraphs.verifiedGraph(stored, verifier(), Long.MAX_VALUE))
                .doesNotThrowAnyException();
        Path file = Path.of(java.net.URI.create(stored.getArtifactUri()));
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);
        ReleaseRejectedException rejected = catchThrowableOfType(ReleaseRejectedException.class,
                () -> ReleaseGraphs.verifiedGraph(stored, verifier(), Long.MAX_VALUE));
        assertThat(rejected.reason()).isEqualTo("checksum");
    }

    @Test
    void aReleaseFromAnotherKeyIsRejected() {
        ModelRelease foreign = new ReleaseFixtures().release(ModelConfig.gmf(8), ReleaseSettings.inlineOnly());
        ReleaseRejectedException rejected = catchThrowableOfType(ReleaseRejectedException.class,
                () -> ReleaseGraphs.verifiedGraph(foreign, verifier(), Long.MAX_VALUE));
        assertThat(rejected.reason()).isEqualTo("unknown-key");
    }

    private static UnaryOperator<ModelRelease> edit(java.util.function.Consumer<ModelRelease.Builder> change) {
        return release -> {
            ModelRelease.Builder builder = ModelRelease.newBuilder(release);
            change.accept(builder);
            return builder.build();
        };
    }

    private static ByteBuffer flip(ByteBuffer buffer, int index) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        bytes[index] ^= 0x01;
        return ByteBuffer.wrap(bytes);
    }

    /** The string with its first UTF-8 byte's lowest bit flipped (still ASCII for ASCII text). */
    private static String flip(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        bytes[0] ^= 0x01;
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static List<String> flip(List<String> ids, int index) {
        List<String> copy = new ArrayList<>(ids);
        copy.set(index, flip(copy.get(index)));
        return copy;
    }

    private static Map<String, String> flipValue(Map<String, String> map, String key) {
        Map<String, String> copy = new HashMap<>(map);
        copy.put(key, flip(copy.get(key)));
        return copy;
    }

    /** The metric with the lowest byte of its IEEE-754 bits flipped. */
    private static Map<String, Double> flipMetric(Map<String, Double> metrics, String key) {
        Map<String, Double> copy = new HashMap<>(metrics);
        copy.put(key, Double.longBitsToDouble(Double.doubleToLongBits(copy.get(key)) ^ 1L));
        return copy;
    }
}
