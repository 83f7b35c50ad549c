package io.streamrec.devstack;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Confluent's schema compatibility levels. BACKWARD: a consumer on the new schema reads data written with the
 * old one; FORWARD: a consumer on the old schema reads data written with the new one; FULL: both. A level
 * checks the newest live version only; its {@code _TRANSITIVE} twin checks every live version.
 */
enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    /** The level of a registry nobody configured, as in Confluent. */
    static final CompatibilityLevel DEFAULT = BACKWARD;

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /** The new schema must read data written with the old ones. */
    boolean backward() {
        return backward;
    }

    /** The old schemas must read data written with the new one. */
    boolean forward() {
        return forward;
    }

    /** Checked against every live version, not only the newest. */
    boolean transitive() {
        return transitive;
    }

    /** The level of that name, ignoring case (Confluent accepts {@code "full"} too), or empty. */
    static Optional<CompatibilityLevel> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String upper = name.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(level -> level.name().equals(upper)).findFirst();
    }

    /** The names, for error messages. */
    static String validNames() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
