package io.streamrec.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.devstack.StoreRecords.ConfigKey;
import io.streamrec.devstack.StoreRecords.ConfigValue;
import io.streamrec.devstack.StoreRecords.DeleteSubjectKey;
import io.streamrec.devstack.StoreRecords.DeleteSubjectValue;
import io.streamrec.devstack.StoreRecords.SchemaKey;
import io.streamrec.devstack.StoreRecords.SchemaValue;
import org.junit.jupiter.api.Test;

class RegistryStateTest {

    private final RegistryState state = new RegistryState();

    private void put(String subject, int version, int id, String schema, boolean deleted) {
        state.apply(new SchemaKey(subject, version), new SchemaValue(subject, version, id, schema, deleted));
    }

    @Test
    void anEmptyStateHasNothingAndStartsIdsAndVersionsAtOne() {
        assertThat(state.subjects(true)).isEmpty();
        assertThat(state.nextId()).isEqualTo(1);
        assertThat(state.nextVersion("s")).isEqualTo(1);
        assertThat(state.globalLevel()).isEqualTo(CompatibilityLevel.BACKWARD);
        assertThat(state.schemaById(1)).isEmpty();
    }

    @Test
    void theSameSchemaInTwoSubjectsIsOneId() {
        put("a", 1, 1, "\"string\"", false);
        put("b", 1, 1, "\"string\"", false);
        put("b", 2, 2, "\"int\"", false);
        assertThat(state.idOf("\"string\"")).hasValue(1);
        assertThat(state.subjectsOf(1, false)).containsExactly("a", "b");
        assertThat(state.nextId()).isEqualTo(3);
        assertThat(state.latest("b", false)).map(SchemaValue::id).contains(2);
        assertThat(state.find("b", "\"string\"", false)).map(SchemaValue::version).contains(1);
    }

    @Test
    void softDeletedVersionsLeaveListingsButKeepTheirIdsAndVersionNumbers() {
        put("s", 1, 1, "\"string\"", false);
        put("s", 2, 2, "\"int\"", false);
        put("s", 2, 2, "\"int\"", true);
        assertThat(state.versions("s", false)).extracting(SchemaValue::version).containsExactly(1);
        assertThat(state.versions("s", true)).extracting(SchemaValue::version).containsExactly(1, 2);
        assertThat(state.schemaById(2)).contains("\"int\"");
        assertThat(state.nextVersion("s")).isEqualTo(3);
        put("s", 1, 1, "\"string\"", true);
        assertThat(state.subjects(false)).isEmpty();
        assertThat(state.subjects(true)).containsExactly("s");
        assertThat(state.hasSubject("s", false)).isFalse();
    }

    @Test
    void tombstonesRemoveVersionsAndAnIdOnceNothingUsesIt() {
        put("s", 1, 1, "\"string\"", true);
        put("t", 1, 1, "\"string\"", false);
        state.apply(new SchemaKey("s", 1), null);
        assertThat(state.subjects(true)).containsExactly("t");
        assertThat(state.schemaById(1)).contains("\"string\"");
        state.apply(new SchemaKey("t", 1), null);
        assertThat(state.schemaById(1)).isEmpty();
        assertThat(state.idOf("\"string\"")).isEmpty();
        assertThat(state.nextVersion("t")).isEqualTo(1);
        assertThat(state.nextId()).as("ids are not reused within a process").isEqualTo(2);
    }

    @Test
    void configsAreGlobalOrPerSubjectAndATombstoneRevertsThem() {
        state.apply(new ConfigKey(null), new ConfigValue(CompatibilityLevel.FULL));
        state.apply(new ConfigKey("s"), new ConfigValue(CompatibilityLevel.NONE));
        assertThat(state.effectiveLevel("s")).isEqualTo(CompatibilityLevel.NONE);
        assertThat(state.effectiveLevel("other")).isEqualTo(CompatibilityLevel.FULL);
        state.apply(new ConfigKey("s"), null);
        assertThat(state.subjectLevel("s")).isEmpty();
        assertThat(state.effectiveLevel("s")).isEqualTo(CompatibilityLevel.FULL);
        state.apply(new ConfigKey(null), null);
        assertThat(state.globalLevel()).isEqualTo(CompatibilityLevel.DEFAULT);
    }

    @Test
    void confluentsDeleteSubjectRecordSoftDeletesVersionsUpToItsVersion() {
        put("s", 1, 1, "\"string\"", false);
        put("s", 2, 2, "\"int\"", false);
        put("s", 3, 3, "\"long\"", false);
        state.apply(new DeleteSubjectKey("s"), new DeleteSubjectValue("s", 2));
        assertThat(state.versions("s", false)).extracting(SchemaValue::version).containsExactly(3);
    }
}
