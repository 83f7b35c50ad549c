package io.streamrec.schemas.evolution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import io.streamrec.schemas.evolution.SchemaHistory.SchemaFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The repository's own schemas against every released version of them ({@link EvolutionCheck} says what the rule
 * is and why). The released copies are under {@code schemas/src/test/resources/released/<version>/}, one
 * {@code .avsc} per schema as that release shipped it. The schema files have not changed since they were written,
 * so the one version, 0.1.0 (the version the project builds), holds today's files; when a release ships, copy its
 * {@code schemas/src/main/avro} there under the release's version and never edit a released copy again. A schema added since the last release has no
 * released copy and nothing yet to stay compatible with; a released copy without a current schema fails.
 */
class SchemaEvolutionTest {

    private static final String CLICK_EVENT = "io.streamrec.avro.ClickEvent";

    @TestFactory
    Stream<DynamicTest> everyReleasedSchemaAndItsCurrentVersionReadEachOthersRecords() throws IOException {
        SchemaHistory history = SchemaHistory.ofRepository();
        assertThat(history.released()).as("released copies in " + SchemaHistory.RELEASED_DIRECTORY).isNotEmpty();
        return history.released().stream().map(released -> DynamicTest.dynamicTest(released.label(), () ->
                assertThat(EvolutionCheck.problems(history, released)).as(released.path().toString()).isEmpty()));
    }

    @Test
    void aRequiredFieldAddedWithoutADefaultIsRejected() throws IOException {
        SchemaHistory history = SchemaHistory.ofRepository();
        Schema changed = withFields(current(history, CLICK_EVENT), fields -> fields.add(
                new Schema.Field("referrer", Schema.create(Schema.Type.STRING), "Where the click came from.")));

        // Old click records have no referrer for a new consumer to read; an old consumer ignores the new field.
        assertThat(EvolutionCheck.problems(changed, released(history, CLICK_EVENT)))
                .singleElement(STRING).startsWith("backward")
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE", "referrer");
    }

    @Test
    void aRequiredFieldRemovedIsRejected() throws IOException {
        SchemaHistory history = SchemaHistory.ofRepository();
        Schema changed = withFields(current(history, CLICK_EVENT),
                fields -> fields.removeIf(field -> field.name().equals("itemId")));

        // A consumer still on the released schema needs the item id that new click records no longer carry.
        assertThat(EvolutionCheck.problems(changed, released(history, CLICK_EVENT)))
                .singleElement(STRING).startsWith("forward")
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE", "itemId");
    }

    @Test
    void anOptionalFieldWithANullDefaultIsAccepted() throws IOException {
        // The rule's one allowed change, so the check above cannot pass by rejecting everything.
        SchemaHistory history = SchemaHistory.ofRepository();
        Schema changed = withFields(current(history, CLICK_EVENT), fields -> fields.add(new Schema.Field("referrer",
                Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
                "Where the click came from.", Schema.Field.NULL_DEFAULT_VALUE)));

        assertThat(EvolutionCheck.problems(changed, released(history, CLICK_EVENT))).isEmpty();
    }

    @Test
    void aReleasedSchemaWithoutACurrentOneFailsByName() throws IOException {
        SchemaHistory history = SchemaHistory.ofRepository();
        Map<String, SchemaFile> current = new TreeMap<>(history.current());
        current.remove(CLICK_EVENT);
        SchemaHistory withoutClickEvent = new SchemaHistory(current, history.released());
        SchemaFile released = releasedFile(history, CLICK_EVENT);

        assertThat(EvolutionCheck.problems(withoutClickEvent, released)).singleElement(STRING)
                .contains(released.path().toString(), CLICK_EVENT, "has no current schema");
    }

    private static Schema current(SchemaHistory history, String fullName) {
        assertThat(history.current()).as("current schemas").containsKey(fullName);
        return history.current().get(fullName).schema();
    }

    private static Schema released(SchemaHistory history, String fullName) {
        return releasedFile(history, fullName).schema();
    }

    private static SchemaFile releasedFile(SchemaHistory history, String fullName) {
        return history.released().stream().filter(file -> file.fullName().equals(fullName)).findFirst()
                .orElseThrow(() -> new AssertionError("no released copy of " + fullName));
    }

    /** The record with its fields changed, as a producer team would evolve it. */
    private static Schema withFields(Schema record, Consumer<List<Schema.Field>> change) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : record.getFields()) {
            fields.add(new Schema.Field(field, field.schema()));
        }
        change.accept(fields);
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }
}
