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
 * @param version  release version
 * @param reason   a short stable label: {@code swapped} for LOADED, the failed check for REJECTED
 *                 (see {@code ReleaseRejectedException.reason()}), {@code not-newer} or {@code pinned} for IGNORED
 * @param message  a sentence for humans
 * @param loadTime verify + build + warm-up + probe time (zero for IGNORED)
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
        IGNORED
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
