package io.streamrec.trainer.bench;

import io.streamrec.trainer.baseline.ItemItemExporter;
import io.streamrec.trainer.baseline.ItemItemModel;
import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.HeldOut;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.data.LastfmReader;
import io.streamrec.trainer.data.MovieLensReader;
import io.streamrec.trainer.data.NcfReader;
import io.streamrec.trainer.data.OrderSignal;
import io.streamrec.trainer.data.ScaleConfig;
import io.streamrec.trainer.data.ScaleGenerator;
import io.streamrec.trainer.data.Split;
import io.streamrec.trainer.data.Splits;
import io.streamrec.trainer.data.SyntheticConfig;
import io.streamrec.trainer.data.SyntheticGenerator;
import io.streamrec.trainer.eval.Evaluator;
import io.streamrec.trainer.eval.PopularityScorer;
import io.streamrec.trainer.eval.RankingMetrics;
import io.streamrec.trainer.export.ExportMetadata;
import io.streamrec.trainer.export.ExportedModel;
import io.streamrec.trainer.export.OnnxExporter;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.model.NcfModel;
import io.streamrec.trainer.release.Hyperparameters;
import io.streamrec.trainer.report.PeakHeap;
import io.streamrec.trainer.select.BaselineCandidate;
import io.streamrec.trainer.select.Fitted;
import io.streamrec.trainer.train.FitResult;
import io.streamrec.trainer.train.HistoryContext;
import io.streamrec.trainer.train.TrainConfig;
import io.streamrec.trainer.train.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntPredicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trainer bench}: trains model variants on a dataset and prints and writes a markdown table
 * (variant, factors, layers, epochs, HR@10, NDCG@10, seconds per epoch, samples per second, peak
 * heap).
 *
 * <p>Protocol: each user's latest TRAINING interaction is held out as validation (99 negatives
 * sampled from items outside their training row); models train on the rest, the epoch with the
 * best validation HR@10 is kept (early stopping with patience), and only then is the test split
 * measured, with the user's full training row as history. With {@code --refit}, the test split is measured
 * instead on a model trained from scratch on the whole training split (the validation items included) for the
 * epoch count chosen on validation: the test item is each user's next interaction after the validation item,
 * so a model that never saw the user's latest training interaction is measured at a disadvantage.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Train model variants and print/write a markdown results table.")
public final class BenchCommand implements Callable<Integer> {

    /** Where the progress and the table are printed: {@code CommandLine.setOut}, standard output by default. */
    @Spec
    CommandSpec commandSpec;

    @Option(names = "--data", defaultValue = "synthetic",
            description = "NCF split dir (*.train.rating), MovieLens dir/file (u.data, ratings.dat), Last.fm dir "
                    + "(data1.txt), 'synthetic' (default), or 'scale:PRESET' / 'scale:USERS:ITEMS:INTERACTIONS' (the"
                    + " scale generator: presets 100k, 1m, small).")
    String data;

    @Option(names = "--rows", split = ",",
            description = "Rows to run, e.g. gmf:32,mlp:64-32-16-8,neumf:32:64-32-16-8,history:64:-:50; "
                    + "options per row after '@', e.g. gmf:8@lr=0.005@l2=0. Default: the seed table suite.")
    List<String> rows;

    @Option(names = "--epochs", defaultValue = "20", description = "Maximum epochs per row (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--patience", defaultValue = "3", description = "Early-stopping patience in epochs (default ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--batch", defaultValue = "4096", description = "Samples per batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", description = "Adam learning rate for every row (default: per variant).")
    Double learningRate;

    @Option(names = "--l2", description = "L2 on touched embedding rows for every row (default: per variant).")
    Double l2;

    @Option(names = "--average-epochs", defaultValue = "0", description = "Horizon in epochs of the moving"
            + " average of the weights that is evaluated and kept instead of the last step's (0 = none; default"
            + " ${DEFAULT-VALUE}).")
    double averageEpochs;

    @Option(names = "--negatives", defaultValue = "4", description = "Negatives per positive (default ${DEFAULT-VALUE}).")
    int negatives;

