package io.streamrec.app.http;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor of one listener. The JDK server hands it one task per request, which reads the request line and
 * headers (blocking reads) and then runs the handler. This executor bounds how many run and how many wait:
 * <ul>
 *   <li>at most {@code threads} run at once and {@code queueSize} wait, first come first served;</li>
 *   <li>a request that finds the queue full goes to the overflow, a thread that reads it and answers 503 at once
 *       ({@link Admission#overflowed()}), so the client learns at once to retry rather than after a timeout;</li>
 *   <li>when the overflow's own queue is full too, the request is refused: the JDK server then closes the
 *       connection unanswered (counted in {@code streamrec.http.dropped}).</li>
 * </ul>
 * Each request runs with its {@link Admission}, which the listener reads on the same thread.
 *
 * <p>Thread-safe. Lifetime: close once the server has stopped.
 */
final class BoundedExecutor implements Executor, AutoCloseable {

    /** Answering 503 takes microseconds once a request is read: two threads keep up with a flood. */
    private static final int OVERFLOW_THREADS = 2;
    /** Absorbs a burst of excess requests; a flood beyond it gets its connections closed. */
    private static final int OVERFLOW_QUEUE = 64;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    /**
     * How a request entered the executor: when, and whether through the overflow. Whether it reached the handler
     * is marked by the listener. Confined to the thread that runs the request.
     */
    static final class Admission {

        private final long admittedAtNanos;
        private final boolean overflowed;
        private boolean handled;

        Admission(long admittedAtNanos, boolean overflowed) {
            this.admittedAtNanos = admittedAtNanos;
            this.overflowed = overflowed;
        }

        /** When the request was handed to the executor, in {@link System#nanoTime()} terms. */
        long admittedAtNanos() {
            return admittedAtNanos;
        }

        /** True when every thread was busy and the queue full: the request is to be answered 503 at once. */
        boolean overflowed() {
            return overflowed;
        }

        /** Marks that the server read the request and called the listener's handler. */
        void markHandled() {
            handled = true;
        }

        boolean handled() {
            return handled;
        }
    }

    private final String listener;
    private final HttpMetrics metrics;
    private final ThreadPoolExecutor workers;
    private final ThreadPoolExecutor overflow;
    private final ThreadLocal<Admission> current = new ThreadLocal<>();

    /**
     * @param listener  the listener's name, for thread names and the meters' {@code listener} tag
     * @param queueSize requests that may wait for a thread; 0: none
     */
    BoundedExecutor(String listener, int threads, int queueSize, HttpMetrics metrics) {
        this.listener = listener;
        this.metrics = metrics;
        BlockingQueue<Runnable> queue = queueSize == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queueSize);
        this.workers = pool("streamrec-http-" + listener + "-", threads, queue);
        this.overflow = pool("streamrec-http-" + listener + "-overflow-", OVERFLOW_THREADS,
                new ArrayBlockingQueue<>(OVERFLOW_QUEUE));
        metrics.bindThreads(listener, workers);
    }

    private static ThreadPoolExecutor pool(String namePrefix, int threads, BlockingQueue<Runnable> queue) {
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, queue, runnable -> {
            Thread thread = new Thread(runnable, namePrefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void execute(Runnable request) {
        long admittedAt = System.nanoTime();
        try {
            workers.execute(() -> run(request, new Admission(admittedAt, false)));
        } catch (RejectedExecutionException full) {
            try {
                overflow.execute(() -> run(request, new Admission(admittedAt, true)));
            } catch (RejectedExecutionException alsoFull) {
                metrics.dropped(listener);
                throw alsoFull;
            }
        }
    }

    private void run(Runnable request, Admission admission) {
        current.set(admission);
        try {
            request.run();
        } finally {
            current.remove();
            if (!admission.handled()) {
                metrics.incomplete(listener);
            }
        }
    }

    /**
     * The admission of the request the calling thread runs.
     *
     * @throws IllegalStateException when called outside a request of this executor (a bug)
     */
    Admission current() {
        Admission admission = current.get();
        if (admission == null) {
            throw new IllegalStateException("not on a request thread of the " + listener + " listener");
        }
        return admission;
    }

    @Override
    public void close() {
        workers.shutdown();
        overflow.shutdown();
        try {
            if (!workers.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                    || !overflow.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
                overflow.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            overflow.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
