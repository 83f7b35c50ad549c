package io.streamrec.schemas.serde;

import java.util.Objects;
import org.apache.avro.Schema;

/**
 * One version of a subject as the registry holds it. Immutable.
 *
 * @param subject the subject, e.g. {@code clicks-value}
 * @param id      the global schema id written into each record's wire-format header
 * @param version the version within the subject, from 1
 * @param schema  the parsed Avro schema
 */
public record RegisteredSchema(String subject, int id, int version, Schema schema) {
    public RegisteredSchema {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
    }
}