    @Option(names = "--threads", description = "Worker threads (default: available processors).")
    Integer threads;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--full-catalogue", description = "Also measure full-catalogue Recall@10 / NDCG@10.")
    boolean fullCatalogue;

    @Option(names = "--save-onnx", description = "Also export each trained row's model (catalogue scoring) to"
            + " DIR/<row>.onnx, to benchmark or inspect the graph of trained weights.")
    Path saveOnnx;

    @Option(names = "--hide-users", defaultValue = "0", description = "Hide every K-th user from training (0 = none):"
            + " the table's test columns then cover the other users, and a line per row ranks the hidden users' test"
            + " items as the unknown user from their history alone, against popularity.")
    int hideUsers;

    @Option(names = "--refit", description = "Choose the epoch count on validation, then retrain from scratch on the"
            + " whole training split (validation items included) for that many epochs and measure the test split on"
            + " that model only.")
    boolean refit;

    @Option(names = "--candidates", split = ",", description = "With --rows auto: the rows (as in --rows, or a"
            + " baseline name) the winner is selected from on validation (default: the ANeuMF family, "
            + BenchRow.HISTORY_DEFAULT + ",aneumf:32:64-32-16-8).")
    List<String> candidates;

    @Option(names = "--baselines", split = ",", defaultValue = "popularity,item-knn,ease,ials", description = "With"
            + " --rows auto: baselines fitted and measured beside the candidates, never selected unless also listed"
            + " as candidates (default ${DEFAULT-VALUE}; none for none).")
    List<String> baselines;

    @Option(names = "--metric", defaultValue = "hr@10", description = "With --rows auto: the validation figure that"
            + " selects, hr@10 or ndcg@10 (default ${DEFAULT-VALUE}).")
    String selectionMetric;

    @Option(names = "--history-context", defaultValue = "auto", converter = HistoryContextConverter.class,
            description = "What a history model's training positive sees as its history: auto, preceding or others"
                    + " (default ${DEFAULT-VALUE}); per row: @context=.")
    HistoryContext historyContext;

    @Option(names = "--shuffle-order", paramLabel = "SEED", description = "Shuffle each user's training row with"
            + " this seed before anything else (the test targets stay as they are): the same data with no time order.")
    Long shuffleOrder;

    @Option(names = "--out", defaultValue = "bench-results.md", description = "Markdown output file (default ${DEFAULT-VALUE}).")
    Path out;

    /**
     * The test targets a row is measured on: those of the users trained on, and of the hidden ones with
     * popularity's metrics on them (both null when no user is hidden).
     */
    record Targets(HeldOut test, HeldOut unseen, RankingMetrics unseenPopularity) {
    }

    /** Reads a {@link HistoryContext} by its label, as the service's configuration does. */
    static final class HistoryContextConverter implements picocli.CommandLine.ITypeConverter<HistoryContext> {
        @Override
        public HistoryContext convert(String value) {
            return HistoryContext.parse(value);
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter console = commandSpec.commandLine().getOut();
        Dataset dataset = load(data, seed);
        if (shuffleOrder != null) {
            dataset = new Dataset(dataset.name() + " (rows shuffled, seed " + shuffleOrder + ")", dataset.users(),
                    dataset.items(), dataset.train().shuffledWithinUsers(shuffleOrder), dataset.test());
        }
        IntPredicate hidden = user -> hideUsers > 0 && user % hideUsers == 0;
        Interactions training = hideUsers > 0 ? dataset.train().withoutUsers(hidden) : dataset.train();
        Split validation = Splits.leaveLastOut(training, 99, seed + 17);
        int cores = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        Targets targets = targets(dataset, hidden, validation, cores);
        List<String> specs = rows == null || rows.isEmpty() ? BenchRow.seedSuite() : rows;
        console.printf(Locale.ROOT, "dataset %s: %d users, %d items, %d training interactions%s, %d test targets; "
                        + "validation: %d held out from training; threads %d; load %s%n",
                dataset.name(), dataset.users().size(), dataset.items().size(), training.size(),
                hideUsers > 0 ? " (every " + hideUsers + "-th user hidden)" : "",
                targets.test().targetCount(), validation.heldOut().targetCount(), cores, loadAverage());
        console.println("order: " + OrderSignal.measure(training, seed).describe());

        if (specs.equals(List.of("auto"))) {
            StringBuilder notes = new StringBuilder();
            List<BenchResult> results = new AutoBench(this, console).run(dataset, training, validation, targets, cores,
                    notes);
            Files.writeString(out, render(dataset, results, cores) + "\n" + notes, StandardCharsets.UTF_8);
            console.println(render(dataset, results, cores));
            console.println("written to " + out.toAbsolutePath());
            return 0;
        }
        List<BenchResult> results = new ArrayList<>();
        for (String spec : specs) {
            BenchResult result = runRow(spec, dataset, training, targets, validation, cores, console);
            results.add(result);
            console.println(BenchResult.header(fullCatalogue).lines().findFirst().orElse(""));
            console.println(result.markdown(fullCatalogue));
            write(dataset, results, cores);
        }
        console.println();
        console.println(render(dataset, results, cores));
        console.println("written to " + out.toAbsolutePath());
        return 0;
    }

