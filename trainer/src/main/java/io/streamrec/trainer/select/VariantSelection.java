package io.streamrec.trainer.select;

import io.streamrec.trainer.data.Split;
import io.streamrec.trainer.parallel.WorkerPool;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Variant selection ({@code model.variant=auto}): every candidate and every baseline is fitted on the same
 * validation split (cut from the training data), and the candidate with the best validation figure wins, the
 * other metric breaking ties, then the list order. Baselines only stand beside: when one beats the winner on
 * validation the selection says so loudly ({@link #baselineAhead()}), because then the product's model is not
 * the best thing this data allows.
 *
 * @param metric     {@code hr@10} or {@code ndcg@10}
 * @param candidates the fitted candidates, in list order (at least one)
 * @param baselines  the fitted baselines, in list order
 */
public record VariantSelection(String metric, List<Fitted> candidates, List<Fitted> baselines) {

    /** Freezes the lists. */
    public VariantSelection {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("a selection needs at least one candidate");
        }
        candidates = List.copyOf(candidates);
        baselines = List.copyOf(baselines);
    }

    /**
     * Fits {@code candidates} then {@code baselines} on {@code validation}, telling {@code progress} of each as it
     * is done.
     */
    public static VariantSelection run(String metric, List<? extends Candidate> candidates,
                                       List<? extends Candidate> baselines, Split validation, WorkerPool pool,
                                       Consumer<Fitted> progress) {
        List<Fitted> fittedCandidates = fitAll(candidates, validation, pool, progress);
        List<Fitted> fittedBaselines = fitAll(baselines, validation, pool, progress);
        return new VariantSelection(metric, fittedCandidates, fittedBaselines);
    }

    private static List<Fitted> fitAll(List<? extends Candidate> entries, Split validation, WorkerPool pool,
                                       Consumer<Fitted> progress) {
        List<Fitted> fitted = new ArrayList<>();
        for (Candidate entry : entries) {
            Fitted f = entry.fit(validation, pool);
            progress.accept(f);
            fitted.add(f);
        }
        return fitted;
    }

    /** The candidate with the best validation figure. */
    public Fitted winner() {
        return candidates.stream().max(order()).orElseThrow();
    }

    /** The baseline with the best validation figure, if any was fitted. */
    public Optional<Fitted> bestBaseline() {
        return baselines.stream().max(order());
    }

    /** Whether the best baseline scores strictly above the winner on validation. */
    public boolean baselineAhead() {
        return bestBaseline().map(b -> order().compare(b, winner()) > 0).orElse(false);
    }

    /** Why the winner won, in one line: its figure against the runner-up's. */
    public String reason() {
        Fitted winner = winner();
        String verdict = String.format(Locale.ROOT, "%s wins with validation %s %.4f", winner.name(), metric,
                winner.metric(metric));
        Optional<Fitted> runnerUp = candidates.stream().filter(c -> c != winner).max(order());
        return verdict + runnerUp.map(r -> String.format(Locale.ROOT, " against %s %.4f", r.name(), r.metric(metric)))
                .orElse(" (the only candidate)");
    }

    /** The loud line when a baseline is ahead, else empty. */
    public Optional<String> warning() {
        if (!baselineAhead()) {
            return Optional.empty();
        }
        Fitted baseline = bestBaseline().orElseThrow();
        Fitted winner = winner();
        return Optional.of(String.format(Locale.ROOT, "BASELINE AHEAD: %s (%s) scores validation %s %.4f, above the"
                        + " selected %s at %.4f; the published model is not the best this data allows",
                baseline.name(), baseline.settings(), metric, baseline.metric(metric), winner.name(),
                winner.metric(metric)));
    }

    /** The figures without the models. */
    public SelectionSummary summary() {
        List<SelectionSummary.Entry> entries = entries().stream().map(f -> new SelectionSummary.Entry(f.name(),
                f.baseline(), f.settings(), f.validation().hitRate(), f.validation().ndcg(),
                f.time().toMillis() / 1000.0)).toList();
        return new SelectionSummary(metric, entries, winner().name(), reason(), warning());
    }

    /** Every entry's validation figures, winner marked, as a markdown table. */
    public String table() {
        StringBuilder out = new StringBuilder("| entry | kind | settings | val HR@10 | val NDCG@10 | seconds |\n"
                + "|---|---|---|---:|---:|---:|\n");
        Fitted winner = winner();
        for (Fitted f : entries()) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %.4f | %.4f | %.1f |%n",
                    f == winner ? "**" + f.name() + "** (selected)" : f.name(), f.baseline() ? "baseline" : "candidate",
                    f.settings(), f.validation().hitRate(), f.validation().ndcg(), f.time().toMillis() / 1000.0));
        }
        return out.toString();
    }

    /** Every fitted entry: the candidates, then the baselines, each in list order. */
    public List<Fitted> entries() {
        List<Fitted> all = new ArrayList<>(candidates);
        all.addAll(baselines);
        return all;
    }

    /**
     * The selecting figure, then the other one. Full ties need no rule of their own: {@code Stream.max} keeps the
     * first of equal elements, so the list order decides, and a baseline must score strictly above to be ahead.
     */
    private Comparator<Fitted> order() {
        String other = metric.equals("hr@10") ? "ndcg@10" : "hr@10";
        return Comparator.<Fitted>comparingDouble(f -> f.metric(metric)).thenComparingDouble(f -> f.metric(other));
    }
}
