package io.streamrec.app.errors;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Input records whose processing failed, by where they were read, shared by every stream thread of one instance.
 *
 * <p>Why it exists: a click must be either fully processed or atomically dead-lettered. When processing throws
 * half-way (after the interaction was counted, before the list was written), the only way to undo the half that
 * happened is to abort the transaction, which {@link RecordFailureHandler} does by failing the stream thread; the
 * task then resumes from its last commit and reads the record again. The record is noted here first, and once it
 * has failed {@code attemptsBeforeQuarantine} times the click intake dead-letters it on the next read, before any
 * state changes. One failure is not enough: the cause may have been passing.
 *
 * <p>Bounded: the oldest entries go first beyond {@code maxEntries} (a record forgotten that way fails again and
 * is noted again). Thread-safe. Lifetime: the instance's; it holds no resources.
 */
public final class FailedRecords {

    /** The Streams configuration key under which the app hands this object to {@link RecordFailureHandler}. */
    public static final String CONFIG_KEY = "streamrec.failed.records";

    /** Where a record was read. Immutable. */
    public record Source(String topic, int partition, long offset) {
        public Source {
            Objects.requireNonNull(topic, "topic");
        }
    }

    /** A record's failures so far. Immutable. */
    private record Failures(int count, Exception lastError) { }

    /**
     * A record to dead-letter: how often it failed and the last error (its dead letter's exception and stack
     * trace). Immutable.
     */
    public record Quarantined(int failures, Exception lastError) {
        /** One line: the root cause's class and message, and the error that carried it. */
        public String describe() {
            return FailedRecords.describe(lastError);
        }
    }

    private final int attemptsBeforeQuarantine;
    private final int maxEntries;
    private final Map<Source, Failures> failures; // guarded by 'this'
    // Read without the lock on every click: the common case is that nothing ever failed.
    private volatile boolean empty = true;

    public FailedRecords(int attemptsBeforeQuarantine, int maxEntries) {
        if (attemptsBeforeQuarantine < 1 || maxEntries < 1) {
            throw new IllegalArgumentException("attemptsBeforeQuarantine and maxEntries must be >= 1");
        }
        this.attemptsBeforeQuarantine = attemptsBeforeQuarantine;
        this.maxEntries = maxEntries;
        this.failures = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Source, Failures> eldest) {
                return size() > FailedRecords.this.maxEntries;
            }
        };
    }

    /** Notes one more failure of the record at {@code source}; returns how many times it has failed. */
    public synchronized int failed(Source source, Exception error) {
        Failures previous = failures.get(source);
        Failures next = new Failures(previous == null ? 1 : previous.count() + 1, error);
        failures.put(source, next);
        empty = false;
        return next.count();
    }

    /**
     * When the record at {@code source} has failed often enough to be quarantined: forgets it and returns its
     * failures, so that the caller dead-letters it. Empty otherwise (process it normally).
     */
    public Optional<Quarantined> takeQuarantined(Source source) {
        if (empty) {
            return Optional.empty();
        }
        synchronized (this) {
            Failures noted = failures.get(source);
            if (noted == null || noted.count() < attemptsBeforeQuarantine) {
                return Optional.empty();
            }
            failures.remove(source);
            empty = failures.isEmpty();
            return Optional.of(new Quarantined(noted.count(), noted.lastError()));
        }
    }

    public int attemptsBeforeQuarantine() {
        return attemptsBeforeQuarantine;
    }

    static String describe(Exception error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getClass().getName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        return root == error ? text : text + " (in " + error.getClass().getSimpleName() + ")";
    }
}
