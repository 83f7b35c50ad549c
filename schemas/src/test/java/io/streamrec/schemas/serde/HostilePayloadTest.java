package io.streamrec.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.avro.ClickEvent;
import io.streamrec.avro.ModelRelease;
import java.util.Arrays;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Records whose bytes claim more than they hold are refused with an {@link AvroSerdeException} that names the
 * claim, before Avro's decoder allocates what they claim. The claims are sized so that Avro 1.12's decoder,
 * without the check, allocates 64 MiB for a string, bytes value or array, which the allocation bound catches.
 * Its readers start a map at the default capacity whatever the count says, so a map's count alone allocates
 * nothing: for maps the tests check that the claim is named rather than found out by running out of bytes.
 */
class HostilePayloadTest {

    private static final long MIB = 1 << 20;
    /** A length that makes Avro's decoder allocate a 64 MiB array without the check. */
    private static final long CLAIMED_BYTES = 64 * MIB;
    /** A block count that makes Avro's decoder allocate a 16 Mi-slot array or hash table (64 MiB or more). */
    private static final long CLAIMED_ITEMS = 16 * MIB;
    private static final Map<String, String> CONFIG =
            Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://unused:8081");

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final Deserializer<GenericRecord> generic = new AvroDeserializer<>(null, registry, CONFIG, false);

    /** What a hostile value claims, as its schema and its bytes. */
    enum Claim {
        STRING("\"string\"", "a string of " + CLAIMED_BYTES + " bytes",
                bytes -> bytes.varint(CLAIMED_BYTES).string("abcdefg")),
        BYTES("\"bytes\"", "a bytes value of " + CLAIMED_BYTES + " bytes",
                bytes -> bytes.varint(CLAIMED_BYTES).string("abcdefg")),
        ARRAY("{\"type\": \"array\", \"items\": \"string\"}", "an array block of " + CLAIMED_ITEMS + " items",
                bytes -> bytes.varint(CLAIMED_ITEMS).string("a").string("b").string("c")),
        MAP("{\"type\": \"map\", \"values\": \"string\"}", "a map block of " + CLAIMED_ITEMS + " items",
                bytes -> bytes.varint(CLAIMED_ITEMS).string("k").string("v").string("k2").string("v2"));

        final String schema;
        final String claim;
        final UnaryOperator<AvroBytes> write;

        Claim(String schema, String claim, UnaryOperator<AvroBytes> write) {
            this.schema = schema;
            this.claim = claim;
            this.write = write;
        }
    }

    /** Where the hostile value sits in the record, as a schema around it and the bytes before it. */
    enum Place {
        FIELD("field Direct.value", "{\"type\": \"record\", \"name\": \"Direct\", \"fields\": ["
                + "{\"name\": \"value\", \"type\": %s}]}", UnaryOperator.identity()),
        UNION_BRANCH("field Optional.value", "{\"type\": \"record\", \"name\": \"Optional\", \"fields\": ["
                + "{\"name\": \"value\", \"type\": [\"null\", %s]}]}", bytes -> bytes.varint(1)),
        RECORD_IN_ARRAY("field Inner.value", "{\"type\": \"record\", \"name\": \"Outer\", \"fields\": ["
                + "{\"name\": \"items\", \"type\": {\"type\": \"array\", \"items\": {\"type\": \"record\","
                + " \"name\": \"Inner\", \"fields\": [{\"name\": \"value\", \"type\": %s}]}}}]}",
                bytes -> bytes.varint(1));

        final String where;
        final String schemaTemplate;
        final UnaryOperator<AvroBytes> writeBefore;

        Place(String where, String schemaTemplate, UnaryOperator<AvroBytes> writeBefore) {
            this.where = where;
            this.schemaTemplate = schemaTemplate;
            this.writeBefore = writeBefore;
        }
    }

    static Stream<Arguments> everyPlaceAndClaim() {
        return Stream.of(Place.values()).flatMap(place -> Stream.of(Claim.values())
                .map(claim -> Arguments.of(place, claim)));
    }

    @ParameterizedTest(name = "{1} in {0}")
    @MethodSource("everyPlaceAndClaim")
    void aLengthOrCountBombIsRefusedWithoutAllocatingWhatItClaims(Place place, Claim claim) {
        String topic = "bombs-" + place + "-" + claim;
        int id = registry.register(topic + "-value", parse(place.schemaTemplate.formatted(claim.schema)));
        byte[] record = claim.write.apply(place.writeBefore.apply(AvroBytes.record(id))).toBytes();

        assertRefusedCheaply(generic, topic, record, place.where + " claims " + claim.claim + " but ");
    }

    @Test
    void aClickWhoseUserIdClaimsTwoGigabytesIsRefused() {
        int id = registry.register("clicks-value", ClickEvent.getClassSchema());
        byte[] record = AvroBytes.record(id).varint(2_000_000_000).raw('a', 'b', 'c').toBytes();
        assertThat(record).hasSize(13);

        AvroDeserializer<ClickEvent> clicks = new AvroDeserializer<>(ClickEvent.class, registry, CONFIG, false);
        assertRefusedCheaply(clicks, "clicks", record,
                "field ClickEvent.userId claims a string of 2000000000 bytes but 3 remain");
    }

