package io.streamrec.demo.load;

import java.util.Optional;

/** Where replayed clicks come from, in the order they are sent. Not thread-safe; one replayer reads it. */
@FunctionalInterface
public interface ClickSource {

    /** One click to send: who clicked what. */
    record Click(String userId, String itemId, String eventType) { }

    /** The next click, or empty when the source is exhausted. */
    Optional<Click> next();
}
