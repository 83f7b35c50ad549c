package io.streamrec.trainer.train;

/**
 * Training hyperparameters.
 *
 * @param maxEpochs        upper bound on epochs
 * @param batchSize        samples per mini-batch (positives plus their negatives), rounded down to
 *                         whole groups of {@code 1 + negatives}
 * @param learningRate     Adam step size
 * @param negatives        sampled negatives per positive, resampled every epoch
 * @param l2               L2 penalty on the embedding rows a batch touches (0 = none)
 * @param unknownUserRate  probability of training a (positive, negatives) group as the unknown
 *                         user 0, so row 0 learns a "new user" embedding and the history path
 *                         learns to stand on its own
 * @param patience         epochs without validation improvement before stopping (0 = never stop early)
 * @param threads          worker threads; results are reproducible for a given seed and thread count
 * @param seed             seed of shuffling and negative sampling
 * @param lazy             lazy Adam (only touched embedding rows move) when true; dense Adam over
 *                         every row, as Keras and libtorch do, when false
 * @param averageEpochs    horizon, in epochs, of the exponential moving average of the parameters that is
 *                         evaluated, kept and returned instead of the last step's parameters (see
 *                         {@link WeightAverage}); 0 = no averaging
 * @param historyContext   what a positive of a history model sees as its history ({@link HistoryContext}); the
 *                         trainer needs it resolved, not {@link HistoryContext#AUTO}
 */
public record TrainConfig(
        int maxEpochs,
        int batchSize,
        double learningRate,
        int negatives,
        double l2,
        double unknownUserRate,
        int patience,
        int threads,
        long seed,
        boolean lazy,
        double averageEpochs,
        HistoryContext historyContext) {

    /** Validates the ranges. */
    public TrainConfig {
        if (maxEpochs < 1 || batchSize < 1 + negatives || learningRate <= 0 || negatives < 0 || l2 < 0
                || unknownUserRate < 0 || unknownUserRate >= 1 || patience < 0 || threads < 1
                || !(averageEpochs >= 0) || Double.isInfinite(averageEpochs) || historyContext == null) {
            throw new IllegalArgumentException("invalid training config");
        }
    }

    /** A config with lazy Adam and no weight averaging (the nine-argument form other modules already use). */
    TrainConfig(int maxEpochs, int batchSize, double learningRate, int negatives, double l2,
                       double unknownUserRate, int patience, int threads, long seed) {
        this(maxEpochs, batchSize, learningRate, negatives, l2, unknownUserRate, patience, threads, seed, true, 0,
                HistoryContext.PRECEDING);
    }

    /** The NCF recipe at batch 4096: 4 negatives, Adam, on all available cores. */
    public static TrainConfig defaults() {
        return new TrainConfig(20, 4096, 0.002, 4, 0, 0, 3, Runtime.getRuntime().availableProcessors(), 1L, true, 0,
                HistoryContext.PRECEDING);
    }

    /** With another epoch cap. */
    public TrainConfig withMaxEpochs(int value) {
        return new TrainConfig(value, batchSize, learningRate, negatives, l2, unknownUserRate, patience, threads, seed, lazy, averageEpochs, historyContext);
    }

    /** With another batch size. */
    public TrainConfig withBatchSize(int value) {
        return new TrainConfig(maxEpochs, value, learningRate, negatives, l2, unknownUserRate, patience, threads, seed, lazy, averageEpochs, historyContext);
    }

    /** With another learning rate. */
    public TrainConfig withLearningRate(double value) {
        return new TrainConfig(maxEpochs, batchSize, value, negatives, l2, unknownUserRate, patience, threads, seed, lazy, averageEpochs, historyContext);
    }

    /** With another L2 penalty. */
    public TrainConfig withL2(double value) {
        return new TrainConfig(maxEpochs, batchSize, learningRate, negatives, value, unknownUserRate, patience, threads, seed, lazy, averageEpochs, historyContext);
    }

    /** With another unknown-user rate. */
    public TrainConfig withUnknownUserRate(double value) {
        return new TrainConfig(maxEpochs, batchSize, learningRate, negatives, l2, value, patience, threads, seed, lazy, averageEpochs, historyContext);
    }

    /** With another patience. */
    public TrainConfig withPatience(int value) {
        return new TrainConfig(maxEpochs, batchSize, learningRate, negatives, l2, unknownUserRate, value, threads, seed, lazy, averageEpochs, historyContext);
    }

    /** With another thread count. */
    public TrainConfig withThreads(int value) {
        return new TrainConfig(maxEpochs, batchSize, learningRate, negatives, l2, unknownUserRate, patience, value, seed, lazy, averageEpochs, historyContext);
    }

    /** With lazy (true) or dense (false) Adam on embedding rows. */
    public TrainConfig withLazy(boolean value) {
        return new TrainConfig(maxEpochs, batchSize, learningRate, negatives, l2, unknownUserRate, patience, threads, seed, value, averageEpochs, historyContext);
    }

    /** With another weight-averaging horizon in epochs (0 = none). */
    public TrainConfig withAverageEpochs(double value) {
        return new TrainConfig(maxEpochs, batchSize, learningRate, negatives, l2, unknownUserRate, patience, threads, seed, lazy, value, historyContext);
    }

    /** With another history context. */
    public TrainConfig withHistoryContext(HistoryContext value) {
        return new TrainConfig(maxEpochs, batchSize, learningRate, negatives, l2, unknownUserRate, patience, threads, seed, lazy, averageEpochs, value);
    }

    /** With another seed. */
    public TrainConfig withSeed(long value) {
        return new TrainConfig(maxEpochs, batchSize, learningRate, negatives, l2, unknownUserRate, patience, threads, value, lazy, averageEpochs, historyContext);
    }
}
