package io.streamrec.trainer.train;

import io.streamrec.trainer.data.HeldOut;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.data.SeenItems;
import io.streamrec.trainer.eval.Evaluator;
import io.streamrec.trainer.eval.RankingMetrics;
import io.streamrec.trainer.model.Kernels;
import io.streamrec.trainer.model.NcfModel;
import io.streamrec.trainer.model.Parameters;
import io.streamrec.trainer.model.RowGradientSums;
import io.streamrec.trainer.model.Workspace;
import io.streamrec.trainer.parallel.WorkerPool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains an {@link NcfModel} with the NCF recipe: pointwise log loss, every training interaction a
 * positive with {@code negatives} items sampled uniformly from those the user never touched
 * (resampled each epoch), shuffled mini-batches, Adam with lazy embedding-row updates.
 *
 * <p><b>History.</b> The positive at position {@code t} of a user's time-ordered row sees the last
 * H items strictly before {@code t} as its history, and its negatives share that history, exactly
 * as the model will be asked at serving time.
 *
 * <p><b>Parallelism and reproducibility.</b> Each batch is cut into one contiguous shard of groups
 * per thread; shards compute gradients into their own buffers, which are then reduced in shard
 * order; user and item rows are summed per row in batch order, history rows per row within a shard
 * and then in shard order. Shuffling and negative sampling depend only on the seed, the epoch and
 * the position, so a given seed and thread count reproduce the same model bit for bit.
 *
 * <p><b>Model selection.</b> With a validation split (cut from the training data), the model is
 * evaluated after every epoch (HR@10 on the NCF protocol, NDCG@10 breaking ties); the best epoch's
 * parameters are kept and training stops after {@code patience} epochs without improvement.
 *
 * <p><b>Weight averaging.</b> With {@link TrainConfig#averageEpochs()} above 0, what is evaluated, kept and
 * returned is the moving average of the parameters over about that many epochs ({@link WeightAverage}), while
 * training goes on from the optimiser's own parameters.
 *
 * <p>Not thread-safe; one fit at a time. Close it to stop its worker threads.
 */
public final class Trainer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    /**
     * Samples per forward/backward pass: long enough rows for vectorised loops, small enough for the
     * activations to stay in L2 (256 measured best on this machine; overridable for experiments).
     */
    private static final int CHUNK_SAMPLES = Integer.getInteger("streamrec.trainer.chunk", 256);

    private final TrainConfig config;
    private final WorkerPool pool;

    /** A trainer with its own worker threads. */
    public Trainer(TrainConfig config) {
        this.config = config;
        this.pool = new WorkerPool(config.threads());
    }

    /** The worker pool (also usable for evaluation while no fit runs). */
    public WorkerPool pool() {
        return pool;
    }

    /** Trains {@code model} in place; see the class documentation. */
    public FitResult fit(NcfModel model, Interactions train, HeldOut validation) {
        return fit(model, train, validation, stats -> { });
    }

    /**
     * Trains {@code model} in place, reporting each epoch to {@code listener}; on return the model
     * holds the best epoch's parameters (the last epoch's without validation).
     */
    public FitResult fit(NcfModel model, Interactions train, HeldOut validation, Consumer<EpochStats> listener) {
        if (train.numUsers() != model.numUsers() || train.numItems() != model.numItems()) {
            throw new IllegalArgumentException("model and data disagree on users or items");
        }
        Run run = new Run(model, train);
        // With weight averaging, the averaged parameters are what is evaluated, kept and returned; training
        // itself goes on from the optimiser's own parameters.
        NcfModel averaged = run.average == null ? null : model.copy();
        NcfModel evaluated = averaged == null ? model : averaged;
        List<EpochStats> history = new ArrayList<>();
        NcfModel best = null;
        RankingMetrics bestMetrics = null;
        int bestEpoch = 0;
        for (int epoch = 1; epoch <= config.maxEpochs(); epoch++) {
            long start = System.nanoTime();
            long cpuStart = processCpuNanos();
            double loss = run.epoch(epoch);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
            if (averaged != null) {
                run.average.writeAverage(model, averaged);
            }
            RankingMetrics metrics = validation == null ? null
                    : Evaluator.sampled(evaluated, train, validation, 10, pool);
            EpochStats stats = new EpochStats(epoch, loss, seconds, cpuSeconds, run.samplesPerEpoch, metrics);
            history.add(stats);
            LOG.info("{} epoch {}: loss {} in {}s ({} samples/s){}", model.config().describe(), epoch,
                    String.format("%.4f", loss), String.format("%.2f", seconds),
                    String.format("%.0f", stats.samplesPerSecond()), metrics == null ? "" : ", validation " + metrics);
            listener.accept(stats);
            if (validation == null) {
                bestEpoch = epoch;
                continue;
            }
            if (bestMetrics == null || better(metrics, bestMetrics)) {
                bestMetrics = metrics;
                bestEpoch = epoch;
                if (best == null) {
                    best = evaluated.copy();
                } else {
                    best.copyFrom(evaluated);
                }
            } else if (config.patience() > 0 && epoch - bestEpoch >= config.patience()) {
                break;
            }
        }
        if (best != null) {
            model.copyFrom(best);
        } else if (averaged != null) {
            model.copyFrom(averaged);
        }
        return new FitResult(history, bestEpoch, bestMetrics);
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0L;
    }

    private static boolean better(RankingMetrics a, RankingMetrics b) {
        return a.hitRate() > b.hitRate() || (a.hitRate() == b.hitRate() && a.ndcg() > b.ndcg());
    }

    @Override
    public void close() {
        pool.close();
    }

    /** The state of one fit: data views, sampling tables, optimiser moments, batch buffers. */
    private final class Run {
        private final NcfModel model;
        private final Interactions train;
        private final SeenItems seen;
        private final int numItems;
        private final int group;
        private final int groupsPerBatch;
        private final int historyLength;
        private final int width;
        private final long samplesPerEpoch;
        private final int[] order;

        private final LazyAdam adam;
        private final float[][] userM;
        private final float[][] userV;
        private final float[][] itemM;
        private final float[][] itemV;
        private final float[][] historyM;
        private final float[][] historyV;
        private final float[] denseM;
        private final float[] denseV;
        /** The running weight average, or null without averaging. */
        final WeightAverage average;

        private final Workspace[] workspaces;
        private final float[][] denseGrads;
        private final double[] shardLoss;
        private final int[] userRows;
        private final float[][] userGrads;
        private final int[] itemRows;
        private final float[][] itemGrads;
        /** The rows each workspace's history gradient sums touched in a batch, workspace after workspace. */
        private final int[] historyTouched;
        private final SparseRows userSums;
        private final SparseRows itemSums;
        private final SparseRows historySums;
        /** One row per thread for the summed gradient of the table row it updates. */
        private final float[][] rowGradient;

        Run(NcfModel model, Interactions train) {
            this.model = model;
            this.train = train;
            this.seen = SeenItems.of(train);
            this.numItems = train.numItems();
            this.group = 1 + config.negatives();
            this.groupsPerBatch = Math.max(1, config.batchSize() / group);
            this.historyLength = model.historyLength();
            this.width = model.config().embeddingWidth();
            this.order = new int[train.size()];
            this.samplesPerEpoch = (long) train.size() * group;

            Parameters p = model.parameters();
            this.adam = new LazyAdam(config.learningRate(), config.l2());
            this.userM = p.users() == null ? null : new float[p.users().length][width];
            this.userV = p.users() == null ? null : new float[p.users().length][width];
            this.itemM = new float[p.items().length][width];
            this.itemV = new float[p.items().length][width];
            this.historyM = p.history() == null ? null : new float[p.history().length][width];
            this.historyV = p.history() == null ? null : new float[p.history().length][width];
            this.denseM = new float[p.dense().length];
            this.denseV = new float[p.dense().length];
            int stepsPerEpoch = (order.length + groupsPerBatch - 1) / groupsPerBatch;
            this.average = config.averageEpochs() > 0
                    ? new WeightAverage(model, WeightAverage.decayFor(config.averageEpochs(), stepsPerEpoch)) : null;

            int threads = pool.threads();
            int chunkGroups = Math.max(1, CHUNK_SAMPLES / group);
            this.workspaces = new Workspace[threads];
            this.denseGrads = new float[threads][p.dense().length];
            for (int t = 0; t < threads; t++) {
                workspaces[t] = model.newWorkspace(chunkGroups * group);
            }
            this.shardLoss = new double[threads];
            int maxGroups = groupsPerBatch;
            int maxSamples = groupsPerBatch * group;
            this.userRows = new int[maxGroups];
            this.userGrads = new float[maxGroups][width];
            this.itemRows = new int[maxSamples];
            this.itemGrads = new float[maxSamples][width];
            this.historyTouched = p.history() == null ? null : new int[threads * p.history().length];
            this.userSums = p.users() == null ? null : new SparseRows(model.numUsers() + 1, width, maxGroups);
            this.itemSums = new SparseRows(numItems + 1, width, maxSamples);
            this.historySums = p.history() == null ? null
                    : new SparseRows(p.history().length, width, historyTouched.length);
            this.rowGradient = new float[threads][width];
        }

        /** One pass over every training interaction; returns the mean loss. */
        double epoch(int epoch) {
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            SplittableRandom shuffle = new SplittableRandom(mix(config.seed(), epoch, -1));
            for (int i = order.length - 1; i > 0; i--) {
                int j = shuffle.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
            double loss = 0;
            for (int from = 0; from < order.length; from += groupsPerBatch) {
                int to = Math.min(order.length, from + groupsPerBatch);
                loss += batch(epoch, from, to);
            }
            return loss / samplesPerEpoch;
        }

        private double batch(int epoch, int from, int to) {
            int groups = to - from;
            int threads = workspaces.length;
            float scale = 1f / (groups * group);
            pool.run(threads, shard -> {
                int begin = from + (int) ((long) groups * shard / threads);
                int end = from + (int) ((long) groups * (shard + 1) / threads);
                shardLoss[shard] = shard(epoch, shard, from, begin, end, scale);
            });
            double loss = 0;
            for (double l : shardLoss) {
                loss += l;
            }
            apply(groups);
            return loss;
        }

        /** Forward and backward for groups {@code [begin, end)} of the batch starting at {@code batchStart}. */
        private double shard(int epoch, int shard, int batchStart, int begin, int end, float scale) {
            Workspace ws = workspaces[shard];
            float[] grad = denseGrads[shard];
            Arrays.fill(grad, 0f);
            double loss = 0;
            int chunkGroups = ws.capacity() / group;
            for (int chunk = begin; chunk < end; chunk += chunkGroups) {
                int chunkEnd = Math.min(end, chunk + chunkGroups);
                ws.clear();
                ws.bindGradientRows(itemGrads, (chunk - batchStart) * group, userSums == null ? null : userGrads,
                        chunk - batchStart);
                for (int gi = chunk; gi < chunkEnd; gi++) {
                    fillGroup(ws, epoch, order[gi]);
                }
                model.forward(ws);
                loss += model.backward(ws, scale, grad);
                collect(ws, chunk - batchStart);
            }
            return loss;
        }

        private void fillGroup(Workspace ws, int epoch, int position) {
            int user = train.userAt(position);
            long state = mix(config.seed(), epoch, position);
            int modelUser = user;
            if (config.unknownUserRate() > 0) {
                state += GAMMA;
                if (unit(scramble(state)) < config.unknownUserRate()) {
                    modelUser = 0;
                }
            }
            int g = ws.beginGroup(modelUser);
            if (historyLength > 0) {
                train.fillHistory(user, position, ws.histories(), ws.historyOffset(g), historyLength);
            }
            ws.addSample(train.itemAt(position), 1f);
            boolean hasUnseen = seen.count(user) < numItems;
            for (int k = 0; k < config.negatives(); k++) {
                int item;
                do {
                    state += GAMMA;
                    item = 1 + (int) (((scramble(state) >>> 32) * numItems) >>> 32); // multiply-shift, no division
                } while (hasUnseen && seen.contains(user, item));
                ws.addSample(item, 0f);
            }
        }

        /**
         * Records which table rows the chunk's user and item gradients belong to, at group offset {@code g0} (the
         * gradients themselves are already in the batch buffers, see {@link Workspace#bindGradientRows}; the
         * history table's are summed in the workspace).
         */
        private void collect(Workspace ws, int g0) {
            int groups = ws.groups();
            int samples = ws.size();
            if (userSums != null) {
                for (int g = 0; g < groups; g++) {
                    userRows[g0 + g] = ws.groupUser(g);
                }
            }
            int s0 = g0 * group;
            for (int s = 0; s < samples; s++) {
                itemRows[s0 + s] = ws.item(s);
            }
        }

        /** Reduces the gradients and takes one Adam step. */
        private void apply(int groups) {
            Parameters p = model.parameters();
            adam.nextStep();
            if (average != null) {
                average.nextStep();
            }
            if (userSums != null) {
                userSums.assign(userRows, groups);
            }
            itemSums.assign(itemRows, groups * group);
            if (historySums != null) {
                int touched = 0;
                for (Workspace ws : workspaces) {
                    RowGradientSums sums = ws.historyGradientSums();
                    for (int k = 0; k < sums.touchedRows(); k++) {
                        historyTouched[touched++] = sums.touchedRow(k);
                    }
                }
                historySums.assign(historyTouched, touched);
            }
            int threads = workspaces.length;
            float[] dense = p.dense();
            pool.run(threads, part -> {
                int from = (int) ((long) dense.length * part / threads);
                int to = (int) ((long) dense.length * (part + 1) / threads);
                float[] total = denseGrads[0];
                for (int t = 1; t < threads; t++) {
                    float[] g = denseGrads[t];
                    for (int i = from; i < to; i++) {
                        total[i] += g[i];
                    }
                }
                adam.updateDense(dense, denseM, denseV, total, from, to);
                if (average != null) {
                    average.updateDense(dense, from, to);
                }
                if (userSums != null) {
                    updateRows(userSums, (slot, row, into) -> userSums.sum(slot, userGrads, into), p.users(), userM,
                            userV, average == null ? null : average.users(), part, threads);
                }
                updateRows(itemSums, (slot, row, into) -> itemSums.sum(slot, itemGrads, into), p.items(), itemM,
                        itemV, average == null ? null : average.items(), part, threads);
                if (historySums != null) {
                    updateRows(historySums, this::historyGradient, p.history(), historyM, historyV,
                            average == null ? null : average.history(), part, threads);
                }
            });
            if (userSums != null) {
                userSums.reset();
            }
            itemSums.reset();
            if (historySums != null) {
                historySums.reset();
                for (Workspace ws : workspaces) {
                    ws.historyGradientSums().clear();
                }
            }
        }

        /** A history row's gradient over the batch: the workspaces' sums for it, added in workspace order. */
        private void historyGradient(int slot, int row, float[] into) {
            Arrays.fill(into, 0, width, 0f);
            for (Workspace ws : workspaces) {
                float[] sum = ws.historyGradientSums().sumOf(row);
                if (sum != null) { // null: never touched by this workspace (touched earlier but not now: zero)
                    Kernels.add(sum, into, width);
                }
            }
        }

        /** Adam on the rows a batch touched (every row with dense Adam), each row's average around its update. */
        private void updateRows(SparseRows sums, RowGradient gradient, float[][] table, float[][] m, float[][] v,
                                WeightAverage.Table averages, int part, int parts) {
            float[] grad = rowGradient[part];
            if (config.lazy()) {
                for (int slot = part; slot < sums.distinct; slot += parts) {
                    int row = sums.rows[slot];
                    gradient.sumInto(slot, row, grad);
                    if (averages != null) {
                        average.beforeRowUpdate(averages, row, table[row]);
                    }
                    adam.updateRow(table[row], m[row], v[row], grad, width);
                    if (averages != null) {
                        average.afterRowUpdate(averages, row, table[row]);
                    }
                }
                return;
            }
            for (int row = part; row < table.length; row += parts) {
                int slot = sums.slotOf(row);
                boolean moves = slot >= 0 || row > 0 || table == model.parameters().users();
                if (averages != null && moves) {
                    average.beforeRowUpdate(averages, row, table[row]);
                }
                if (slot >= 0) {
                    gradient.sumInto(slot, row, grad);
                    adam.updateRow(table[row], m[row], v[row], grad, width);
                } else if (moves) {
                    adam.updateUntouchedRow(table[row], m[row], v[row], width);
                }
                if (averages != null && moves) {
                    average.afterRowUpdate(averages, row, table[row]);
                }
            }
        }
    }

    /** Writes the batch's summed gradient of table row {@code row}, in slot {@code slot}, into {@code into}. */
    @FunctionalInterface
    private interface RowGradient {
        void sumInto(int slot, int row, float[] into);
    }

    /** SplitMix64's increment: the stream for one position is scramble(base + k * GAMMA), k = 1, 2, ... */
    private static final long GAMMA = 0x9E3779B97F4A7C15L;

    /** The starting state of the random stream of one (seed, epoch, position). */
    private static long mix(long seed, int epoch, int position) {
        return scramble(scramble(seed ^ ((long) epoch << 32)) + position * GAMMA);
    }

    /** SplitMix64's output function: a cheap, allocation-free bijective mixer. */
    private static long scramble(long state) {
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double unit(long state) {
        return (state >>> 11) * 0x1.0p-53;
    }
}
