package io.streamrec.schemas;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The event types a {@code ClickEvent.eventType} may carry. The field is a string on the wire so that an
 * unknown type reaches the streams app (which dead-letters it with a reason) instead of failing Avro decoding.
 */
public enum EventType {
    VIEW, CLICK, ADD_TO_CART, PURCHASE, RATING;

    /** The wire name, e.g. {@code add_to_cart}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type with this wire name (exact, lower case), if it is one. */
    public static Optional<EventType> fromWireName(String wireName) {
        return Arrays.stream(values()).filter(type -> type.wireName().equals(wireName)).findFirst();
    }
}
