package io.streamrec.demo.bench;

import ai.onnxruntime.OrtException;
import io.streamrec.app.model.ArtifactFetcher;
import io.streamrec.app.model.LoadedModel;
import io.streamrec.app.model.ModelLoader;
import io.streamrec.app.model.OnnxRuntime;
import io.streamrec.app.retrieval.RetrievalSettings;
import io.streamrec.app.retrieval.ShippedIndex;
import io.streamrec.app.retrieval.TopK;
import io.streamrec.avro.ModelRelease;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.model.ReleaseRejectedException;
import io.streamrec.schemas.model.ReleaseSigner;
import io.streamrec.schemas.model.ReleaseVerifier;
import io.streamrec.trainer.bench.BenchCommand;
import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.model.AttentionQuery;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.model.NcfModel;
import io.streamrec.trainer.model.Parameters;
import io.streamrec.trainer.release.Provenance;
import io.streamrec.trainer.release.ReleaseBuilder;
import io.streamrec.trainer.release.ReleaseRequest;
import io.streamrec.trainer.release.ReleaseSettings;
import io.streamrec.trainer.train.TrainConfig;
import io.streamrec.trainer.train.Trainer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Two-stage serving against exhaustive ranking, through the streams app's own loader and model: trains the
 * history model (recent-item query) on a dataset, releases it, loads it once per retrieval index and candidate
 * count, and for a sample of test users compares each two-stage top-10 with the exhaustive top-10 of the same
 * ranker over the whole catalogue (both without the user's seen items): the share of the exhaustive top-10 the
 * two-stage list keeps, and both lists' full-catalogue HR@10 / NDCG@10 on the held-out item. Times the load
 * (graph, index build, probes) and, per click, the query, the index search and the ranking of the candidates.
 */
public final class RetrievalBench {

    /**
     * What to measure.
     *
     * @param modelCache a file holding the trained parameters: read when it exists (no training), else written
     *                   after training; null trains every time
     * @param shipIndex  release the model as a trainer with an artifact directory does, with its retrieval index,
     *                   which the {@code hnsw} rows then load instead of building (the others build theirs)
     */
    public record Settings(String data, int epochs, int users, List<Integer> candidates,
                           List<RetrievalSettings.Kind> indexes, int maxConnections, int beamWidth, long seed,
                           Path modelCache, boolean shipIndex) {
    }

    /** One row of the table. */
    record Row(String index, int candidates, double loadSeconds, long indexBytes, double indexRecall, double overlap,
               double hitRate, double ndcg, double exhaustiveHitRate, double exhaustiveNdcg,
               Latency query, Latency search, Latency rank, Latency exhaustive) {
    }

    /** Median and 99th percentile of per-click milliseconds. */
    record Latency(double median, double p99) {
        static Latency of(double[] millis) {
            double[] sorted = millis.clone();
            Arrays.sort(sorted);
            return new Latency(sorted[sorted.length / 2], sorted[Math.min(sorted.length - 1,
                    (int) Math.ceil(sorted.length * 0.99) - 1)]);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.2f / %.2f", median, p99);
        }
    }

    private final Settings settings;
    private final PrintStream progress;

    public RetrievalBench(Settings settings, PrintStream progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /** Trains, releases, measures; returns the markdown table. */
    public String run() throws Exception {
        Dataset dataset = BenchCommand.load(settings.data(), settings.seed());
        progress.printf("dataset %s: %,d users, %,d items, %,d training interactions%n", dataset.name(),
                dataset.users().size(), dataset.items().size(), dataset.train().size());
        KeyPair keys = ReleaseKeys.generate();
        Path artifacts = Files.createTempDirectory("streamrec-retrieval-bench");
        try {
            return measureAll(dataset, keys, release(dataset, keys, trainedModel(dataset), artifacts));
        } finally {
            try (var files = Files.list(artifacts)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(artifacts);
        }
    }

    private String measureAll(Dataset dataset, KeyPair keys, ModelRelease release) throws Exception {
        int[] sample = sampleUsers(dataset, settings.users(), settings.seed());
        List<Row> rows = new ArrayList<>();
        Exhaustive reference = null;
        Map<Integer, int[][]> exactFound = new java.util.HashMap<>();
        for (RetrievalSettings.Kind kind : settings.indexes()) {
            int most = settings.candidates().stream().mapToInt(Integer::intValue).max().orElseThrow();
            RetrievalSettings retrieval = new RetrievalSettings(1, most, kind, settings.maxConnections(),
                    settings.beamWidth(), Runtime.getRuntime().availableProcessors());
            try (OnnxRuntime runtime = new OnnxRuntime(new OnnxRuntime.Settings(1, false, 1))) {
                long start = System.nanoTime();
                try (LoadedModel model = load(runtime, keys, release, retrieval)) {
                    double loadSeconds = (System.nanoTime() - start) / 1e9;
                    progress.printf("loaded with %s index in %.1f s%n", kind.label(), loadSeconds);
                    if (reference == null) {
                        reference = Exhaustive.of(model, dataset, sample, progress);
                    }
                    String label = kind.label() + (model.retrieval().orElseThrow().index() instanceof ShippedIndex
                            ? " (shipped)" : "");
                    for (int n : settings.candidates()) {
                        rows.add(measure(model, dataset, sample, reference, kind, label, n, loadSeconds, exactFound));
                        progress.println(render(rows.subList(rows.size() - 1, rows.size())));
                    }
                }
            }
        }
        return header(dataset) + render(rows);
    }

    private NcfModel trainedModel(Dataset dataset) throws IOException {
        ModelConfig config = ModelConfig.historyAneumf(32, 50, 64, 32, 16, 8).withAttentionQuery(AttentionQuery.RECENT)
                .withSeed(settings.seed());
        NcfModel model = NcfModel.create(config, dataset.users().size(), dataset.items().size());
        if (settings.modelCache() != null && Files.exists(settings.modelCache())) {
            readParameters(model, settings.modelCache());
            progress.printf("parameters read from %s%n", settings.modelCache());
        } else {
            TrainConfig training = TrainConfig.defaults().withMaxEpochs(settings.epochs()).withPatience(0)
                    .withSeed(settings.seed());
            long start = System.nanoTime();
            try (Trainer trainer = new Trainer(training)) {
                trainer.fit(model, dataset.train(), null, epoch -> progress.printf("epoch %s%n", epoch));
            }
            progress.printf("trained %d epochs in %.0f s%n", settings.epochs(), (System.nanoTime() - start) / 1e9);
            if (settings.modelCache() != null) {
                writeParameters(model, settings.modelCache());
            }
        }
        return model;
    }

    /** The signed release: the graph inline, and with {@link Settings#shipIndex} the index in {@code artifacts}. */
    private ModelRelease release(Dataset dataset, KeyPair keys, NcfModel model, Path artifacts) {
        ReleaseSettings releases = settings.shipIndex()
                ? ReleaseSettings.withArtifacts(artifacts).withRetrievalIndexMinItems(1)
                : ReleaseSettings.inlineOnly();
        long start = System.nanoTime();
        ModelRelease release = new ReleaseBuilder(new ReleaseSigner(keys), releases.withInlineLimit(
                Integer.MAX_VALUE - 64), Clock.systemUTC()).build(new ReleaseRequest("default", 1, model,
                dataset.users(), dataset.items(), Map.of(), Map.of(), Provenance.of(dataset.name(),
                dataset.train().size(), Duration.ZERO)));
        progress.printf("release built in %.1f s: graph %,d bytes, retrieval index %s%n",
                (System.nanoTime() - start) / 1e9, release.getOnnxModel().remaining(),
                release.getRetrievalIndex() == null ? "not shipped" : "shipped");
        return release;
    }

    private static void writeParameters(NcfModel model, Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            for (float[] row : rows(model.parameters())) {
                for (float value : row) {
                    out.writeFloat(value);
                }
            }
        }
    }

    private static void readParameters(NcfModel model, Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            for (float[] row : rows(model.parameters())) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = in.readFloat();
                }
            }
        }
    }

    /** Every parameter row: the embedding tables' rows, then the dense parameters as one row. */
    private static List<float[]> rows(Parameters parameters) {
        List<float[]> rows = new ArrayList<>();
        for (float[][] table : new float[][][] {parameters.users(), parameters.items(), parameters.history()}) {
            if (table != null) {
                rows.addAll(Arrays.asList(table));
            }
        }
        rows.add(parameters.dense());
        return rows;
    }

    private static LoadedModel load(OnnxRuntime runtime, KeyPair keys, ModelRelease release,
                                    RetrievalSettings retrieval) throws ReleaseRejectedException {
        return new ModelLoader(runtime, ReleaseVerifier.trusting(List.of(keys.getPublic())),
                new ArtifactFetcher(Long.MAX_VALUE, Duration.ofMinutes(1)), 1, retrieval).load(release);
    }

    /** Users with a held-out target, drawn without replacement. */
    private static int[] sampleUsers(Dataset dataset, int count, long seed) {
        int users = dataset.users().size();
        int[] all = java.util.stream.IntStream.rangeClosed(1, users)
                .filter(u -> dataset.test().targetCount(u) > 0 && dataset.train().length(u) > 0).toArray();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = all.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int held = all[i];
            all[i] = all[j];
            all[j] = held;
        }
        return Arrays.copyOf(all, Math.min(count, all.length));
    }

    /** The model's inputs for user u: its index and its last H training items, most recent last. */
    static long[] history(LoadedModel model, Interactions train, int user) {
        int h = model.historyLength();
        int[] items = train.itemsOf(user);
        long[] history = new long[h];
        for (int i = 0; i < Math.min(h, items.length); i++) {
            history[h - 1 - i] = items[items.length - 1 - i];
        }
        return history;
    }

    static int[] seen(Interactions train, int user) {
        return Arrays.stream(train.itemsOf(user)).sorted().distinct().toArray();
    }

    /** The exhaustive top-10 of every sampled user, and its per-click time. */
    record Exhaustive(int[][] top, Latency latency) {
        static Exhaustive of(LoadedModel model, Dataset dataset, int[] sample, PrintStream progress)
                throws OrtException {
            int items = model.itemCount();
            long[][] all = {java.util.stream.LongStream.rangeClosed(1, items).toArray()};
            int[][] top = new int[sample.length][];
            double[] millis = new double[sample.length];
            for (int s = 0; s < sample.length; s++) {
                int user = sample[s];
                int[] seen = seen(dataset.train(), user);
                long start = System.nanoTime();
                float[] scores = model.scoreCandidates(new long[] {user},
                        new long[][] {history(model, dataset.train(), user)}, all)[0];
                top[s] = TopK.select(scores, 10, index -> Arrays.binarySearch(seen, index) >= 0);
                millis[s] = (System.nanoTime() - start) / 1e6;
            }
            progress.printf("exhaustive ranking of %d users: %s ms per click%n", sample.length, Latency.of(millis));
            return new Exhaustive(top, Latency.of(millis));
        }
    }

    private Row measure(LoadedModel model, Dataset dataset, int[] sample, Exhaustive reference,
                        RetrievalSettings.Kind kind, String label, int n, double loadSeconds,
                        Map<Integer, int[][]> exactFound)
            throws OrtException {
        LoadedModel.Retrieval retrieval = model.retrieval().orElseThrow();
        double[] query = new double[sample.length];
        double[] search = new double[sample.length];
        double[] rank = new double[sample.length];
        double kept = 0;
        double recalled = 0;
        int[][] exact = exactFound.get(n);
        if (kind == RetrievalSettings.Kind.EXACT) {
            exactFound.put(n, new int[sample.length][]);
        }
        double[] twoStage = new double[2];
        double[] exhaustive = new double[2];
        for (int s = 0; s < sample.length; s++) {
            int user = sample[s];
            int[] seen = seen(dataset.train(), user);
            long[] users = {user};
            long[][] histories = {history(model, dataset.train(), user)};
            long t0 = System.nanoTime();
            float[] q = model.retrievalQueries(users, histories)[0];
            long t1 = System.nanoTime();
            int[] found = retrieval.index().search(q, n, index -> Arrays.binarySearch(seen, index) >= 0);
            long t2 = System.nanoTime();
            if (kind == RetrievalSettings.Kind.EXACT) {
                exactFound.get(n)[s] = found;
            } else if (exact != null) {
                recalled += (double) overlap(found, exact[s]) / Math.max(1, exact[s].length);
            }
            long[][] candidates = {Arrays.stream(found).asLongStream().toArray()};
            float[] scores = model.scoreCandidates(users, histories, candidates)[0];
            int[] best = TopK.select(scores, 10, position -> false);
            long t3 = System.nanoTime();
            int[] top = Arrays.stream(best).map(position -> found[position - 1]).toArray();
            query[s] = (t1 - t0) / 1e6;
            search[s] = (t2 - t1) / 1e6;
            rank[s] = (t3 - t2) / 1e6;
            kept += overlap(top, reference.top()[s]) / 10.0;
            int target = dataset.test().targetsOf(user)[0];
            accumulate(twoStage, top, target);
            accumulate(exhaustive, reference.top()[s], target);
        }
        int count = sample.length;
        double indexRecall = kind == RetrievalSettings.Kind.EXACT ? 1 : exact == null ? Double.NaN : recalled / count;
        return new Row(label, n, loadSeconds, retrieval.index().structureBytes(), indexRecall, kept / count,
                twoStage[0] / count, twoStage[1] / count, exhaustive[0] / count, exhaustive[1] / count,
                Latency.of(query), Latency.of(search), Latency.of(rank), reference.latency());
    }

    private static int overlap(int[] a, int[] b) {
        int[] sorted = Arrays.stream(b).sorted().toArray();
        return (int) Arrays.stream(a).filter(x -> Arrays.binarySearch(sorted, x) >= 0).count();
    }

    /** Adds the list's hit and NDCG for the target to {@code sums[0]} and {@code sums[1]}. */
    private static void accumulate(double[] sums, int[] list, int target) {
        for (int rank = 0; rank < list.length; rank++) {
            if (list[rank] == target) {
                sums[0] += 1;
                sums[1] += 1 / (Math.log(rank + 2) / Math.log(2));
            }
        }
    }

    private String header(Dataset dataset) {
        return String.format(Locale.ROOT, "Two-stage against exhaustive ranking: %s, %,d items, %d sampled test"
                        + " users, history model trained %d epochs, HNSW M=%d beam=%d; latency median / p99 ms per"
                        + " click (one user per call, 1 ONNX Runtime thread)%n%n", dataset.name(),
                dataset.items().size(), settings.users(), settings.epochs(), settings.maxConnections(),
                settings.beamWidth());
    }

    static String render(List<Row> rows) {
        StringBuilder out = new StringBuilder("| index | candidates | load s | index MiB | index recall | top-10 kept"
                + " | HR@10 two-stage"
                + " | HR@10 exhaustive | NDCG@10 two-stage | NDCG@10 exhaustive | query ms | search ms | rank ms |"
                + " exhaustive ms |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.3f | %.3f | %.4f | %.4f | %.4f | %.4f | %s"
                            + " | %s | %s | %s |%n", row.index(), row.candidates(), row.loadSeconds(),
                    row.indexBytes() / 1048576.0, row.indexRecall(), row.overlap(), row.hitRate(), row.exhaustiveHitRate(),
                    row.ndcg(), row.exhaustiveNdcg(), row.query(), row.search(), row.rank(), row.exhaustive()));
        }
        return out.toString();
    }
}