    private Targets targets(Dataset dataset, IntPredicate hidden, Split validation, int cores) {
        if (hideUsers <= 0) {
            return new Targets(dataset.test(), null, null);
        }
        HeldOut unseen = dataset.test().restrictedTo(hidden);
        // Popularity as the models see it: counted over the rows they train on.
        try (var pool = new io.streamrec.trainer.parallel.WorkerPool(cores)) {
            return new Targets(dataset.test().restrictedTo(hidden.negate()), unseen,
                    Evaluator.sampled(PopularityScorer.fit(validation.train()), dataset.train(), unseen, 10, pool));
        }
    }

    private BenchResult runRow(String rawSpec, Dataset dataset, Interactions training, Targets targets,
                               Split validation, int cores, PrintWriter console) {
        String[] pieces = rawSpec.split("@");
        System.gc(); // so the peak starts from live data, not an earlier row's garbage
        PeakHeap.reset();
        if (TUNED_BASELINES.contains(pieces[0])) {
            try (var pool = new io.streamrec.trainer.parallel.WorkerPool(cores)) {
                Fitted fitted = BaselineCandidate.of(pieces[0], longestRow(training)).fit(validation, pool);
                console.printf(Locale.ROOT, "%n== %s: tuned on validation: %s, %s, %.1f s%n", rawSpec, fitted.settings(),
                        fitted.validation(), fitted.time().toMillis() / 1000.0);
                return measure(fitted, dataset, targets, pool, console);
            }
        }
        BenchRow row = BenchRow.parse(pieces[0]);
        if (row.model() == null) {
            PopularityScorer popularity = PopularityScorer.fit(dataset.train());
            try (var pool = new io.streamrec.trainer.parallel.WorkerPool(cores)) {
                RankingMetrics test = Evaluator.sampled(popularity, dataset.train(), targets.test(), 10, pool);
                RankingMetrics full = fullCatalogue ? Evaluator.fullCatalogue(popularity, dataset.train(), targets.test(), 10, pool) : null;
                return new BenchResult("popularity", "-", "-", "-", test.hitRate(), test.ndcg(), Double.NaN,
                        full == null ? Double.NaN : full.hitRate(), full == null ? Double.NaN : full.ndcg(),
                        Double.NaN, Double.NaN, Double.NaN, PeakHeap.bytes() / (1024.0 * 1024.0));
            }
        }
        ModelConfig modelConfig = modelConfigFor(row, pieces);
        TrainConfig trainConfig = trainConfigFor(modelConfig, pieces, cores);
        console.printf(Locale.ROOT, "%n== %s: %s, lr %s, l2 %s, batch %d, up to %d epochs (patience %d), unknown-user rate %s, %s Adam, %s%n",
                rawSpec, modelConfig.describe(), trainConfig.learningRate(), trainConfig.l2(), trainConfig.batchSize(),
                trainConfig.maxEpochs(), trainConfig.patience(), trainConfig.unknownUserRate(),
                trainConfig.lazy() ? "lazy" : "dense", trainConfig.averageEpochs() > 0
                        ? "weights averaged over ~" + trainConfig.averageEpochs() + " epochs" : "no weight averaging");
        NcfModel model = NcfModel.create(modelConfig, dataset.users().size(), dataset.items().size());
        try (Trainer trainer = new Trainer(trainConfig)) {
            FitResult fit = trainer.fit(model, validation.train(), validation.heldOut(), stats -> console.printf(Locale.ROOT,
                    "  epoch %2d  loss %.4f  %.2fs (CPU %.2fs)  %,.0f samples/s  validation %s  load %s%n", stats.epoch(),
                    stats.loss(), stats.seconds(), stats.cpuSeconds(), stats.samplesPerSecond(), stats.validation(),
                    loadAverage()));
            if (refit) {
                // The selected epoch count, now on every training interaction; the validation-trained model is
                // not measured on the test split.
                model = NcfModel.create(modelConfig, dataset.users().size(), dataset.items().size());
                TrainConfig again = trainConfig.withMaxEpochs(fit.bestEpoch()).withPatience(0);
                try (Trainer refitter = new Trainer(again)) {
                    refitter.fit(model, training, null, stats -> console.printf(Locale.ROOT,
                            "  refit epoch %2d  loss %.4f  %.2fs (CPU %.2fs)%n", stats.epoch(), stats.loss(),
                            stats.seconds(), stats.cpuSeconds()));
                }
            }
            RankingMetrics test = Evaluator.sampled(model, dataset.train(), targets.test(), 10, trainer.pool());
            RankingMetrics full = fullCatalogue
                    ? Evaluator.fullCatalogue(model, dataset.train(), targets.test(), 10, trainer.pool()) : null;
            console.printf(Locale.ROOT, "  test (%s %d): %s%s%n", refit ? "refit on all training data, epochs"
                    : "epoch", fit.bestEpoch(), test, full == null ? "" : "; full catalogue " + full);
            if (targets.unseen() != null) {
                // The hidden users' histories are their training rows, which the model never saw.
                RankingMetrics unseen = Evaluator.sampled(model.asUnknownUser(), dataset.train(), targets.unseen(), 10,
                        trainer.pool());
                console.printf(Locale.ROOT, "  unseen users (every %d-th, hidden from training) as the unknown user: %s;"
                        + " popularity %s%n", hideUsers, unseen, targets.unseenPopularity());
            }
            if (saveOnnx != null) {
                saveGraph(rawSpec, model, console);
            }
            String layers = modelConfig.mlpLayers().isEmpty() ? "-" : modelConfig.mlpLayers().toString();
            if (modelConfig.usesHistory()) {
                layers += " H=" + modelConfig.historyLength() + (modelConfig.userEmbedding() ? "" : " no-user")
                        + (modelConfig.userSideQuery() ? " query=recent" : "") + " context=" + fit.historyContext().label();
            }
            return new BenchResult(modelConfig.variant().label(),
                    modelConfig.gmfFactors() == 0 ? "-" : Integer.toString(modelConfig.gmfFactors()), layers,
                    fit.bestEpoch() + "/" + fit.epochs().size(), test.hitRate(), test.ndcg(), fit.bestValidation().hitRate(),
                    full == null ? Double.NaN : full.hitRate(), full == null ? Double.NaN : full.ndcg(),
                    fit.secondsPerEpoch(), fit.cpuSecondsPerEpoch(), fit.samplesPerSecond(),
                    PeakHeap.bytes() / (1024.0 * 1024.0));
        }
    }

