package io.streamrec.demo.chaos;

import java.util.Map;
import java.util.NavigableMap;

/**
 * How quickly latency recovered from a fault, from the p99 of each bucket of send time: how long after the first
 * fault p99 got back under twice its steady value and stayed there for {@value #STAYS_BUCKETS} buckets, and how
 * many seconds after the fault in all it was above (a later event, such as a restarted instance rejoining, adds
 * to the second figure, not the first). Immutable.
 *
 * @param backUnderSeconds from the first fault until p99 was back under twice the steady value; NaN without a
 *                         fault, infinite when it never got back
 * @param secondsAbove     seconds of send time after the first fault whose p99 was above twice the steady value
 */
record Recovery(double backUnderSeconds, double secondsAbove) {

    /** Buckets p99 must stay under the threshold for to count as back. */
    static final int STAYS_BUCKETS = 5;

    static Recovery of(NavigableMap<Double, Double> p99ByBucketStart, double bucketSeconds, double steadyP99,
                       double firstFaultSeconds) {
        if (Double.isNaN(firstFaultSeconds)) {
            return new Recovery(Double.NaN, Double.NaN);
        }
        double threshold = 2 * steadyP99;
        NavigableMap<Double, Double> after = p99ByBucketStart.tailMap(firstFaultSeconds - bucketSeconds, false);
        double above = 0;
        double backUnder = Double.POSITIVE_INFINITY;
        int underInARow = 0;
        double runStart = Double.NaN;
        for (Map.Entry<Double, Double> bucket : after.entrySet()) {
            if (bucket.getValue() > threshold) {
                above += bucketSeconds;
                underInARow = 0;
                continue;
            }
            if (underInARow++ == 0) {
                runStart = bucket.getKey();
            }
            if (underInARow == STAYS_BUCKETS && Double.isInfinite(backUnder)) {
                backUnder = Math.max(0, runStart - firstFaultSeconds);
            }
        }
        return new Recovery(backUnder, above);
    }
}
