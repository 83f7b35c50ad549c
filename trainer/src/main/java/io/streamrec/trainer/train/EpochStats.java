package io.streamrec.trainer.train;

import io.streamrec.trainer.eval.RankingMetrics;

/**
 * What one epoch did.
 *
 * @param epoch      1-based epoch number
 * @param loss       mean log loss over the epoch's samples
 * @param seconds    wall-clock time of the training pass (validation excluded)
 * @param cpuSeconds CPU time the whole process used during the training pass (all threads), a
 *                   figure that other processes on a shared machine disturb far less than wall time
 * @param samples    samples (positives and negatives) trained on
 * @param validation validation metrics after the epoch, or {@code null} without validation
 */
public record EpochStats(int epoch, double loss, double seconds, double cpuSeconds, long samples,
                         RankingMetrics validation) {

    /** Training throughput. */
    public double samplesPerSecond() {
        return samples / seconds;
    }
}
