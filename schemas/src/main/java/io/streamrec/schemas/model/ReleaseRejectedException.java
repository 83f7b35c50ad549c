package io.streamrec.schemas.model;

/**
 * A model release failed a check and must not serve. The message says which check and why; {@link #reason()}
 * is a short stable label for metrics and events ({@code signature}, {@code checksum}, {@code signature-missing},
 * {@code unknown-key}, {@code artifact}, {@code graph}, {@code probe}, {@code vocabulary}, ...).
 */
public final class ReleaseRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String reason;

    public ReleaseRejectedException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ReleaseRejectedException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** A short, stable label of the failed check. */
    public String reason() {
        return reason;
    }
}
