package io.streamrec.trainer.bench;

import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.data.Split;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.parallel.WorkerPool;
import io.streamrec.trainer.select.BaselineCandidate;
import io.streamrec.trainer.select.Candidate;
import io.streamrec.trainer.select.Fitted;
import io.streamrec.trainer.select.NeuralCandidate;
import io.streamrec.trainer.select.VariantSelection;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench --rows auto}: the trainer service's variant selection on a dataset. Every candidate and baseline is
 * fitted on the validation split, the winner is chosen on validation as the service chooses it, and only then is
 * every entry measured on the test split, so the table shows what the selection would have published and what it
 * left behind.
 */
final class AutoBench {

    /** The service's default candidate list: the ANeuMF family (history-attentive default, table-user ANeuMF). */
    static final List<String> DEFAULT_CANDIDATES = List.of(BenchRow.HISTORY_DEFAULT, "aneumf:32:64-32-16-8");

    private final BenchCommand bench;
    private final PrintWriter console;

    AutoBench(BenchCommand bench, PrintWriter console) {
        this.bench = bench;
        this.console = console;
    }

    /** The selection on {@code validation} and every entry's test row; the selection table goes to {@code notes}. */
    List<BenchResult> run(Dataset dataset, Interactions training, Split validation, BenchCommand.Targets targets,
                          int cores, StringBuilder notes) {
        int history = BenchCommand.longestRow(training);
        List<Candidate> candidates = new ArrayList<>();
        for (String spec : bench.candidates == null || bench.candidates.isEmpty() ? DEFAULT_CANDIDATES : bench.candidates) {
            candidates.add(candidate(spec, history, cores));
        }
        List<Candidate> baselines = new ArrayList<>();
        for (String name : bench.baselines) {
            if (!name.equals("none")) {
                baselines.add(BaselineCandidate.of(name, history));
            }
        }
        try (WorkerPool pool = new WorkerPool(cores)) {
            VariantSelection selection = VariantSelection.run(bench.selectionMetric, candidates, baselines, validation,
                    pool, fitted -> console.printf(Locale.ROOT, "  fitted %s (%s): validation %s in %.1f s%n",
                            fitted.name(), fitted.settings(), fitted.validation(), fitted.time().toMillis() / 1000.0));
            notes.append("Selection on validation (").append(bench.selectionMetric).append("):\n\n")
                    .append(selection.table()).append('\n').append(selection.reason()).append(".\n");
            selection.warning().ifPresent(warning -> notes.append('\n').append(warning).append('\n'));
            console.println();
            console.println(notes);
            List<BenchResult> results = new ArrayList<>();
            Fitted winner = selection.winner();
            for (Fitted fitted : selection.entries()) {
                console.printf("== %s on the test split%n", fitted.name());
                BenchResult row = bench.measure(fitted, dataset, targets, pool, console);
                results.add(fitted == winner ? row.withVariant("**" + row.variant() + " (selected)**")
                        : fitted.baseline() ? row.withVariant(row.variant() + " (baseline)") : row);
            }
            if (bench.saveOnnx != null) {
                bench.saveWinner(winner, console);
            }
            return results;
        }
    }

    private Candidate candidate(String spec, int history, int cores) {
        String[] pieces = spec.split("@");
        if (BaselineCandidate.NAMES.contains(pieces[0])) {
            return BaselineCandidate.of(pieces[0], history);
        }
        ModelConfig model = bench.modelConfigFor(BenchRow.parse(pieces[0]), pieces);
        return new NeuralCandidate(model, bench.trainConfigFor(model, pieces, cores), java.util.Optional.empty(),
                stats -> console.printf(Locale.ROOT, "  %s epoch %2d  loss %.4f  %.2fs  validation %s%n",
                        model.variant().label(), stats.epoch(), stats.loss(), stats.seconds(), stats.validation()));
    }
}
