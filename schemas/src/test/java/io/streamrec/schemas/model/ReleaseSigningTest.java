package io.streamrec.schemas.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.avro.ModelRelease;
import io.streamrec.avro.ReleaseArtifact;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReleaseSigningTest {

    private static final KeyPair TRAINER_KEY = ReleaseKeys.generate();
    private static final byte[] GRAPH = "pretend this is an ONNX graph".getBytes(StandardCharsets.UTF_8);

    private static ModelRelease unsignedRelease() {
        Map<String, Double> metrics = new HashMap<>();
        metrics.put("hr@10", 0.71);
        metrics.put("ndcg@10", 0.43);
        return ModelRelease.newBuilder()
                .setName("default").setVersion(7).setVariant("neumf")
                .setCreatedAt(Instant.ofEpochMilli(1_760_000_000_000L))
                .setOnnxModel(ByteBuffer.wrap(GRAPH)).setArtifactUri(null)
                .setSha256(ReleaseVerifier.sha256Hex(GRAPH))
                .setHistoryLength(50)
                .setItemVocabulary(new ArrayList<>(List.of("m1", "m2", "m3")))
                .setUserVocabulary(new ArrayList<>(List.of("u1", "u2")))
                .setHyperparameters(new HashMap<>(Map.of("factors", "32", "layers", "64,32,16,8")))
                .setMetrics(metrics)
                .setProvenance(new HashMap<>(Map.of("source", "interactions@0:100", "pairs", "100")))
                .build();
    }

    private final ReleaseSigner signer = new ReleaseSigner(TRAINER_KEY);
    private final ReleaseVerifier verifier = ReleaseVerifier.trusting(List.of(TRAINER_KEY.getPublic()));

    @Test
    void aSignedReleaseVerifiesAfterAnAvroRoundTrip() throws Exception {
        ModelRelease signed = signer.sign(unsignedRelease());
        ModelRelease received = avroRoundTrip(signed);

        assertThat(received.getSigningKeyId()).isEqualTo(signer.keyId());
        assertThat(verifier.verifySignature(received)).isTrue();
        ReleaseVerifier.verifyChecksum(received, bytes(received.getOnnxModel()));
    }

    static List<Arguments> tamperings() {
        return List.of(
                Arguments.of("vocabulary", (UnaryOperator<ModelRelease>) r -> {
                    List<String> vocabulary = new ArrayList<>(r.getItemVocabulary());
                    vocabulary.set(1, "m4"); // "m2" -> "m4": one byte
                    r.setItemVocabulary(vocabulary);
                    return r;
                }),
                Arguments.of("metrics", (UnaryOperator<ModelRelease>) r -> {
                    Map<String, Double> metrics = new HashMap<>(r.getMetrics());
                    metrics.put("hr@10", Double.longBitsToDouble(Double.doubleToLongBits(0.71) ^ 1L));
                    r.setMetrics(metrics);
                    return r;
                }),
                Arguments.of("version", (UnaryOperator<ModelRelease>) r -> {
                    r.setVersion(8);
                    return r;
                }),
                Arguments.of("provenance", (UnaryOperator<ModelRelease>) r -> {
                    Map<String, String> provenance = new HashMap<>(r.getProvenance());
                    provenance.put("pairs", "101");
                    r.setProvenance(provenance);
                    return r;
                }),
                Arguments.of("checksum field", (UnaryOperator<ModelRelease>) r -> {
                    r.setSha256(ReleaseVerifier.sha256Hex("another graph".getBytes(StandardCharsets.UTF_8)));
                    return r;
                }),
                Arguments.of("signature", (UnaryOperator<ModelRelease>) r -> {
                    byte[] signature = bytes(r.getSignature());
                    signature[17] ^= 0x01;
                    r.setSignature(ByteBuffer.wrap(signature));
                    return r;
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tamperings")
    void everyTamperedFieldBreaksTheSignature(String part, UnaryOperator<ModelRelease> tamper) {
        ModelRelease tampered = tamper.apply(ModelRelease.newBuilder(signer.sign(unsignedRelease())).build());
        assertThatThrownBy(() -> verifier.verifySignature(tampered))
                .isInstanceOf(ReleaseRejectedException.class)
                .satisfies(e -> assertThat(((ReleaseRejectedException) e).reason()).isEqualTo("signature"));
    }

    private static ReleaseArtifact index(String sha256) {
        return new ReleaseArtifact("file:///models/default-v7.hnsw.zip", sha256, RetrievalIndexFormat.FORMAT);
    }

    @Test
    void theRetrievalIndexIsSignedAndCannotBeSwappedAddedOrDropped() throws Exception {
        String sha = ReleaseVerifier.sha256Hex(GRAPH);
        ModelRelease unsigned = unsignedRelease();
        unsigned.setRetrievalIndex(index(sha));
        ModelRelease signed = signer.sign(unsigned);
        assertThat(verifier.verifySignature(avroRoundTrip(signed))).isTrue();

        List<UnaryOperator<ModelRelease>> tamperings = List.of(
                r -> { r.setRetrievalIndex(index(sha.replace('a', 'b'))); return r; },
                r -> { r.setRetrievalIndex(new ReleaseArtifact("file:///elsewhere.zip", sha,
                        RetrievalIndexFormat.FORMAT)); return r; },
                r -> { r.setRetrievalIndex(null); return r; });
        for (UnaryOperator<ModelRelease> tamper : tamperings) {
            ModelRelease tampered = tamper.apply(ModelRelease.newBuilder(signed).build());
            assertThatThrownBy(() -> verifier.verifySignature(tampered))
                    .satisfies(e -> assertThat(((ReleaseRejectedException) e).reason()).isEqualTo("signature"));
        }
        ModelRelease added = ModelRelease.newBuilder(signer.sign(unsignedRelease())).build();
        added.setRetrievalIndex(index(sha));
        assertThatThrownBy(() -> verifier.verifySignature(added))
                .satisfies(e -> assertThat(((ReleaseRejectedException) e).reason()).isEqualTo("signature"));
    }

    @Test
    void vocabulariesByUriAreSigned() throws Exception {
        ModelRelease unsigned = unsignedRelease();
        unsigned.setVocabularies(new ReleaseArtifact("file:///models/default-v7.vocab", ReleaseVerifier.sha256Hex(GRAPH),
                ReleaseVocabularies.FORMAT));
        ModelRelease signed = signer.sign(unsigned);
        assertThat(verifier.verifySignature(avroRoundTrip(signed))).isTrue();
        ModelRelease moved = ModelRelease.newBuilder(signed).build();
        moved.setVocabularies(new ReleaseArtifact("file:///elsewhere.vocab", ReleaseVerifier.sha256Hex(GRAPH),
                ReleaseVocabularies.FORMAT));
        assertThatThrownBy(() -> verifier.verifySignature(moved))
                .satisfies(e -> assertThat(((ReleaseRejectedException) e).reason()).isEqualTo("signature"));
    }

    @Test
    void aReleaseWithoutAnIndexKeepsTheFirstCanonicalForm() {
        String tag = ReleaseCanonicalForm.FORMAT;
        byte[] canonical = ReleaseCanonicalForm.of(unsignedRelease());
        assertThat(new String(canonical, 4, tag.length(), StandardCharsets.UTF_8)).isEqualTo(tag);
    }

    @Test
    void oneFlippedByteInTheGraphFailsTheChecksum() throws Exception {
        ModelRelease signed = signer.sign(unsignedRelease());
        byte[] graph = bytes(signed.getOnnxModel());
        graph[5] ^= 0x01;
        assertThat(verifier.verifySignature(signed)).isTrue();
        assertThatThrownBy(() -> ReleaseVerifier.verifyChecksum(signed, graph))
                .isInstanceOf(ReleaseRejectedException.class)
                .hasMessageContaining("SHA-256")
                .satisfies(e -> assertThat(((ReleaseRejectedException) e).reason()).isEqualTo("checksum"));
    }

    @Test
    void unsignedReleasesPassOnlyWhenExplicitlyAccepted() throws Exception {
        ModelRelease unsigned = unsignedRelease();
        assertThatThrownBy(() -> verifier.verifySignature(unsigned))
                .satisfies(e -> assertThat(((ReleaseRejectedException) e).reason()).isEqualTo("signature-missing"));
        assertThat(ReleaseVerifier.acceptingUnsigned(List.of()).verifySignature(unsigned)).isFalse();
    }

    @Test
    void aReleaseSignedByAnotherKeyIsRejectedEvenWhenUnsignedAreAccepted() {
        ModelRelease foreign = new ReleaseSigner(ReleaseKeys.generate()).sign(unsignedRelease());
        ReleaseVerifier lenient = ReleaseVerifier.acceptingUnsigned(List.of(TRAINER_KEY.getPublic()));
        assertThatThrownBy(() -> lenient.verifySignature(foreign))
                .satisfies(e -> assertThat(((ReleaseRejectedException) e).reason()).isEqualTo("unknown-key"));
    }

    @Test
    void keysSurvivePemFiles() throws Exception {
        KeyPair read = ReleaseKeys.readKeyPair(ReleaseKeys.privateKeyPem(TRAINER_KEY));
        List<java.security.PublicKey> trusted = ReleaseKeys.readPublicKeys(
                ReleaseKeys.publicKeyPem(TRAINER_KEY.getPublic()) + ReleaseKeys.publicKeyPem(ReleaseKeys.generate().getPublic()));

        ModelRelease signed = new ReleaseSigner(read).sign(unsignedRelease());
        assertThat(signed.getSigningKeyId()).isEqualTo(ReleaseKeys.keyId(TRAINER_KEY.getPublic()));
        assertThat(ReleaseVerifier.trusting(trusted).verifySignature(signed)).isTrue();
        assertThatThrownBy(() -> ReleaseKeys.readKeyPair(ReleaseKeys.publicKeyPem(TRAINER_KEY.getPublic())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PRIVATE KEY");
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static ModelRelease avroRoundTrip(ModelRelease release) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(ModelRelease.class).write(release, encoder);
        encoder.flush();
        return new SpecificDatumReader<>(ModelRelease.class)
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    }
}
