package io.streamrec.schemas.evolution;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.avro.ClickEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/**
 * The rule that lets producers and consumers upgrade independently: adding an optional field (a union with
 * null, default null) to ClickEvent is compatible in both directions, and data crosses versions both ways.
 */
class SchemaEvolutionTest {

    private static final Schema V1 = ClickEvent.getClassSchema();
    private static final Schema V2_WITH_OPTIONAL_FIELD = withExtraField(
            "{\"name\": \"referrer\", \"type\": [\"null\", \"string\"], \"default\": null}");
    private static final Schema V2_WITH_REQUIRED_FIELD = withExtraField(
            "{\"name\": \"referrer\", \"type\": \"string\"}");

    @Test
    void anOptionalFieldIsBackwardAndForwardCompatible() {
        // Backward: a consumer on the new schema reads data written with the old one.
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(V2_WITH_OPTIONAL_FIELD, V1).getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        // Forward: a consumer still on the old schema reads data written with the new one.
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(V1, V2_WITH_OPTIONAL_FIELD).getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @Test
    void aRequiredFieldWithoutDefaultIsNotBackwardCompatible() {
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(V2_WITH_REQUIRED_FIELD, V1).getType())
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    @Test
    void oldRecordsReadWithTheNewSchema() throws IOException {
        ClickEvent old = ClickEvent.newBuilder()
                .setUserId("u1").setItemId("i9").setEventType("click")
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_123L)).setSessionId("s1")
                .build();
        byte[] bytes = encode(new SpecificDatumWriter<>(V1, SpecificData.getForSchema(V1)), old);

        GenericRecord read = new GenericDatumReader<GenericRecord>(V1, V2_WITH_OPTIONAL_FIELD)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, null));

        assertThat(read.get("userId")).hasToString("u1");
        assertThat(read.get("itemId")).hasToString("i9");
        assertThat(read.get("eventTime")).isEqualTo(1_700_000_000_123L);
        assertThat(read.get("sessionId")).hasToString("s1");
        assertThat(read.get("referrer")).isNull();
    }

    @Test
    void newRecordsReadWithTheOldSchema() throws IOException {
        GenericRecord newer = new GenericData.Record(V2_WITH_OPTIONAL_FIELD);
        newer.put("userId", "u2");
        newer.put("itemId", "i3");
        newer.put("eventType", "purchase");
        newer.put("eventTime", 1_700_000_000_999L);
        newer.put("sessionId", null);
        newer.put("client", "ios");
        newer.put("value", 4.5);
        newer.put("referrer", "newsletter");
        byte[] bytes = encode(new GenericDatumWriter<>(V2_WITH_OPTIONAL_FIELD), newer);

        ClickEvent read = new SpecificDatumReader<ClickEvent>(V2_WITH_OPTIONAL_FIELD, V1, SpecificData.getForSchema(V1))
                .read(null, DecoderFactory.get().binaryDecoder(bytes, null));

        assertThat(read.getUserId()).isEqualTo("u2");
        assertThat(read.getItemId()).isEqualTo("i3");
        assertThat(read.getEventType()).isEqualTo("purchase");
        assertThat(read.getEventTime()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_999L));
        assertThat(read.getClient()).isEqualTo("ios");
        assertThat(read.getValue()).isEqualTo(4.5);
    }

    private static <T> byte[] encode(org.apache.avro.io.DatumWriter<T> writer, T record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** ClickEvent's schema with one more field at the end, as a producer team would evolve it. */
    static Schema withExtraField(String fieldJson) {
        String v1 = V1.toString();
        String v2 = v1.substring(0, v1.lastIndexOf(']')) + "," + fieldJson + "]}";
        return new Schema.Parser().parse(v2);
    }
}
