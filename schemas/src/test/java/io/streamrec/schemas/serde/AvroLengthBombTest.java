package io.streamrec.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.avro.ClickEvent;
import io.streamrec.avro.ModelRelease;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/**
 * A few bytes can claim a string, byte array or array of two billion entries; Avro allocates what a length
 * claims before reading it, so such a record must be refused as corrupt before it is decoded, never answered
 * with an OutOfMemoryError that kills the reading thread.
 */
class AvroLengthBombTest {

    private static final long CLAIMED = Integer.MAX_VALUE - 16L;
    /** The URL is never called: the serdes share the in-memory registry. */
    private static final Map<String, String> SERDE_CONFIG =
            Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://unused:8081");

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @Test
    void aStringClaimingTwoGigabytesIsACorruptRecord() throws IOException {
        AvroSerde<ClickEvent> serde = AvroSerde.specific(ClickEvent.class, registry, SERDE_CONFIG, false);
        byte[] valid = serde.serializer().serialize("clicks", ClickEvent.newBuilder().setUserId("u").setItemId("i")
                .setEventType("view").setEventTime(Instant.EPOCH).build());
        byte[] bomb = headerOf(valid, longs(CLAIMED));

        assertThatThrownBy(() -> serde.deserializer().deserialize("clicks", bomb))
                .isInstanceOf(AvroSerdeException.class)
                .hasMessageContaining("truncated or corrupt");
    }

    @Test
    void aVocabularyClaimingTwoBillionItemsOrAGraphOfTwoGigabytesIsACorruptRecord() throws IOException {
        AvroSerde<ModelRelease> serde = AvroSerde.specific(ModelRelease.class, registry, SERDE_CONFIG, false);
        ModelRelease release = ModelRelease.newBuilder().setName("m").setVersion(1).setVariant("gmf")
                .setCreatedAt(Instant.EPOCH).setOnnxModel(ByteBuffer.wrap(new byte[] {1})).setSha256("00")
                .setHistoryLength(1).setItemVocabulary(List.of("a")).build();
        byte[] valid = serde.serializer().serialize("models", release);

        // name "m", version 1, variant "gmf", createdAt 0, then the union branch of onnxModel (1 = bytes).
        byte[] prefix = {2, 'm', 2, 6, 'g', 'm', 'f', 0, 2};
        byte[] graphBomb = headerOf(valid, concat(prefix, longs(CLAIMED)));
        // ... then bytes [1], no artifactUri, sha256 "00", historyLength 1, and an item vocabulary block.
        byte[] vocabularyPrefix = concat(prefix, new byte[] {2, 1, 0, 4, '0', '0', 2});
        byte[] vocabularyBomb = headerOf(valid, concat(vocabularyPrefix, longs(CLAIMED)));

        assertThat(serde.deserializer().deserialize("models", valid)).isEqualTo(release);
        for (byte[] bomb : List.of(graphBomb, vocabularyBomb)) {
            assertThatThrownBy(() -> serde.deserializer().deserialize("models", bomb))
                    .isInstanceOf(AvroSerdeException.class)
                    .hasMessageContaining("truncated or corrupt");
        }
    }

    /** The wire-format header of {@code valid} (magic byte and schema id) followed by {@code payload}. */
    private static byte[] headerOf(byte[] valid, byte[] payload) {
        byte[] record = new byte[WireFormat.HEADER_LENGTH + payload.length];
        System.arraycopy(valid, 0, record, 0, WireFormat.HEADER_LENGTH);
        System.arraycopy(payload, 0, record, WireFormat.HEADER_LENGTH, payload.length);
        return record;
    }

    private static byte[] longs(long... values) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        for (long value : values) {
            encoder.writeLong(value);
        }
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
