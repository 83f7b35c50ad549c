package io.streamrec.app.http;

/**
 * A request the API answers with an error status and a JSON error body ({@code {"error": ..., "status": ...}}).
 * Thrown by parsing and routing; caught once, by the handler, which renders it.
 */
public final class ApiException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The HTTP status. */
    private final int status;

    public ApiException(int status, String message) {
        super(message, null, false, false); // an expected answer, not a failure: no stack trace to fill
        this.status = status;
    }

    public int status() {
        return status;
    }
}
