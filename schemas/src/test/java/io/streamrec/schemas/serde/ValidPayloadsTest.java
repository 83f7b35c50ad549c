package io.streamrec.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.avro.ClickEvent;
import io.streamrec.avro.ModelRelease;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
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
    private static final Schema EVERYTHING = new Schema.Parser().parse("""
            {"type": "record", "name": "Everything", "namespace": "test", "fields": [
              {"name": "nothing", "type": "null"},
              {"name": "flag", "type": "boolean"},
              {"name": "count", "type": "int"},
              {"name": "total", "type": "long"},
              {"name": "ratio", "type": "float"},
              {"name": "score", "type": "double"},
              {"name": "label", "type": "string"},
              {"name": "blob", "type": "bytes"},
              {"name": "digest", "type": {"type": "fixed", "name": "Digest", "size": 4}},
              {"name": "color", "type": {"type": "enum", "name": "Color", "symbols": ["RED", "GREEN", "BLUE"]}},
              {"name": "choice", "type": ["null", "int", "string", {"type": "array", "items": "long"},
                                          {"type": "map", "values": "Digest"}]},
              {"name": "items", "type": {"type": "array", "items": {"type": "record", "name": "Item", "fields": [
                {"name": "id", "type": "string"},
                {"name": "weights", "type": {"type": "map", "values": {"type": "array", "items": "double"}}}]}}},
              {"name": "nulls", "type": {"type": "array", "items": "null"}},
              {"name": "empties", "type": {"type": "array", "items":
                {"type": "record", "name": "Empty", "fields": []}}},
              {"name": "tree", "type": {"type": "record", "name": "Tree", "fields": [
                {"name": "name", "type": "string"},
                {"name": "children", "type": {"type": "array", "items": "Tree"}}]}},
              {"name": "chain", "type": ["null", {"type": "record", "name": "Link", "fields": [
                {"name": "value", "type": "int"}, {"name": "next", "type": ["null", "Link"]}]}]}
            ]}""");

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final AvroDeserializer<GenericRecord> generic = new AvroDeserializer<>(null, registry, CONFIG, false);
    private final Random random = new Random(20_261_207);

    /** How the test writes Avro binary: plain blocks, or byte-size-prefixed blocks of at most 64 bytes. */
    enum Encoding {
        PLAIN(out -> EncoderFactory.get().directBinaryEncoder(out, null)),
        SIZED_BLOCKS(out -> new EncoderFactory().configureBlockSize(64).blockingBinaryEncoder(out, null));

        final Function<ByteArrayOutputStream, Encoder> encoder;

        Encoding(Function<ByteArrayOutputStream, Encoder> encoder) {
            this.encoder = encoder;
        }
    }

    @ParameterizedTest
    @EnumSource(Encoding.class)
    void genericRecordsOfEveryShapeDecodeAsAvroAloneDecodesThem(Encoding encoding) throws IOException {
        int id = registry.register("everything-value", EVERYTHING);
        for (int i = 0; i < 50; i++) {
            GenericRecord original = everything();
            byte[] record = record(id, original, EVERYTHING, encoding);

            GenericRecord decoded = generic.deserialize("everything", record);

            assertThat(decoded).isEqualTo(avroAlone(EVERYTHING, record))
                    .isEqualTo(avroAlone(EVERYTHING, record(id, original, EVERYTHING, Encoding.PLAIN)));
        }
    }

    @Test
    void sizedBlocksAreWhatTheBlockingEncoderWrites() {
        GenericRecord original = everything();
        assertThat(avro(original, EVERYTHING, Encoding.SIZED_BLOCKS))
                .isNotEqualTo(avro(original, EVERYTHING, Encoding.PLAIN));
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
        ClickEvent click = clicks.deserialize("tagged-clicks", record(id, tagged, withTags, Encoding.SIZED_BLOCKS));

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

    private GenericRecord everything() {
        GenericRecord record = new GenericData.Record(EVERYTHING);
        record.put("flag", random.nextBoolean());
        record.put("count", random.nextInt());
        record.put("total", random.nextLong());
        record.put("ratio", random.nextFloat());
        record.put("score", random.nextGaussian());
        record.put("label", text());
        record.put("blob", ByteBuffer.wrap(bytes(random.nextInt(300))));
        record.put("digest", digest());
        record.put("color", new GenericData.EnumSymbol(EVERYTHING.getField("color").schema(),
                List.of("RED", "GREEN", "BLUE").get(random.nextInt(3))));
        record.put("choice", choice());
        record.put("items", list(random.nextInt(40), this::item));
        record.put("nulls", list(random.nextInt(200), () -> null));
        Schema empty = EVERYTHING.getField("empties").schema().getElementType();
        record.put("empties", list(random.nextInt(200), () -> new GenericData.Record(empty)));
        record.put("tree", tree(4));
        record.put("chain", random.nextBoolean() ? null : link(1 + random.nextInt(40)));
        return record;
    }

    private Object choice() {
        return switch (random.nextInt(5)) {
            case 0 -> null;
            case 1 -> random.nextInt();
            case 2 -> text();
            case 3 -> list(random.nextInt(100), random::nextLong);
            default -> map(random.nextInt(30), this::digest);
        };
    }

    private GenericRecord item() {
        GenericRecord item = new GenericData.Record(EVERYTHING.getField("items").schema().getElementType());
        item.put("id", text());
        item.put("weights", map(random.nextInt(5), () -> list(random.nextInt(20), random::nextDouble)));
        return item;
    }

    private GenericRecord tree(int depth) {
        GenericRecord tree = new GenericData.Record(EVERYTHING.getField("tree").schema());
        tree.put("name", text());
        tree.put("children", depth == 0 ? List.of() : list(random.nextInt(4), () -> tree(depth - 1)));
        return tree;
    }

    private GenericRecord link(int length) {
        GenericRecord link = new GenericData.Record(EVERYTHING.getField("chain").schema().getTypes().get(1));
        link.put("value", random.nextInt());
        link.put("next", length == 1 ? null : link(length - 1));
        return link;
    }

    private GenericData.Fixed digest() {
        return new GenericData.Fixed(EVERYTHING.getField("digest").schema(), bytes(4));
    }

    private String text() {
        return random.ints(random.nextInt(30), 0x20, 0x3000).collect(StringBuilder::new,
                StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    private byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static <V> List<V> list(int size, Supplier<V> element) {
        List<V> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.get());
        }
        return list;
    }

    private <V> Map<String, V> map(int size, Supplier<V> value) {
        Map<String, V> map = new HashMap<>();
        for (int i = 0; i < size; i++) {
            map.put("k" + i + text(), value.get());
        }
        return map;
    }

    private static byte[] record(int schemaId, GenericRecord datum, Schema schema, Encoding encoding) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WireFormat.writeHeader(out, schemaId);
        out.writeBytes(avro(datum, schema, encoding));
        return out.toByteArray();
    }

    private static byte[] avro(GenericRecord datum, Schema schema, Encoding encoding) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Encoder encoder = encoding.encoder.apply(out);
            new GenericDatumWriter<GenericRecord>(schema).write(datum, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** What Avro's reader makes of a record's payload with no check in front of it. */
    private static GenericRecord avroAlone(Schema schema, byte[] record) throws IOException {
        return new GenericDatumReader<GenericRecord>(schema).read(null, DecoderFactory.get().binaryDecoder(record,
                WireFormat.HEADER_LENGTH, record.length - WireFormat.HEADER_LENGTH, null));
    }
}
