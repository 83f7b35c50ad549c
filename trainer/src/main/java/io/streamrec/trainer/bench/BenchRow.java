package io.streamrec.trainer.bench;

import io.streamrec.trainer.model.AttentionQuery;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.model.Variant;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of a benchmark: a model configuration and the training overrides it needs.
 *
 * <p>Text form: {@code variant[:gmf][:layers][:H]}, layers dash-separated, e.g. {@code gmf:32},
 * {@code mlp:64-32-16-8}, {@code neumf:32:64-32-16-8}, {@code aneumf:32:64-32-16-8},
 * {@code history:64:128-64-32:50} (history-attentive ANeuMF; use {@code -} for an absent branch,
 * e.g. {@code history:64:-:50}; options after H: {@code nouser} drops the user embedding, {@code recent}
 * makes the attention query the user's newest item instead of the candidate), or {@code popularity}.
 *
 * @param spec   the text form
 * @param model  the model, or {@code null} for the popularity baseline
 */
public record BenchRow(String spec, ModelConfig model) {

    /** Parses the text form. */
    static BenchRow parse(String spec) {
        String[] parts = spec.trim().split(":");
        String name = parts[0].toLowerCase(java.util.Locale.ROOT);
        return switch (name) {
            case "popularity" -> new BenchRow(spec, null);
            case "gmf" -> new BenchRow(spec, ModelConfig.gmf(Integer.parseInt(parts[1])));
            case "mlp" -> new BenchRow(spec, ModelConfig.mlp(layers(parts[1])));
            case "neumf" -> new BenchRow(spec, ModelConfig.neumf(Integer.parseInt(parts[1]), layers(parts[2])));
            case "aneumf" -> new BenchRow(spec, ModelConfig.aneumf(Integer.parseInt(parts[1]), layers(parts[2])));
            case "history", "history-aneumf" -> {
                int gmf = parts[1].equals("-") ? 0 : Integer.parseInt(parts[1]);
                Integer[] tower = parts[2].equals("-") ? new Integer[0] : layers(parts[2]);
                int h = Integer.parseInt(parts[3]);
                boolean withUser = true;
                AttentionQuery query = AttentionQuery.CANDIDATE;
                for (int i = 4; i < parts.length; i++) {
                    switch (parts[i]) {
                        case "nouser" -> withUser = false;
                        case "recent", "candidate" -> query = AttentionQuery.parse(parts[i]);
                        default -> throw new IllegalArgumentException("unknown history option '" + parts[i]
                                + "' in " + spec + " (nouser, recent, candidate)");
                    }
                }
                yield new BenchRow(spec, new ModelConfig(Variant.HISTORY_ANEUMF, gmf, List.of(tower), h, withUser,
                        0.01, 1L, query));
            }
            default -> throw new IllegalArgumentException("unknown bench row " + spec);
        };
    }

    private static Integer[] layers(String text) {
        List<Integer> out = new ArrayList<>();
        for (String p : text.split("-")) {
            out.add(Integer.parseInt(p));
        }
        return out.toArray(new Integer[0]);
    }

    /** The seed table's rows, with ANeuMF beside each NeuMF, and the history-attentive default. */
    static List<String> seedSuite() {
        List<String> rows = new ArrayList<>(List.of("popularity", "gmf:8", "gmf:16", "gmf:32", "gmf:64"));
        String[] towers = {"32-32-16-8", "64-64-32-16", "128-128-64-32", "256-256-128-64"};
        for (String t : towers) {
            rows.add("mlp:" + t);
        }
        for (String t : towers) {
            rows.add("neumf:32:" + t);
            rows.add("aneumf:32:" + t);
        }
        rows.add(HISTORY_DEFAULT);
        return rows;
    }

    /**
     * The trainer service's default model (history-attentive ANeuMF, GMF 32 and an MLP [64, 32, 16, 8] head over
     * attention across the last 50 items, the newest item as query). The MLP head is there because it ranks better
     * on validation than a GMF-only head (history:64:-:50); the newest item is the query rather than the candidate
     * because one user vector per request costs far less to score than one per candidate, at about the same
     * accuracy.
     */
    static final String HISTORY_DEFAULT = "history:32:64-32-16-8:50:recent";
}
