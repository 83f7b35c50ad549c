package io.streamrec.schemas.serde;

import java.util.OptionalInt;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A record could not be serialized or deserialized. The message and the accessors name the topic, the
 * subject and, when it was known, the schema id, so a dead-letter entry or a log line says exactly which
 * contract was broken.
 */
public final class AvroSerdeException extends SerializationException {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final String subject;
    private final Integer schemaId;

    AvroSerdeException(String problem, String topic, String subject, Integer schemaId, Throwable cause) {
        super(problem + " [topic=" + topic + ", subject=" + subject
                + ", schemaId=" + (schemaId == null ? "unknown" : schemaId) + "]", cause);
        this.topic = topic;
        this.subject = subject;
        this.schemaId = schemaId;
    }

    public String topic() {
        return topic;
    }

    public String subject() {
        return subject;
    }

    /** The schema id from the record header or the registry, when the failure happened after it was known. */
    public OptionalInt schemaId() {
        return schemaId == null ? OptionalInt.empty() : OptionalInt.of(schemaId);
    }
}
