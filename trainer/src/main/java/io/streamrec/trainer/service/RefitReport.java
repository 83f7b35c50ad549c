package io.streamrec.trainer.service;

import io.streamrec.trainer.eval.RankingMetrics;
import io.streamrec.trainer.report.SvgChart;
import io.streamrec.trainer.train.EpochStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Writes a refit's outcome as one self-contained HTML page (tables and inline SVG charts). Stateless. */
final class RefitReport {

    private RefitReport() {
    }

    /** Writes the report into {@code directory} and returns its path. */
    static Path write(RefitOutcome outcome, Path directory, Instant at) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve(String.format(Locale.ROOT, "refit-%s-v%d-%d.html", outcome.modelName(),
                outcome.version(), at.toEpochMilli()));
        Files.writeString(file, html(outcome, at), StandardCharsets.UTF_8);
        return file;
    }

    static String html(RefitOutcome outcome, Instant at) {
        StringBuilder page = new StringBuilder();
        page.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>streamrec refit ")
                .append(SvgChart.escape(outcome.modelName())).append(" v").append(outcome.version())
                .append("</title><style>body{font-family:sans-serif;margin:2em;max-width:1400px}"
                        + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;"
                        + "text-align:right}th{background:#f4f4f4}.charts svg{margin:0 1em 1em 0}</style></head><body>");
        page.append("<h1>Refit of <code>").append(SvgChart.escape(outcome.modelName())).append("</code> v")
                .append(outcome.version()).append(": ").append(outcome.decision()).append("</h1>");
        page.append("<p>").append(SvgChart.escape(outcome.reason())).append("</p>");
        page.append("<p>").append(at).append(" · ").append(outcome.pairs()).append(" interactions · peak heap ")
                .append(outcome.peakHeapBytes() / (1024 * 1024)).append(" MiB</p>");

        page.append("<h2>Gate</h2><table><tr><th>model</th><th>HR@10</th><th>NDCG@10</th><th>users</th></tr>");
        row(page, "candidate v" + outcome.version(), outcome.candidate(), outcome.gateUsers());
        if (outcome.servingVersion() >= 0) {
            row(page, "serving v" + outcome.servingVersion(), outcome.serving(), outcome.gateUsers());
        }
        page.append("</table>");

        outcome.selection().ifPresent(selection -> selection(page, selection));

        page.append("<h2>Phases</h2><table><tr><th>phase</th><th>seconds</th></tr>");
        long total = 0;
        for (Map.Entry<String, Duration> phase : outcome.phases().entrySet()) {
            total += phase.getValue().toMillis();
            page.append(String.format(Locale.ROOT, "<tr><td style=\"text-align:left\">%s</td><td>%.2f</td></tr>",
                    phase.getKey(), phase.getValue().toMillis() / 1000.0));
        }
        page.append(String.format(Locale.ROOT, "<tr><th style=\"text-align:left\">total</th><th>%.2f</th></tr></table>",
                total / 1000.0));

        List<EpochStats> epochs = outcome.epochs();
        if (!epochs.isEmpty()) {
            double[] x = epochs.stream().mapToDouble(EpochStats::epoch).toArray();
            double[] loss = epochs.stream().mapToDouble(EpochStats::loss).toArray();
            double[] hr = epochs.stream().mapToDouble(e -> e.validation() == null ? Double.NaN : e.validation().hitRate())
                    .toArray();
            double[] ndcg = epochs.stream().mapToDouble(e -> e.validation() == null ? Double.NaN : e.validation().ndcg())
                    .toArray();
            page.append("<h2>Training</h2><div class=\"charts\">");
            page.append(SvgChart.lines("Training loss per epoch", "epoch", "log loss").series("loss", x, loss).svg());
            page.append(SvgChart.lines("Validation HR@10 and NDCG@10 per epoch", "epoch", "metric")
                    .series("HR@10", x, hr).series("NDCG@10", x, ndcg).svg());
            page.append("</div><table><tr><th>epoch</th><th>loss</th><th>val HR@10</th><th>val NDCG@10</th>"
                    + "<th>seconds</th><th>samples/s</th></tr>");
            for (EpochStats epoch : epochs) {
                page.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%.4f</td><td>%.4f</td><td>%.4f</td>"
                                + "<td>%.2f</td><td>%,.0f</td></tr>", epoch.epoch(), epoch.loss(),
                        epoch.validation() == null ? Double.NaN : epoch.validation().hitRate(),
                        epoch.validation() == null ? Double.NaN : epoch.validation().ndcg(), epoch.seconds(),
                        epoch.samplesPerSecond()));
            }
            page.append("</table>");
        }
        return page.append("</body></html>").toString();
    }

    /** Every candidate's and baseline's validation figures, the reason for the winner, and the baseline warning. */
    private static void selection(StringBuilder page, io.streamrec.trainer.select.SelectionSummary selection) {
        page.append("<h2>Selection</h2>");
        selection.warning().ifPresent(warning -> page.append("<p style=\"color:#b00;font-weight:bold\">")
                .append(SvgChart.escape(warning)).append("</p>"));
        page.append("<p>").append(SvgChart.escape(selection.reason())).append(" (validation split)</p>");
        page.append("<table><tr><th>entry</th><th>kind</th><th>settings</th><th>val HR@10</th><th>val NDCG@10</th>"
                + "<th>seconds</th></tr>");
        for (var entry : selection.entries()) {
            boolean winner = !entry.baseline() && entry.name().equals(selection.winner());
            page.append(String.format(Locale.ROOT, "<tr><td style=\"text-align:left\">%s%s</td><td>%s</td>"
                            + "<td style=\"text-align:left\">%s</td><td>%.4f</td><td>%.4f</td><td>%.1f</td></tr>",
                    SvgChart.escape(entry.name()), winner ? " (selected)" : "", entry.baseline() ? "baseline"
                            : "candidate", SvgChart.escape(entry.settings()), entry.hitRate(), entry.ndcg(),
                    entry.seconds()));
        }
        page.append("</table>");
    }

    private static void row(StringBuilder page, String label, Optional<RankingMetrics> metrics, int users) {
        page.append("<tr><td style=\"text-align:left\">").append(SvgChart.escape(label)).append("</td>");
        if (metrics.isPresent()) {
            page.append(String.format(Locale.ROOT, "<td>%.4f</td><td>%.4f</td><td>%d</td>", metrics.get().hitRate(),
                    metrics.get().ndcg(), users));
        } else {
            page.append("<td>–</td><td>–</td><td>–</td>");
        }
        page.append("</tr>");
    }
}