    @Test
    void modelReleaseBombsInItsBytesArraysAndMapsAreRefused() {
        int id = registry.register("models-value", ModelRelease.getClassSchema());
        AvroDeserializer<ModelRelease> models = new AvroDeserializer<>(ModelRelease.class, registry, CONFIG, false);

        byte[] inlineGraph = releaseHead(id).varint(1).varint(CLAIMED_BYTES).string("onnx").toBytes();
        assertRefusedCheaply(models, "models", inlineGraph,
                "field ModelRelease.onnxModel claims a bytes value of " + CLAIMED_BYTES + " bytes but 5 remain");

        byte[] vocabulary = releaseUpToVocabularies(id).varint(CLAIMED_ITEMS).string("i1").string("i2").toBytes();
        assertRefusedCheaply(models, "models", vocabulary,
                "field ModelRelease.itemVocabulary claims an array block of " + CLAIMED_ITEMS + " items but 6");

        byte[] hyperparameters = releaseUpToVocabularies(id).varint(0).varint(0)
                .varint(CLAIMED_ITEMS).string("factors").string("32").toBytes();
        assertRefusedCheaply(models, "models", hyperparameters,
                "field ModelRelease.hyperparameters claims a map block of " + CLAIMED_ITEMS + " items but 11");
    }

    @Test
    void aFixedLongerThanWhatRemainsIsRefused() {
        int id = registry.register("digests-value", parse("{\"type\": \"record\", \"name\": \"Digest\", \"fields\": ["
                + "{\"name\": \"sha\", \"type\": {\"type\": \"fixed\", \"name\": \"Sha256\", \"size\": 32}}]}"));
        assertRefused(AvroBytes.record(id).repeat(7, 20).toBytes(),
                "field Digest.sha needs 32 bytes for a fixed but 20 remain");
    }

    @Test
    void enumAndUnionIndexesOutOfRangeAreRefused() {
        int id = registry.register("shapes-value", parse("{\"type\": \"record\", \"name\": \"Shape\", \"fields\": ["
                + "{\"name\": \"color\", \"type\": {\"type\": \"enum\", \"name\": \"Color\","
                + " \"symbols\": [\"RED\", \"GREEN\", \"BLUE\"]}},"
                + "{\"name\": \"label\", \"type\": [\"null\", \"string\"]}]}"));

        assertRefused(AvroBytes.record(id).varint(3).varint(0).toBytes(),
                "field Shape.color has enum index 3 but Color has 3 symbols");
        assertRefused(AvroBytes.record(id).varint(-1).varint(0).toBytes(),
                "field Shape.color has enum index -1 but Color has 3 symbols");
        assertRefused(AvroBytes.record(id).varint(2).varint(2).string("x").toBytes(),
                "field Shape.label has union branch 2 but the union has 2 branches");
        assertRefused(AvroBytes.record(id).varint(2).varint(-1).toBytes(),
                "field Shape.label has union branch -1 but the union has 2 branches");
    }

    @Test
    void malformedByteSizedBlocksAreRefused() {
        int id = registry.register("lists-value", parse(Place.FIELD.schemaTemplate.formatted(Claim.ARRAY.schema)));

        assertRefused(AvroBytes.record(id).varint(Long.MIN_VALUE).varint(2).string("a").varint(0).toBytes(),
                "field Direct.value has an array block with the malformed count " + Long.MIN_VALUE);
        assertRefused(AvroBytes.record(id).varint(-1).varint(-2).string("a").varint(0).toBytes(),
                "field Direct.value claims an array block of -2 bytes but 3 remain");
        assertRefused(AvroBytes.record(id).varint(-1).varint(CLAIMED_BYTES).string("a").varint(0).toBytes(),
                "field Direct.value claims an array block of " + CLAIMED_BYTES + " bytes but 3 remain");
        // A decoder that skips this block by its size would land inside the item and read on from there.
        assertRefused(AvroBytes.record(id).varint(-1).varint(1).string("a").varint(0).toBytes(),
                "field Direct.value has an array block that claims 1 bytes but its 1 items take 2");
        assertRefused(AvroBytes.record(id).varint(-5).varint(2).string("a").varint(0).toBytes(),
                "field Direct.value claims an array block of 5 items but 3 bytes remain");
    }

    @Test
    void itemsThatTakeNoBytesAreCappedAcrossTheWholeRecord() {
        int nulls = registry.register("nulls-value", parse(Place.FIELD.schemaTemplate.formatted(
                "{\"type\": \"array\", \"items\": \"null\"}")));
        assertRefused(AvroBytes.record(nulls).varint(PayloadBounds.MAX_ZERO_BYTE_ITEMS + 1).varint(0).toBytes(),
                "field Direct.value claims 1000001 more items that may take no bytes, over the limit of 1000000");

        int empties = registry.register("empties-value", parse(Place.FIELD.schemaTemplate.formatted(
                "{\"type\": \"array\", \"items\": {\"type\": \"array\", \"items\": {\"type\": \"record\","
                + " \"name\": \"Empty\", \"fields\": []}}}")));
        byte[] twoArraysOf600k = AvroBytes.record(empties).varint(2)
                .varint(600_000).varint(0).varint(600_000).varint(0).varint(0).toBytes();
        assertRefused(twoArraysOf600k, "an item of field Direct.value claims 600000 more items that may take no bytes");
    }

