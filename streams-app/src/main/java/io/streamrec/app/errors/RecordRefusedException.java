package io.streamrec.app.errors;

/**
 * Names, in a dead letter's exception header, a record that one of streamrec's checks refused (an invalid click,
 * a release whose key is not its name, ...) where nothing threw: the check's message is its message. Never
 * thrown; it has no stack trace, so its trace header is its one line.
 */
public final class RecordRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RecordRefusedException(String message) {
        super(message, null, false, false);
    }
}
