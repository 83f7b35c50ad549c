package io.streamrec.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.devstack.StoreRecords.ConfigKey;
import io.streamrec.devstack.StoreRecords.ConfigValue;
import io.streamrec.devstack.StoreRecords.Decoded;
import io.streamrec.devstack.StoreRecords.DeleteSubjectKey;
import io.streamrec.devstack.StoreRecords.DeleteSubjectValue;
import io.streamrec.devstack.StoreRecords.OtherKey;
import io.streamrec.devstack.StoreRecords.SchemaKey;
import io.streamrec.devstack.StoreRecords.SchemaValue;
import org.junit.jupiter.api.Test;

class StoreRecordsTest {

    @Test
    void keysAreWrittenExactlyAsConfluentsKafkastoreWritesThem() {
        assertThat(StoreRecords.encodeKey(new SchemaKey("clicks-value", 3)))
                .isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"clicks-value\",\"version\":3,\"magic\":1}");
        assertThat(StoreRecords.encodeKey(new ConfigKey(null)))
                .isEqualTo("{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}");
        assertThat(StoreRecords.encodeKey(new ConfigKey("clicks-value")))
                .isEqualTo("{\"keytype\":\"CONFIG\",\"subject\":\"clicks-value\",\"magic\":0}");
    }

    @Test
    void valuesCarryTheSchemaItsIdAndTheDeletedFlag() {
        String schema = "{\"type\":\"string\"}";
        assertThat(StoreRecords.encodeValue(new SchemaValue("s", 1, 42, schema, false)))
                .isEqualTo("{\"subject\":\"s\",\"version\":1,\"id\":42,\"schema\":\"{\\\"type\\\":\\\"string\\\"}\","
                        + "\"deleted\":false}");
        assertThat(StoreRecords.encodeValue(new ConfigValue(CompatibilityLevel.FULL)))
                .isEqualTo("{\"compatibilityLevel\":\"FULL\"}");
    }

    @Test
    void everyWrittenRecordDecodesToWhatWasWritten() {
        SchemaValue value = new SchemaValue("s", 2, 5, "{\"type\":\"int\"}", true);
        Decoded schema = StoreRecords.decode(StoreRecords.encodeKey(new SchemaKey("s", 2)),
                StoreRecords.encodeValue(value));
        assertThat(schema).isEqualTo(new Decoded(new SchemaKey("s", 2), value));

        Decoded config = StoreRecords.decode(StoreRecords.encodeKey(new ConfigKey(null)),
                StoreRecords.encodeValue(new ConfigValue(CompatibilityLevel.NONE)));
        assertThat(config).isEqualTo(new Decoded(new ConfigKey(null), new ConfigValue(CompatibilityLevel.NONE)));

        Decoded tombstone = StoreRecords.decode(StoreRecords.encodeKey(new SchemaKey("s", 2)), null);
        assertThat(tombstone).isEqualTo(new Decoded(new SchemaKey("s", 2), null));
    }

    @Test
    void recordsWrittenByConfluentWithExtraFieldsAreRead() {
        Decoded schema = StoreRecords.decode(
                "{\"keytype\":\"SCHEMA\",\"subject\":\"orders-value\",\"version\":1,\"magic\":1}",
                "{\"subject\":\"orders-value\",\"version\":1,\"id\":100001,\"schemaType\":\"AVRO\","
                        + "\"references\":[],\"schema\":\"\\\"string\\\"\",\"deleted\":false}");
        assertThat(schema.value()).isEqualTo(new SchemaValue("orders-value", 1, 100001, "\"string\"", false));

        Decoded config = StoreRecords.decode("{\"keytype\":\"CONFIG\",\"subject\":\"orders-value\",\"magic\":0}",
                "{\"subject\":\"orders-value\",\"alias\":null,\"normalize\":null,\"compatibilityLevel\":\"FORWARD\"}");
        assertThat(config.value()).isEqualTo(new ConfigValue(CompatibilityLevel.FORWARD));

        Decoded delete = StoreRecords.decode("{\"keytype\":\"DELETE_SUBJECT\",\"subject\":\"x\",\"magic\":0}",
                "{\"subject\":\"x\",\"version\":4}");
        assertThat(delete).isEqualTo(new Decoded(new DeleteSubjectKey("x"), new DeleteSubjectValue("x", 4)));

        assertThat(StoreRecords.decode("{\"keytype\":\"NOOP\",\"magic\":0}", null).key())
                .isEqualTo(new OtherKey("NOOP"));
        assertThat(StoreRecords.decode("{\"keytype\":\"SCHEMA\",\"subject\":\"p\",\"version\":1,\"magic\":1}",
                "{\"subject\":\"p\",\"version\":1,\"id\":3,\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax\"}").key())
                .isEqualTo(new OtherKey("SCHEMA/PROTOBUF"));
    }

    @Test
    void unreadableRecordsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> StoreRecords.decode("not json", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> StoreRecords.decode("{\"subject\":\"x\"}", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keytype");
        assertThatThrownBy(() -> StoreRecords.decode(
                "{\"keytype\":\"SCHEMA\",\"subject\":\"x\",\"version\":\"one\",\"magic\":1}", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version");
        assertThatThrownBy(() -> StoreRecords.decode("{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}",
                "{\"compatibilityLevel\":\"SIDEWAYS\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SIDEWAYS");
        assertThatThrownBy(() -> StoreRecords.decode(null, "{}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without a key");
    }
}
