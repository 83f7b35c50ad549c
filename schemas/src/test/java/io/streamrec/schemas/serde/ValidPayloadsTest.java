package io.streamrec.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.avro.ClickEvent;
import io.streamrec.avro.ModelRelease;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Valid records of every shape pass the bounds check and decode exactly as Avro alone decodes them, whether
 * their arrays and maps are written as plain blocks or as byte-size-prefixed ones (negative counts).
 */
class ValidPayloadsTest {

    private static final Map<String, String> CONFIG =
            Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://unused:8081");

    private static final Schema EVERYTHING = RandomEverything.SCHEMA;

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final AvroDeserializer<GenericRecord> generic = new AvroDeserializer<>(null, registry, CONFIG, false);
    private final Random random = new Random(20_261_207);
    private final RandomEverything everything = new RandomEverything(random);

    @ParameterizedTest
    @EnumSource(AvroBytes.Encoding.class)
    void genericRecordsOfEveryShapeDecodeAsAvroAloneDecodesThem(AvroBytes.Encoding encoding) throws IOException {
        int id = registry.register("everything-value", EVERYTHING);
        for (int i = 0; i < 50; i++) {
            GenericRecord original = everything.next();
            byte[] record = AvroBytes.encoded(id, original, encoding);

            GenericRecord decoded = generic.deserialize("everything", record);

            assertThat(decoded).isEqualTo(avroAlone(EVERYTHING, record))
                    .isEqualTo(avroAlone(EVERYTHING, AvroBytes.encoded(id, original, AvroBytes.Encoding.PLAIN)));
        }
    }

    @Test
    void sizedBlocksAreWhatTheBlockingEncoderWrites() {
        GenericRecord original = everything.next();
        assertThat(AvroBytes.encoded(1, original, AvroBytes.Encoding.SIZED_BLOCKS))
                .isNotEqualTo(AvroBytes.encoded(1, original, AvroBytes.Encoding.PLAIN));
    }

    @Test
    void aWriterOnlyArraySkippedByItsBlockSizesLeavesTheRestIntact() {
        Schema withTags = new Schema.Parser().parse(ClickEvent.getClassSchema().toString().replaceFirst("\\]\\}$",
                ",{\"name\": \"tags\", \"type\": {\"type\": \"array\", \"items\": \"string\"}, \"default\": []}]}"));
        int id = registry.register("tagged-clicks-value", withTags);
        GenericRecord tagged = new GenericData.Record(withTags);
        tagged.put("userId", "user-1");
        tagged.put("itemId", "item-1");
        tagged.put("eventType", "view");
        tagged.put("eventTime", 1_700_000_000_000L);
        tagged.put("value", 4.5);
        tagged.put("tags", IntStream.range(0, 100).mapToObj(i -> "tag-" + i).toList());

        AvroDeserializer<ClickEvent> clicks = new AvroDeserializer<>(ClickEvent.class, registry, CONFIG, false);
        ClickEvent click = clicks.deserialize("tagged-clicks",
                AvroBytes.encoded(id, tagged, AvroBytes.Encoding.SIZED_BLOCKS));

        assertThat(click).isEqualTo(ClickEvent.newBuilder().setUserId("user-1").setItemId("item-1")
                .setEventType("view").setEventTime(Instant.ofEpochMilli(1_700_000_000_000L)).setValue(4.5).build());
    }

    @Test
    void clicksRoundTrip() {
        List<ClickEvent> clicks = List.of(
                ClickEvent.newBuilder().setUserId("u").setItemId("i").setEventType("view")
                        .setEventTime(Instant.EPOCH).build(),
                ClickEvent.newBuilder().setUserId("ユーザー-😀").setItemId("x".repeat(256)).setEventType("rating")
                        .setEventTime(Instant.ofEpochMilli(Long.MIN_VALUE)).setSessionId("").setClient("ios")
                        .setValue(-0.0).build(),
                ClickEvent.newBuilder().setUserId("user-1").setItemId("item-1").setEventType("purchase")
                        .setEventTime(Instant.ofEpochMilli(Long.MAX_VALUE)).setSessionId("s-1").setClient("web")
                        .setValue(Double.MAX_VALUE).build());
        try (AvroSerde<ClickEvent> serde = AvroSerde.specific(ClickEvent.class, registry, CONFIG, false)) {
            for (ClickEvent click : clicks) {
                assertThat(serde.deserializer().deserialize("clicks", serde.serializer().serialize("clicks", click)))
                        .isEqualTo(click);
            }
        }
    }

