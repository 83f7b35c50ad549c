package io.streamrec.app.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrec.app.model.OnnxRuntime;
import io.streamrec.schemas.model.ServingSignature;
import io.streamrec.trainer.export.ExportMetadata;
import io.streamrec.trainer.export.ExportedModel;
import io.streamrec.trainer.export.OnnxExporter;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where one full-catalogue scoring call spends its time: ONNX Runtime's own profiler over many calls of one
 * variant's graph (the trainer's export of a random model at MovieLens-1M size, a full history, the app's session
 * settings through {@link OnnxRuntime}), summed per node and printed as a table. Profiling slows every call, so
 * the shares are the result, not the times. Run: {@code streams-app/bench/scoring.sh --profile neumf}.
 */
public final class ScoringProfile {

    private static final int WARMUP_CALLS = 300;
    private static final int CALLS = 3_000;

    private ScoringProfile() {
    }

    public static void main(String[] args) throws Exception {
        String variant = args.length > 0 ? args[0] : "neumf";
        ExportedModel graph = OnnxExporter.export(BenchModels.randomModel(BenchModels.configs().get(variant), 1),
                new ExportMetadata("profile", 1, "bench", Map.of(), Map.of()));
        Path directory = Files.createTempDirectory("streamrec-profile");
        long[] history = new long[graph.historyLength()];
        for (int j = 0; j < history.length; j++) {
            history[j] = 1 + (j * 37L) % BenchModels.ITEMS;
        }
        long[] catalogue = new long[BenchModels.ITEMS];
        for (int i = 0; i < catalogue.length; i++) {
            catalogue[i] = i + 1;
        }
        Path profile;
        try (OnnxRuntime runtime = new OnnxRuntime(new OnnxRuntime.Settings(1, false));
             OrtSession session = runtime.createProfilingSession(graph.onnx(), directory.resolve(variant))) {
            OrtEnvironment environment = runtime.environment();
            try (OnnxTensor user = OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[] {5}), new long[] {1});
                 OnnxTensor historyTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(history),
                         new long[] {1, history.length});
                 OnnxTensor candidates = OnnxTensor.createTensor(environment, LongBuffer.wrap(catalogue),
                         new long[] {1, catalogue.length})) {
                Map<String, OnnxTensor> inputs = Map.of(ServingSignature.USER, user, ServingSignature.HISTORY,
                        historyTensor, ServingSignature.CANDIDATES, candidates);
                for (int call = 0; call < WARMUP_CALLS + CALLS; call++) {
                    try (OrtSession.Result result = session.run(inputs)) {
                        result.get(0);
                    }
                }
            }
            profile = Path.of(session.endProfiling());
        }
        print(variant, profile);
    }

    /** Sums the profile's node kernel times per node and prints them beside the whole runs. */
    private static void print(String variant, Path profile) throws Exception {
        Map<String, long[]> nodes = new LinkedHashMap<>(); // node -> {total µs, calls}
        Map<String, String> operators = new LinkedHashMap<>();
        long runMicros = 0;
        long runs = 0;
        for (JsonNode event : new ObjectMapper().readTree(profile.toFile())) {
            String name = event.path("name").asText();
            if (event.path("cat").asText().equals("Session") && name.equals("model_run")) {
                runMicros += event.path("dur").asLong();
                runs++;
            } else if (event.path("cat").asText().equals("Node") && name.endsWith("_kernel_time")) {
                String node = name.substring(0, name.length() - "_kernel_time".length());
                long[] totals = nodes.computeIfAbsent(node, key -> new long[2]);
                totals[0] += event.path("dur").asLong();
                totals[1]++;
                operators.put(node, event.path("args").path("op_name").asText());
            }
        }
        long kernelMicros = nodes.values().stream().mapToLong(totals -> totals[0]).sum();
        System.out.printf(Locale.ROOT, "%nONNX Runtime profile of %s, %,d items, %,d calls (warm-up included): a call"
                        + " %.1f µs under the profiler, %.0f %% of it in %d node kernels%n%n", variant,
                BenchModels.ITEMS, runs, (double) runMicros / runs, 100.0 * kernelMicros / runMicros, nodes.size());
        System.out.println("| node | operator | µs per call | share of kernel time |");
        System.out.println("|---|---|---:|---:|");
        nodes.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[0]).reversed())
                .forEach(e -> System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f %% |%n", e.getKey(),
                        operators.get(e.getKey()), (double) e.getValue()[0] / e.getValue()[1],
                        100.0 * e.getValue()[0] / kernelMicros));
        System.out.println("\nprofile: " + profile);
    }
}
