package io.streamrec.demo.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a demo run goes. Immutable.
 *
 * @param directory      where the run keeps the broker data, keys, state and reports (wiped at start)
 * @param data           a MovieLens {@code ratings.dat} / {@code u.data} file or an NCF split directory; empty
 *                       for the built-in synthetic dataset
 * @param syntheticUsers size of the synthetic dataset (users)
 * @param syntheticItems size of the synthetic dataset (items)
 * @param replayFraction the newest share of each user's sequence replayed as live clicks
 * @param clicksPerSecond replay rate
 * @param duration       how long clicks are replayed
 * @param retrainAfter   when (after the replay starts) the trainer service is asked to refit
 * @param brokerPort     Kafka port (0 = free)
 * @param registryPort   schema registry port (0 = free)
 * @param httpPort       streams app HTTP port (0 = free)
 * @param variant        the model variant to train
 * @param modelSize      "small" (fast, for short runs) or "default"
 * @param watchedUsers   how many users' lists are shown as they change
 * @param gateTolerance  the publish gate's tolerance: a small demo holdout is noisy, so the demo allows about one
 *                       standard error of NDCG@10 on it
 * @param seed           seeds the dataset and the replay order
 */
public record DemoSettings(Path directory, Optional<Path> data, int syntheticUsers, int syntheticItems,
                           double replayFraction, double clicksPerSecond, Duration duration, Duration retrainAfter,
                           int brokerPort, int registryPort, int httpPort, String variant, String modelSize,
                           int watchedUsers, double gateTolerance, long seed) {

    public DemoSettings {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(data, "data");
        if (clicksPerSecond <= 0) {
            throw new IllegalArgumentException("--rate must be positive");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--duration must be positive");
        }
        if (retrainAfter.compareTo(duration) >= 0) {
            throw new IllegalArgumentException("--retrain-after (" + retrainAfter + ") must come before the end of the"
                    + " replay (--duration " + duration + ")");
        }
    }
}