    @Test
    void modelReleasesWithInlineGraphsVocabulariesAndMapsRoundTrip() {
        byte[] graph = new byte[200_000];
        random.nextBytes(graph);
        Map<String, Double> metrics = new HashMap<>(Map.of("hr@10", 0.71, "ndcg@10", 0.43));
        ModelRelease inline = ModelRelease.newBuilder()
                .setName("default").setVersion(7).setVariant("neumf")
                .setCreatedAt(Instant.ofEpochMilli(1_760_000_000_000L))
                .setOnnxModel(ByteBuffer.wrap(graph)).setSha256("ab".repeat(32)).setHistoryLength(50)
                .setItemVocabulary(IntStream.range(0, 20_000).mapToObj(i -> "item-" + i).toList())
                .setUserVocabulary(IntStream.range(0, 5_000).mapToObj(i -> "user-" + i).toList())
                .setHyperparameters(new HashMap<>(Map.of("factors", "32", "layers", "64,32,16,8")))
                .setMetrics(metrics)
                .setProvenance(new HashMap<>(Map.of("source", "interactions@0:100", "pairs", "100")))
                .setSigningKeyId("trainer-1").setSignature(ByteBuffer.wrap(new byte[64]))
                .build();
        ModelRelease byReference = ModelRelease.newBuilder(inline).setOnnxModel(null)
                .setArtifactUri("file:///models/7.onnx").setItemVocabulary(List.of()).setUserVocabulary(List.of())
                .setHyperparameters(Map.of()).setMetrics(Map.of()).setProvenance(Map.of())
                .setSigningKeyId(null).setSignature(null).build();

        try (AvroSerde<ModelRelease> serde = AvroSerde.specific(ModelRelease.class, registry, CONFIG, false)) {
            for (ModelRelease release : List.of(inline, byReference)) {
                assertThat(serde.deserializer().deserialize("models", serde.serializer().serialize("models", release)))
                        .isEqualTo(release);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(AvroBytes.Encoding.class)
    void arraysOfItemsThatTakeNoBytesDecodeAsAvroAloneDecodesThem(AvroBytes.Encoding encoding) throws IOException {
        Schema schema = new Schema.Parser().parse("""
                {"type": "record", "name": "Nothings", "fields": [
                  {"name": "nulls", "type": {"type": "array", "items": "null"}},
                  {"name": "empties", "type": {"type": "array", "items":
                    {"type": "record", "name": "Empty", "fields": []}}},
                  {"name": "after", "type": "string"}]}""");
        int id = registry.register("nothings-value", schema);
        Schema empty = schema.getField("empties").schema().getElementType();
        for (int size : new int[] {0, 1, 63, 64, 65, 5_000}) {
            GenericRecord nothings = new GenericData.Record(schema);
            nothings.put("nulls", new ArrayList<>(Collections.nCopies(size, null)));
            nothings.put("empties", IntStream.range(0, size).mapToObj(i -> new GenericData.Record(empty)).toList());
            nothings.put("after", "end");
            byte[] record = AvroBytes.encoded(id, nothings, encoding);

            assertThat(generic.deserialize("nothings", record)).isEqualTo(avroAlone(schema, record));
        }
    }

    @Test
    void zeroByteItemsUpToTheCapDecode() {
        int id = registry.register("nulls-value", new Schema.Parser().parse("{\"type\": \"record\","
                + " \"name\": \"Nulls\", \"fields\": [{\"name\": \"nothing\", \"type\": {\"type\": \"array\","
                + " \"items\": \"null\"}}]}"));
        byte[] record = AvroBytes.record(id).varint(PayloadBounds.MAX_ZERO_BYTE_ITEMS).varint(0).toBytes();

        assertThat((List<?>) generic.deserialize("nulls", record).get("nothing"))
                .hasSize((int) PayloadBounds.MAX_ZERO_BYTE_ITEMS);
    }

    @Test
    void recursionUpToTheNestingLimitDecodesAndOneLinkMoreIsRefused() {
        Schema link = EVERYTHING.getField("chain").schema().getTypes().get(1);
        int id = registry.register("links-value", link);
        // Each link is a record and a union: 64 links nest 128 deep.
        assertThat(generic.deserialize("links", chain(id, 64))).isNotNull();
        assertThatThrownBy(() -> generic.deserialize("links", chain(id, 65)))
                .isInstanceOf(AvroSerdeException.class)
                .hasMessageContaining("record test.Link nests deeper than 128");
    }

    private static byte[] chain(int schemaId, int links) {
        AvroBytes bytes = AvroBytes.record(schemaId);
        for (int i = 1; i < links; i++) {
            bytes.varint(i).varint(1);
        }
        return bytes.varint(links).varint(0).toBytes();
    }

    /** What Avro's reader makes of a record's payload with no check in front of it. */
    private static GenericRecord avroAlone(Schema schema, byte[] record) throws IOException {
        return new GenericDatumReader<GenericRecord>(schema).read(null, DecoderFactory.get().binaryDecoder(record,
                WireFormat.HEADER_LENGTH, record.length - WireFormat.HEADER_LENGTH, null));
    }
}
