package io.streamrec.app.bench;

import ai.onnxruntime.OrtEnvironment;
import io.streamrec.trainer.export.ExportMetadata;
import io.streamrec.trainer.export.OnnxExporter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs {@link ScoringBenchmark} and prints one table: per variant, full-catalogue p50 / p99 in one call through
 * the serving wrapper (with warm and with cold caches) and for the graph alone, the same candidates with one
 * call per item, their ratio, and
 * the bars of issue 4 (NeuMF p50 ≤ 0.25 ms, history-attentive ANeuMF p50 ≤ 1.5 ms, batched over per-item
 * ≥ 50×), with the machine's load average before and after (other builds share the cores). Arguments: {@code [variant,...]} (default: all) and
 * {@code --quick} (shorter iterations, for a smoke run).
 */
public final class ScoringBench {

    private ScoringBench() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        List<String> variants = new ArrayList<>(BenchModels.configs().keySet());
        boolean quick = false;
        for (String arg : args) {
            if (arg.equals("--quick")) {
                quick = true;
            } else {
                variants = List.of(arg.split(","));
            }
        }
        PrintStream out = System.out;
        String loadBefore = loadAverage();
        String[] variantParams = variants.toArray(new String[0]);
        Map<String, Statistics> batchedByVariant = oneCallRun("fullCatalogue", variantParams, quick);
        Map<String, Statistics> graphByVariant = oneCallRun("graphOnly", variantParams, quick);
        Map<String, Statistics> coldByVariant = oneCallRun("fullCatalogueColdCache", variantParams, quick);
        Map<String, Statistics> perItemByVariant = byVariant(new Runner(options("perItem", variantParams,
                quick ? 1 : 2, quick ? 2 : 5, quick ? 1 : 3)).run());
        String loadAfter = loadAverage();
        out.println();
        out.printf(Locale.ROOT, "Full-catalogue scoring, one user, %,d items, H = %d, ONNX Runtime %s, 1 intra-op"
                + " thread, no spinning; %d cores; load average before %s, after %s%n%n", BenchModels.ITEMS,
                BenchModels.HISTORY, OrtEnvironment.getEnvironment().getVersion(),
                Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter);
        out.println("| variant | graph MB | one call p50 ms | one call p99 ms | samples | graph only p50 ms"
                + " | graph only p99 ms | cold caches p50 ms | cold caches p99 ms | per-item p50 ms"
                + " | per-item / one call | bar |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (String variant : variants) {
            Statistics one = batchedByVariant.get(variant);
            Statistics each = perItemByVariant.get(variant);
            Statistics graph = graphByVariant.get(variant);
            Statistics coldCalls = coldByVariant.get(variant);
            if (one == null || each == null || graph == null || coldCalls == null) {
                out.printf(Locale.ROOT, "| %s | a benchmark run failed: see the JMH output above |%n", variant);
                continue;
            }
            double graphMb = OnnxExporter.export(BenchModels.randomModel(BenchModels.configs().get(variant), 1),
                    new ExportMetadata("bench", 1, "bench", Map.of(), Map.of())).size() / 1e6;
            double p50 = one.getPercentile(50) / 1000;
            double perItemP50 = each.getPercentile(50) / 1000;
            double ratio = perItemP50 / p50;
            out.printf(Locale.ROOT, "| %s | %.1f | %.3f | %.3f | %d | %.3f | %.3f | %.3f | %.3f | %.1f | %.0f× | %s |%n",
                    variant, graphMb, p50, one.getPercentile(99) / 1000, one.getN(), graph.getPercentile(50) / 1000,
                    graph.getPercentile(99) / 1000, coldCalls.getPercentile(50) / 1000,
                    coldCalls.getPercentile(99) / 1000, perItemP50, ratio, verdict(variant, p50, ratio));
        }
    }

    /** A benchmark method of one call per catalogue, with the iterations they all share; statistics by variant. */
    private static Map<String, Statistics> oneCallRun(String method, String[] variants, boolean quick)
            throws RunnerException {
        return byVariant(new Runner(options(method, variants, quick ? 2 : 5, quick ? 1 : 2, quick ? 2 : 5)).run());
    }

    private static Options options(String method, String[] variants, int warmups, int warmupSeconds,
                                   int iterations) {
        return new OptionsBuilder()
                .include(ScoringBenchmark.class.getName() + "." + method + "$")
                .param("variant", variants)
                .forks(1)
                .warmupIterations(warmups)
                .warmupTime(TimeValue.seconds(warmupSeconds))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(5))
                .jvmArgsAppend("-Xmx2g", "-XX:+UseParallelGC")
                .verbosity(VerboseMode.NORMAL)
                .build();
    }

    private static Map<String, Statistics> byVariant(Collection<RunResult> results) {
        Map<String, Statistics> map = new LinkedHashMap<>();
        for (RunResult result : results) {
            map.put(result.getParams().getParam("variant"), result.getPrimaryResult().getStatistics());
        }
        return map;
    }

    private static String verdict(String variant, double p50Ms, double ratio) {
        String ratioBar = ratio >= 50 ? "≥ 50× met" : "≥ 50× MISSED";
        return switch (variant) {
            case "neumf" -> (p50Ms <= 0.25 ? "≤ 0.25 ms met" : "≤ 0.25 ms MISSED") + "; " + ratioBar;
            case "history-aneumf", "history-recent" ->
                    (p50Ms <= 1.5 ? "≤ 1.5 ms met" : "≤ 1.5 ms MISSED") + "; " + ratioBar;
            default -> ratioBar;
        };
    }

    private static String loadAverage() throws IOException {
        Path loadavg = Path.of("/proc/loadavg");
        if (!Files.isReadable(loadavg)) {
            return "n/a";
        }
        String[] fields = Files.readString(loadavg).trim().split("\\s+");
        return fields[0] + " / " + fields[1] + " / " + fields[2];
    }
}