    /** The baselines tuned on validation (popularity has its own row: counted over the whole training split). */
    private static final List<String> TUNED_BASELINES = List.of("item-knn", "ease", "ials");

    /** The longest training row: how much history the history-based baselines read in the bench. */
    static int longestRow(Interactions training) {
        int longest = 1;
        for (int u = 1; u <= training.numUsers(); u++) {
            longest = Math.max(longest, training.length(u));
        }
        return longest;
    }

    /** A fitted entry's test figures as a table row. */
    BenchResult measure(Fitted fitted, Dataset dataset, Targets targets, io.streamrec.trainer.parallel.WorkerPool pool,
                        PrintWriter console) {
        RankingMetrics test = Evaluator.sampled(fitted.scorer(), dataset.train(), targets.test(), 10, pool);
        RankingMetrics full = fullCatalogue
                ? Evaluator.fullCatalogue(fitted.scorer(), dataset.train(), targets.test(), 10, pool) : null;
        console.printf(Locale.ROOT, "  test: %s%s%n", test, full == null ? "" : "; full catalogue " + full);
        String epochs = fitted.fit().map(f -> f.bestEpoch() + "/" + f.epochs().size()).orElse("-");
        return new BenchResult(fitted.name(), "-", fitted.settings(), epochs, test.hitRate(), test.ndcg(),
                fitted.validation().hitRate(), full == null ? Double.NaN : full.hitRate(),
                full == null ? Double.NaN : full.ndcg(), fitted.fit().map(FitResult::secondsPerEpoch).orElse(Double.NaN),
                fitted.fit().map(FitResult::cpuSecondsPerEpoch).orElse(Double.NaN),
                fitted.fit().map(FitResult::samplesPerSecond).orElse(Double.NaN), PeakHeap.bytes() / (1024.0 * 1024.0));
    }

