package io.streamrec.app.topology;

import io.streamrec.avro.ClickEvent;
import io.streamrec.schemas.EventType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a decoded click may enter the pipeline. Immutable and thread-safe.
 */
public final class ClickValidator {

    /** Why a click was refused: a short stable label and a sentence. */
    public record Violation(String reason, String message) { }

    private final int maxIdBytes;
    private final Duration maxFutureSkew;

    public ClickValidator(int maxIdBytes, Duration maxFutureSkew) {
        this.maxIdBytes = maxIdBytes;
        this.maxFutureSkew = Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
    }

    /** The first rule the click breaks, if any; {@code now} is the app's clock. */
    public Optional<Violation> check(String key, ClickEvent click, Instant now) {
        Optional<Violation> id = checkId("userId", click.getUserId());
        if (id.isPresent()) {
            return id;
        }
        id = checkId("itemId", click.getItemId());
        if (id.isPresent()) {
            return id;
        }
        if (!click.getUserId().equals(key)) {
            return Optional.of(new Violation("key-mismatch", "record key " + (key == null ? "null" : "'" + key + "'")
                    + " is not the click's userId '" + click.getUserId() + "': clicks must be keyed by user id so a"
                    + " user's clicks meet their history on one partition"));
        }
        if (EventType.fromWireName(click.getEventType()).isEmpty()) {
            return Optional.of(new Violation("unknown-event-type", "event type '" + click.getEventType()
                    + "' is not one of view, click, add_to_cart, purchase, rating"));
        }
        Instant latestAccepted = now.plus(maxFutureSkew);
        if (click.getEventTime().isAfter(latestAccepted)) {
            return Optional.of(new Violation("future-event-time", "event time " + click.getEventTime()
                    + " is more than " + maxFutureSkew + " ahead of the app's clock (" + now + ")"));
        }
        return Optional.empty();
    }

    /** Whether a user id (e.g. the key of a forget request) is one a click could carry. */
    public Optional<Violation> checkUserId(String userId) {
        if (userId == null) {
            return Optional.of(new Violation("null-key", "the record has no key"));
        }
        return checkId("userId", userId);
    }

    private Optional<Violation> checkId(String field, String value) {
        if (value.isBlank()) {
            return Optional.of(new Violation("blank-id", field + " is blank"));
        }
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxIdBytes) {
            return Optional.of(new Violation("oversize-id", field + " is " + bytes + " bytes, longer than the "
                    + maxIdBytes + "-byte limit (validation.max.id.bytes)"));
        }
        return Optional.empty();
    }
}
