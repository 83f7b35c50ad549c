package io.streamrec.trainer.train;

import io.streamrec.trainer.data.HeldOut;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.data.OrderSignal;
import io.streamrec.trainer.data.SeenItems;
import io.streamrec.trainer.eval.Evaluator;
import io.streamrec.trainer.eval.RankingMetrics;
import io.streamrec.trainer.model.NcfModel;
import io.streamrec.trainer.model.Parameters;
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
 * <p><b>History.</b> With {@link HistoryContext#PRECEDING} the positive at position {@code t} of a user's
 * time-ordered row sees the last H items strictly before {@code t} as its history, exactly as the model will be
 * asked at serving time; with {@link HistoryContext#OTHERS} it sees H of the user's other items drawn anew each
 * epoch, in random order; {@link HistoryContext#AUTO} picks one by the training data's {@link OrderSignal}. The
 * negatives share their positive's history.
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
        HistoryContext context = config.historyContext() == HistoryContext.AUTO && model.historyLength() > 0
                ? resolveContext(train) : config.historyContext();
        Run run = new Run(model, train, context);
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
            if (bestMetrics == null || metrics.beats(bestMetrics)) {
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
        return new FitResult(history, bestEpoch, bestMetrics, context);
    }

    private HistoryContext resolveContext(Interactions train) {
        OrderSignal signal = OrderSignal.measure(train, config.seed());
        HistoryContext context = HistoryContext.AUTO.resolve(signal);
        LOG.info("history context {}: {}", context.label(), signal.describe());
        return context;
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0L;
    }


    @Override
    public void close() {
        pool.close();
    }

    /** The state of one fit: data views, sampling tables, optimiser state per parameter table, batch buffers. */
    private final class Run {
        private final NcfModel model;
        private final Interactions train;
        private final SeenItems seen;
        private final int numItems;
        private final int group;
        private final int groupsPerBatch;
        private final int historyLength;
        private final HistoryContext context;
        private final long samplesPerEpoch;
        private final int[] order;

        private final LazyAdam adam;
        private final float[] denseM;
        private final float[] denseV;
        /** One per embedding table the model has: users (if it has them), candidate items, history (if it reads it). */
        private final List<TableState> tables;
        /** The running weight average, or null without averaging. */
        final WeightAverage average;

        private final Workspace[] workspaces;
        private final float[][] denseGrads;
        private final double[] shardLoss;
        private final BatchGradients.Entries itemGradients;
        /** The user rows' gradients, one per group, or null for a model without user embeddings. */
        private final float[][] userGradients;
        /** The tables' batch gradients, in table order. */
        private final List<BatchGradients> batchGradients;
        /** One row per thread for the summed gradient of the table row it updates. */
        private final float[][] rowGradient;

        Run(NcfModel model, Interactions train, HistoryContext context) {
            this.model = model;
            this.train = train;
            this.context = context;
            this.seen = SeenItems.of(train);
            this.numItems = train.numItems();
            this.group = 1 + config.negatives();
            this.groupsPerBatch = Math.max(1, config.batchSize() / group);
            this.historyLength = model.historyLength();
            this.order = new int[train.size()];
            this.samplesPerEpoch = (long) train.size() * group;

            Parameters p = model.parameters();
            this.adam = new LazyAdam(config.learningRate(), config.l2());
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
            int width = model.config().embeddingWidth();
            this.rowGradient = new float[threads][width];

            BatchGradients.Entries users = p.users() == null ? null
                    : BatchGradients.Entries.users(groupsPerBatch, width);
            this.userGradients = users == null ? null : users.gradients();
            this.itemGradients = BatchGradients.Entries.items(group, groupsPerBatch, width);
            List<TableState> present = new ArrayList<>();
            if (users != null) {
                present.add(tableState(p.users(), false, users, average == null ? null : average.users()));
            }
            present.add(tableState(p.items(), true, itemGradients, average == null ? null : average.items()));
            if (p.history() != null) {
                present.add(tableState(p.history(), true, new BatchGradients.History(workspaces, p.history().length,
                        width), average == null ? null : average.history()));
            }
            this.tables = List.copyOf(present);
            this.batchGradients = tables.stream().map(TableState::gradients).toList();
        }

        /** A table's optimiser state; {@code averages} is its weight-average state, null without averaging. */
        private TableState tableState(float[][] rows, boolean rowZeroIsPadding, BatchGradients gradients,
                                      WeightAverage.Table averages) {
            TableState.RowAverage rowAverage = averages == null ? TableState.RowAverage.NONE
                    : TableState.RowAverage.of(average, averages);
            return new TableState(rows, model.config().embeddingWidth(), rowZeroIsPadding, config.lazy(), gradients,
                    rowAverage);
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
                ws.bindGradientRows(itemGradients.gradients(), (chunk - batchStart) * group, userGradients,
                        chunk - batchStart);
                for (int gi = chunk; gi < chunkEnd; gi++) {
                    fillGroup(ws, epoch, order[gi]);
                }
                model.forward(ws);
                loss += model.backward(ws, scale, grad);
                for (BatchGradients gradients : batchGradients) {
                    gradients.collect(ws, chunk - batchStart);
                }
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
            if (historyLength > 0 && context == HistoryContext.OTHERS) {
                state = OtherItems.fill(train, user, position, ws.histories(), ws.historyOffset(g), historyLength,
                        state);
            } else if (historyLength > 0) {
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

        /** Reduces the gradients and takes one Adam step. */
        private void apply(int groups) {
            adam.nextStep();
            if (average != null) {
                average.nextStep();
            }
            for (TableState table : tables) {
                table.beginStep(groups);
            }
            int threads = workspaces.length;
            pool.run(threads, part -> {
                updateDense(part, threads);
                for (TableState table : tables) {
                    table.update(adam, rowGradient[part], part, threads);
                }
            });
            for (TableState table : tables) {
                table.endStep();
            }
        }

        /** Sums part {@code part} of the threads' dense gradients into the first thread's and takes its Adam step. */
        private void updateDense(int part, int parts) {
            float[] dense = model.parameters().dense();
            int from = (int) ((long) dense.length * part / parts);
            int to = (int) ((long) dense.length * (part + 1) / parts);
            float[] total = denseGrads[0];
            for (int t = 1; t < parts; t++) {
                float[] g = denseGrads[t];
                for (int i = from; i < to; i++) {
                    total[i] += g[i];
                }
            }
            adam.updateDense(dense, denseM, denseV, total, from, to);
            if (average != null) {
                average.updateDense(dense, from, to);
            }
        }
    }

    /** SplitMix64's increment: the stream for one position is scramble(base + k * GAMMA), k = 1, 2, ... */
    static final long GAMMA = 0x9E3779B97F4A7C15L;

    /** The starting state of the random stream of one (seed, epoch, position). */
    private static long mix(long seed, int epoch, int position) {
        return scramble(scramble(seed ^ ((long) epoch << 32)) + position * GAMMA);
    }

    /** SplitMix64's output function: a cheap, allocation-free bijective mixer. */
    static long scramble(long state) {
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static double unit(long state) {
        return (state >>> 11) * 0x1.0p-53;
    }
}
