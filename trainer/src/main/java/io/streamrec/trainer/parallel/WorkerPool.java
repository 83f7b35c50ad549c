package io.streamrec.trainer.parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * A fixed set of worker threads that run numbered tasks in parallel and wait for all of them.
 *
 * <p>Tasks are identified by number, so the caller decides what each number means (a shard of a
 * batch, a block of users); which thread runs a task never affects the result. The calling thread
 * takes part, so a pool of one thread runs everything inline. Safe to share between threads only
 * for one {@link #run} at a time; close it to stop the threads.
 */
public final class WorkerPool implements AutoCloseable {

    private final int threads;
    private final ExecutorService executor;

    /** A pool of {@code threads} workers (the caller counts as one). */
    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1");
        }
        this.threads = threads;
        AtomicInteger counter = new AtomicInteger();
        this.executor = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "trainer-worker-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Number of threads, including the caller. */
    public int threads() {
        return threads;
    }

    /** Runs {@code task(0..tasks-1)} across the workers and returns when all have finished. */
    public void run(int tasks, IntConsumer task) {
        if (tasks <= 0) {
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < tasks; i = next.getAndIncrement()) {
                task.accept(i);
            }
        };
        int helpers = executor == null ? 0 : Math.min(threads, tasks) - 1;
        List<Future<?>> futures = new ArrayList<>(helpers);
        for (int h = 0; h < helpers; h++) {
            futures.add(executor.submit(worker));
        }
        RuntimeException failure = null;
        try {
            worker.run();
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for workers", e);
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
