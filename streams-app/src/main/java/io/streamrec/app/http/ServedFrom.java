package io.streamrec.app.http;

import java.util.Locale;

/**
 * Which copy of a user's store partition computed a per-user answer: the {@link #ACTIVE} task's store, this
 * instance's {@link #STANDBY} replica, or the active task's own store while it is still {@link #RESTORING} (or
 * migrating) and not yet queryable as active. Only the active copy is current; the other two may trail it by
 * their changelog lag.
 */
public enum ServedFrom {
    ACTIVE,
    STANDBY,
    RESTORING;

    /** The lower-case name: the header value, the JSON field and the meter tag. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
