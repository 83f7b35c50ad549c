package io.streamrec.app.topology;

import java.time.Duration;

/**
 * Sends dead letters for a processor that cannot forward them to a sink: the models topic's global store
 * processor (Kafka Streams gives a global processor no children). The app creates one, hands it to
 * {@link RecommenderTopology#build} and closes it when it stops.
 *
 * <p>Closing it also tells that processor the app is stopping: a processor waiting out a schema registry
 * outage ({@link #awaitClose}) stops waiting, so close it before Kafka Streams, or Kafka Streams' close would
 * wait for the outage to end.
 *
 * <p>Implementations are thread-safe.
 */
public interface GlobalDeadLetterSender extends AutoCloseable {

    /**
     * Sends the letter, possibly asynchronously. Never throws: a letter that cannot be sent (the sender is
     * closed, the broker refuses it) is logged.
     *
     * @param timestamp the refused record's timestamp, kept for the letter
     */
    void send(DeadLetters.Letter letter, long timestamp);

    /**
     * Waits until this sender is closed or the timeout has passed.
     *
     * @return true when closed: the app is stopping
     */
    boolean awaitClose(Duration timeout) throws InterruptedException;

    /** Stops sending (letters still buffered are delivered first) and wakes whoever waits in {@link #awaitClose}. */
    @Override
    void close();
}
