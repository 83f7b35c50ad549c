package io.streamrec.schemas.serde;

import java.net.URI;
import java.util.Optional;
import org.apache.kafka.common.KafkaException;

/**
 * A schema registry request failed: either the registry answered with an error (HTTP status and Confluent
 * {@code error_code}), or no configured registry URL could be reached ({@link #unreachable()}).
 */
public final class SchemaRegistryException extends KafkaException {

    private static final long serialVersionUID = 1L;

    /** Confluent error code: subject not found. */
    public static final int SUBJECT_NOT_FOUND = 40401;
    /** Confluent error code: version not found. */
    public static final int VERSION_NOT_FOUND = 40402;
    /** Confluent error code: schema not found. */
    public static final int SCHEMA_NOT_FOUND = 40403;
    /** Confluent error code: incompatible schema (also the HTTP status). */
    public static final int INCOMPATIBLE_SCHEMA = 409;
    /** Confluent error code: invalid schema. */
    public static final int INVALID_SCHEMA = 42201;

    private final int httpStatus;
    private final int errorCode;
    private final transient URI requestUri;

    SchemaRegistryException(String message, int httpStatus, int errorCode, URI requestUri, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
        this.requestUri = requestUri;
    }

    /** HTTP status of the registry's answer, or -1 when it could not be reached. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Confluent's {@code error_code} from the answer's body, or -1 when absent. */
    public int errorCode() {
        return errorCode;
    }

    /** The request that failed, when known. */
    public Optional<URI> requestUri() {
        return Optional.ofNullable(requestUri);
    }

    /** True when no registry URL answered at all (down, refused, timed out). */
    public boolean unreachable() {
        return httpStatus < 0;
    }

    /**
     * True when the failure says nothing about the request itself, so the same request may succeed later: the
     * registry was unreachable or timed out, or answered 408, 429 or a 5xx.
     */
    public boolean transientFailure() {
        return unreachable() || httpStatus == 408 || httpStatus == 429 || httpStatus >= 500;
    }

    /** True for a 404 answer: the subject, version or schema id does not exist. */
    public boolean notFound() {
        return httpStatus == 404;
    }
}
