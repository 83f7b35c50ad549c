package io.streamrec.schemas.serde;

import static org.assertj.core.api.Assertions.catchThrowable;

import java.lang.management.ManagementFactory;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Measures what the current thread allocates while it runs an action, with HotSpot's per-thread allocation
 * counter: exact for the thread, blind to other threads, so tests may compare it against a bound.
 */
final class AllocationMeter {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /**
     * What an action threw (null if nothing) and how many bytes the thread allocated while it ran.
     *
     * @param thrown         the throwable, or null
     * @param allocatedBytes bytes allocated by the current thread during the action
     */
    record Outcome(Throwable thrown, long allocatedBytes) { }

    private AllocationMeter() {
    }

    static Outcome run(ThrowingCallable action) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        Throwable thrown = catchThrowable(action);
        return new Outcome(thrown, THREADS.getCurrentThreadAllocatedBytes() - before);
    }
}
