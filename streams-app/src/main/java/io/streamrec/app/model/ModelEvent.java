package io.streamrec.app.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened to a release in the {@link ModelRegistry}. Immutable.
 *
 * @param at       when
 * @param kind     what happened
 * @param model    model name
 * @param version  release version (for NUMBERING_RESTARTED: the serving version, or -1)
 * @param reason   a short stable label: {@code swapped} for LOADED, the failed check for REJECTED
 *                 (see {@code ReleaseRejectedException.reason()}), {@code not-newer} or {@code pinned} for IGNORED,
 *                 {@code tombstone} for NUMBERING_RESTARTED
 * @param message  a sentence for humans
 * @param loadTime verify + build + warm-up + probe time (zero for IGNORED and NUMBERING_RESTARTED)
 */
public record ModelEvent(Instant at, Kind kind, String model, long version, String reason, String message,
                         Duration loadTime) {

    /** What happened to the release. */
    public enum Kind {
        /** It passed every check and now serves. */
        LOADED,
        /** It failed a check; the previous model keeps serving. */
        REJECTED,
        /** It was not considered: older than what serves, or not the pinned version. */
        IGNORED,
        /**
         * Not a release: a tombstone for the model's name restarted the version numbering, so the next release
         * is taken whatever its version (the serving model stays until then).
         */
        NUMBERING_RESTARTED
    }

    public ModelEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(loadTime, "loadTime");
    }
}