    /** The row's model with the bench's seed and the row's {@code @init=} option. */
    ModelConfig modelConfigFor(BenchRow row, String[] pieces) {
        ModelConfig modelConfig = row.model().withSeed(seed);
        for (int i = 1; i < pieces.length; i++) {
            if (pieces[i].startsWith("init=")) {
                modelConfig = modelConfig.withInitStd(Double.parseDouble(pieces[i].substring("init=".length())));
            }
        }
        return modelConfig;
    }

    /** The row's training recipe: the variant's defaults, then the row's {@code @key=value} options. */
    TrainConfig trainConfigFor(ModelConfig modelConfig, String[] pieces, int cores) {
        TrainConfig trainConfig = defaultsFor(modelConfig, cores);
        for (int i = 1; i < pieces.length; i++) {
            String[] kv = pieces[i].split("=", 2);
            if (kv[0].equals("context")) {
                trainConfig = trainConfig.withHistoryContext(HistoryContext.parse(kv[1]));
                continue;
            }
            double v = Double.parseDouble(kv[1]);
            switch (kv[0]) {
                case "lr" -> trainConfig = trainConfig.withLearningRate(v);
                case "l2" -> trainConfig = trainConfig.withL2(v);
                case "epochs" -> trainConfig = trainConfig.withMaxEpochs((int) v);
                case "patience" -> trainConfig = trainConfig.withPatience((int) v);
                case "unknown" -> trainConfig = trainConfig.withUnknownUserRate(v);
                case "batch" -> trainConfig = trainConfig.withBatchSize((int) v);
                case "lazy" -> trainConfig = trainConfig.withLazy(v != 0);
                case "avg" -> trainConfig = trainConfig.withAverageEpochs(v);
                case "init" -> { } // a model option, read by the caller
                default -> throw new IllegalArgumentException("unknown row option " + kv[0] + " in "
                        + String.join("@", pieces));
            }
        }
        return trainConfig;
    }

    /** Writes the selected entry's serving graph: to {@code --save-onnx} itself if it ends in .onnx, else into it. */
    void saveWinner(Fitted winner, PrintWriter console) {
        if (winner.model().isPresent()) {
            saveGraph("auto-" + winner.name(), winner.model().get(), console);
        } else if (winner.scorer() instanceof ItemItemModel itemItem) {
            writeGraph("auto-" + winner.name(), ItemItemExporter.export(itemItem, new ExportMetadata("bench", 1,
                    "bench", itemItem.hyperparameters(), Map.of("data.source", data))), "", console);
        } else {
            console.printf("  %s has no serving graph; nothing written%n", winner.name());
        }
    }

