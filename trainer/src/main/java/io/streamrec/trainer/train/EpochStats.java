package io.streamrec.trainer.train;

import io.streamrec.trainer.eval.RankingMetrics;

/**
 * What one epoch did.
 *
 * @param epoch      1-based epoch number
 * @param loss       mean log loss over the epoch's samples
 * @param seconds    wall-clock time of the training pass (validation excluded)
 * @param samples    samples (positives and negatives) trained on
 * @param validation validation metrics after the epoch, or {@code null} without validation
 */
public record EpochStats(int epoch, double loss, double seconds, long samples, RankingMetrics validation) {

    /** Training throughput. */
    public double samplesPerSecond() {
        return samples / seconds;
    }
}