    @Test
    void deepRecursionIsRefusedCleanlyInsteadOfOverflowingTheStack() {
        int id = registry.register("chains-value", parse("{\"type\": \"record\", \"name\": \"Link\", \"fields\": ["
                + "{\"name\": \"value\", \"type\": \"int\"}, {\"name\": \"next\", \"type\": [\"null\", \"Link\"]}]}"));
        AvroBytes chain = AvroBytes.record(id);
        for (int i = 0; i < 100_000; i++) {
            chain.varint(i).varint(1);
        }
        assertRefused(chain.varint(0).varint(0).toBytes(), "record Link nests deeper than 128 records, arrays");
    }

    @Test
    void overlongVarintsAreRefused() {
        int id = registry.register("numbers-value", parse("{\"type\": \"record\", \"name\": \"Numbers\", \"fields\": ["
                + "{\"name\": \"small\", \"type\": \"int\"}, {\"name\": \"big\", \"type\": \"long\"}]}"));

        assertRefused(AvroBytes.record(id).repeat(0x80, 5).raw(0x01).varint(0).toBytes(),
                "field Numbers.small has an int varint longer than 5 bytes");
        assertRefused(AvroBytes.record(id).varint(0).repeat(0xff, 10).raw(0x01).toBytes(),
                "field Numbers.big has a varint longer than 10 bytes");
    }

    @Test
    void aClickCutOffAnywhereIsRefusedAndTrailingBytesToo() {
        int id = registry.register("clicks-value", ClickEvent.getClassSchema());
        byte[] complete = AvroBytes.record(id).string("user-1").string("item-1").string("view")
                .varint(1_700_000_000_000L).varint(1).string("session").varint(1).string("web")
                .varint(1).raw(0, 0, 0, 0, 0, 0, 0xf0, 0x3f).toBytes();
        AvroDeserializer<ClickEvent> clicks = new AvroDeserializer<>(ClickEvent.class, registry, CONFIG, false);
        assertThat(clicks.deserialize("clicks", complete).getValue()).isEqualTo(1.0);

        for (int length = WireFormat.HEADER_LENGTH; length < complete.length; length++) {
            byte[] cutOff = Arrays.copyOf(complete, length);
            assertThat(AllocationMeter.run(() -> clicks.deserialize("clicks", cutOff)).thrown())
                    .as("cut off after %d bytes", length)
                    .isInstanceOf(AvroSerdeException.class)
                    .hasMessageContaining("truncated or corrupt");
        }
        byte[] trailing = Arrays.copyOf(complete, complete.length + 2);
        assertThat(AllocationMeter.run(() -> clicks.deserialize("clicks", trailing)).thrown())
                .isInstanceOf(AvroSerdeException.class)
                .hasMessageContaining("2 trailing bytes follow a complete ClickEvent value");
    }

    private void assertRefused(byte[] record, String claim) {
        assertThat(AllocationMeter.run(() -> generic.deserialize("hostile", record)).thrown())
                .isInstanceOf(AvroSerdeException.class)
                .hasMessageContaining(claim)
                .hasMessageContaining("topic=hostile");
    }

    /**
     * Refused, naming the claim, topic, subject and schema id, while the thread allocates less than 1 MiB: a
     * decoder that believed the claim would allocate 64 MiB or more. The first call builds the cached reader.
     */
    private static void assertRefusedCheaply(Deserializer<?> deserializer, String topic, byte[] record,
                                             String claim) {
        AllocationMeter.run(() -> deserializer.deserialize(topic, record));
        AllocationMeter.Outcome outcome = AllocationMeter.run(() -> deserializer.deserialize(topic, record));

        assertThat(outcome.allocatedBytes()).as("bytes allocated while refusing the record").isLessThan(MIB);
        assertThat(outcome.thrown())
                .isInstanceOf(AvroSerdeException.class)
                .hasMessageContaining(claim)
                .hasMessageContaining("topic=" + topic)
                .hasMessageContaining("subject=" + topic + "-value")
                .hasMessageContaining("schemaId=" + WireFormat.schemaId(record));
    }

    /** ModelRelease's fields up to its inline graph: name, version, variant, createdAt. */
    private static AvroBytes releaseHead(int schemaId) {
        return AvroBytes.record(schemaId).string("default").varint(7).string("neumf").varint(1_760_000_000_000L);
    }

    /** ModelRelease's fields up to its item vocabulary: no inline graph, an artifact URI. */
    private static AvroBytes releaseUpToVocabularies(int schemaId) {
        return releaseHead(schemaId).varint(0).varint(1).string("file:///models/7.onnx").string("ab12").varint(50);
    }

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }
}
