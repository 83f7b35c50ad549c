package io.streamrec.trainer.report;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * The peak heap of a stretch of work, from the JVM's heap memory pools: {@link #reset()} at its start,
 * {@link #bytes()} at its end. The figure is the sum of the pools' own peaks, an upper bound on the peak of their
 * sum, garbage included. JVM-wide: concurrent work in the same process counts too.
 */
public final class PeakHeap {

    private PeakHeap() {
    }

    /** Starts a new measurement. */
    public static void reset() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** The sum of the heap pools' peaks since the last {@link #reset()}. */
    public static long bytes() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
