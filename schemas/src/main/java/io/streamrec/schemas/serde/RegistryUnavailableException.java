package io.streamrec.schemas.serde;

import org.apache.kafka.common.errors.RetriableException;

/**
 * A serde could not reach a working schema registry: no URL answered, a request timed out, or the registry
 * answered with a server-side error (5xx, 408, 429). Nothing is known to be wrong with the record, so this is
 * deliberately not a {@link org.apache.kafka.common.errors.SerializationException}: a caller that dead-letters
 * undecodable records must instead retry the same record later (back off, or fail the task so that it resumes
 * from the last committed offset).
 */
public final class RegistryUnavailableException extends RetriableException {

    private static final long serialVersionUID = 1L;

    public RegistryUnavailableException(String message, SchemaRegistryException cause) {
        super(message, cause);
    }
}