    private void saveGraph(String rawSpec, NcfModel model, PrintWriter console) {
        ExportedModel graph = OnnxExporter.export(model, new ExportMetadata("bench", 1, "bench",
                Hyperparameters.of(model.config()), Map.of("data.source", data)));
        writeGraph(rawSpec, graph, model.config().gated() ? ", gate " + gateForm(graph.onnx()) : "", console);
    }

    private void writeGraph(String rawSpec, ExportedModel graph, String note, PrintWriter console) {
        byte[] onnx = graph.onnx();
        Path file = saveOnnx.toString().endsWith(".onnx") ? saveOnnx
                : saveOnnx.resolve(rawSpec.replaceAll("[^A-Za-z0-9._-]", "_") + ".onnx");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, onnx);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        console.printf(Locale.ROOT, "  graph written to %s (%,d bytes, %s scoring%s)%n", file, graph.size(),
                graph.scoring().label(), note);
    }

    private static String gateForm(byte[] onnx) {
        try {
            return ai.onnx.proto.OnnxMl.ModelProto.parseFrom(onnx).getMetadataPropsList().stream()
                    .filter(entry -> entry.getKey().equals(OnnxExporter.META_GATE_FORM))
                    .map(ai.onnx.proto.OnnxMl.StringStringEntryProto::getValue).findFirst().orElse("?");
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("the exporter wrote an unreadable graph", e);
        }
    }

    /** Per-variant defaults, tuned on the validation split; command-line flags override them. */
    private TrainConfig defaultsFor(ModelConfig model, int cores) {
        double lr = switch (model.variant()) {
            case GMF -> 0.005;
            case MLP, NEUMF, ANEUMF -> 0.002;
            case HISTORY_ANEUMF -> 0.002;
        };
        double unknown = model.usesHistory() ? 0.1 : 0;
        return new TrainConfig(epochs, batch, learningRate != null ? learningRate : lr, negatives,
                l2 != null ? l2 : 0, unknown, patience, cores, seed, true, averageEpochs, historyContext);
    }

    private static final String SCALE_PREFIX = "scale:";

    /** The dataset a {@code --data} value names (see the option). */
    public static Dataset load(String data, long seed) {
        if (data.equals("synthetic")) {
            return SyntheticGenerator.dataset(SyntheticConfig.defaults().withSeed(seed));
        }
        if (data.startsWith(SCALE_PREFIX)) {
            return new ScaleGenerator(ScaleConfig.parse(data.substring(SCALE_PREFIX.length()))).dataset();
        }
        Path path = Path.of(data);
        try (var files = Files.isDirectory(path) ? Files.list(path) : java.util.stream.Stream.<Path>empty()) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            if (names.stream().anyMatch(n -> n.endsWith(".train.rating"))) {
                return NcfReader.read(path);
            }
            if (names.contains("data1.txt")) {
                return LastfmReader.read(path, 99, seed);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Dataset.leaveLastOut(MovieLensReader.readAny(path), 99, seed);
    }

    private void write(Dataset dataset, List<BenchResult> results, int cores) throws IOException {
        Files.writeString(out, render(dataset, results, cores) + "\n", StandardCharsets.UTF_8);
    }

    private String render(Dataset dataset, List<BenchResult> results, int cores) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Dataset `%s` (%d users, %d items, %d training interactions); batch %d, "
                        + "%d negatives, %d threads, up to %d epochs, patience %d, seed %d%s%s; load average at end %s.%n%n",
                dataset.name(), dataset.users().size(), dataset.items().size(), dataset.train().size(), batch, negatives,
                cores, epochs, patience, seed, averageEpochs > 0 ? String.format(Locale.ROOT, "; weights averaged over"
                        + " ~%s epochs", averageEpochs) : "", refit ? "; test measured after a refit on all training"
                        + " data for the epochs chosen on validation" : "", loadAverage()));
        sb.append(BenchResult.header(fullCatalogue)).append('\n');
        for (BenchResult r : results) {
            sb.append(r.markdown(fullCatalogue)).append('\n');
        }
        return sb.toString();
    }



    private static String loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", load);
    }
}
