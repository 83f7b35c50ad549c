package io.streamrec.devstack;

/**
 * A local-stack component could not start or run, for a reason the user can act on (a busy port, an unusable
 * data directory, a broker that never became ready). The message names the port, directory or component;
 * the command line prints it without a stack trace.
 */
public class DevStackException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DevStackException(String message) {
        super(message);
    }

    public DevStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
