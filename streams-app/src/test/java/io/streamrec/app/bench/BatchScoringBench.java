package io.streamrec.app.bench;

import ai.onnxruntime.OrtEnvironment;
import java.io.PrintStream;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs {@link BatchScoringBenchmark} and prints one table: per variant and batch size, the p50 of one call and
 * per click (the call divided by the batch), warm and with cold caches, and the per-click cost against batch
 * 1 of the same run, with the bar of the batching work (history model: batch 32 at most 40 % of batch 1 per
 * click). Arguments: {@code [variant,...]} (default: neumf and the history model) and {@code --quick}.
 */
public final class BatchScoringBench {

    private static final List<String> BATCHES = List.of("1", "8", "32", "128");

    private BatchScoringBench() {
    }

    public static void main(String[] args) throws RunnerException {
        String[] variants = {"neumf", "history-recent"};
        boolean quick = false;
        for (String arg : args) {
            if (arg.equals("--quick")) {
                quick = true;
            } else {
                variants = arg.split(",");
            }
        }
        Map<String, Statistics> warm = run("catalogueBatch", variants, quick);
        Map<String, Statistics> cold = run("catalogueBatchColdCache", variants, quick);
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "%nFull-catalogue scoring of a batch of users in one call, %,d items, H = %d,"
                + " ONNX Runtime %s, 1 intra-op thread, no spinning; %d cores%n%n", BenchModels.ITEMS,
                BenchModels.HISTORY, OrtEnvironment.getEnvironment().getVersion(),
                Runtime.getRuntime().availableProcessors());
        out.println("| variant | batch | call p50 ms | per click p50 ms | per click vs batch 1"
                + " | cold call p50 ms | cold per click p50 ms | cold per click vs batch 1 | bar |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        for (String variant : variants) {
            double warmAlone = perClick(warm, variant, "1");
            double coldAlone = perClick(cold, variant, "1");
            for (String batch : BATCHES) {
                double warmEach = perClick(warm, variant, batch);
                double coldEach = perClick(cold, variant, batch);
                out.printf(Locale.ROOT, "| %s | %s | %.3f | %.4f | %.0f %% | %.3f | %.4f | %.0f %% | %s |%n", variant,
                        batch, warmEach * Integer.parseInt(batch), warmEach, 100 * warmEach / warmAlone,
                        coldEach * Integer.parseInt(batch), coldEach, 100 * coldEach / coldAlone,
                        verdict(variant, batch, warmEach / warmAlone));
            }
        }
    }

    /** The p50 of one call divided by the batch, in ms; NaN when the run failed. */
    private static double perClick(Map<String, Statistics> results, String variant, String batch) {
        Statistics call = results.get(variant + "/" + batch);
        return call == null ? Double.NaN : call.getPercentile(50) / 1000 / Integer.parseInt(batch);
    }

    private static String verdict(String variant, String batch, double ratio) {
        if (!variant.startsWith("history") || !batch.equals("32")) {
            return "";
        }
        return ratio <= 0.40 ? "≤ 40 % met" : "≤ 40 % MISSED";
    }

    private static Map<String, Statistics> run(String method, String[] variants, boolean quick)
            throws RunnerException {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(BatchScoringBenchmark.class.getName() + "." + method + "$")
                .param("variant", variants)
                .param("batch", BATCHES.toArray(new String[0]))
                .forks(1)
                .warmupIterations(quick ? 2 : 4)
                .warmupTime(TimeValue.seconds(quick ? 1 : 2))
                .measurementIterations(quick ? 2 : 5)
                .measurementTime(TimeValue.seconds(quick ? 2 : 4))
                .jvmArgsAppend("-Xmx2g", "-XX:+UseParallelGC")
                .verbosity(VerboseMode.SILENT)
                .build()).run();
        Map<String, Statistics> byRow = new LinkedHashMap<>();
        for (RunResult result : results) {
            byRow.put(result.getParams().getParam("variant") + "/" + result.getParams().getParam("batch"),
                    result.getPrimaryResult().getStatistics());
        }
        return byRow;
    }
}
