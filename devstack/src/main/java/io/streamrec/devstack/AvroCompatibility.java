package io.streamrec.devstack;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityResult;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * Decides whether a candidate schema may join a subject under a {@link CompatibilityLevel}, with Avro's own
 * reader/writer resolution rules ({@link SchemaCompatibility}). Stateless and thread-safe.
 */
final class AvroCompatibility {

    /** One earlier live version of the subject. */
    record Previous(int version, Schema schema) {
    }

    private AvroCompatibility() {
    }

    /**
     * The reasons the candidate is incompatible, in Confluent's verbose message style; empty when it is
     * compatible.
     *
     * @param previous the subject's live versions, oldest first
     */
    static List<String> check(CompatibilityLevel level, Schema candidate, List<Previous> previous) {
        if (level == CompatibilityLevel.NONE || previous.isEmpty()) {
            return List.of();
        }
        List<Previous> against = level.transitive() ? previous : List.of(previous.get(previous.size() - 1));
        List<String> messages = new ArrayList<>();
        // Newest first: the most relevant conflict is reported first.
        for (int i = against.size() - 1; i >= 0; i--) {
            Previous old = against.get(i);
            List<String> found = new ArrayList<>();
            if (level.backward()) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, old.schema()).getResult(),
                        "the new schema cannot read data written with version " + old.version(), found);
            }
            if (level.forward()) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(old.schema(), candidate).getResult(),
                        "version " + old.version() + " cannot read data written with the new schema", found);
            }
            if (!found.isEmpty()) {
                messages.addAll(found);
                messages.add("{oldSchemaVersion: " + old.version() + "}");
                messages.add("{oldSchema: '" + old.schema() + "'}");
            }
        }
        if (!messages.isEmpty()) {
            messages.add("{compatibility: '" + level.name() + "'}");
        }
        return List.copyOf(messages);
    }

    private static void describe(SchemaCompatibilityResult result, String direction, List<String> into) {
        if (result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        for (Incompatibility incompatibility : result.getIncompatibilities()) {
            into.add("{errorType:'" + incompatibility.getType() + "', description:'" + direction + ": "
                    + incompatibility.getMessage() + " at path '" + incompatibility.getLocation() + "''"
                    + ", additionalInfo:'" + incompatibility.getMessage() + "'}");
        }
    }
}
