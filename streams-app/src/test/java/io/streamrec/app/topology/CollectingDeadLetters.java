package io.streamrec.app.topology;

import io.streamrec.app.errors.DeadLetterHeaders;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A {@link GlobalDeadLetterSender} for tests: keeps every letter, in order. */
public final class CollectingDeadLetters implements GlobalDeadLetterSender {

    private final List<DeadLetters.Letter> letters = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public void send(DeadLetters.Letter letter, long timestamp) {
        letters.add(letter);
    }

    @Override
    public boolean awaitClose(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        closed.countDown();
    }

    /** The letters sent so far, oldest first. */
    public List<DeadLetters.Letter> letters() {
        return List.copyOf(letters);
    }

    /** The reason header of each letter sent so far. */
    public List<String> reasons() {
        return letters.stream().map(letter -> DeadLetters.header(letter.headers(), DeadLetterHeaders.REASON)).toList();
    }
}
