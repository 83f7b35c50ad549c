package io.streamrec.demo.chaos;

import io.streamrec.trainer.report.SvgChart;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The chaos suite's report: one markdown table row per scenario (for the terminal and the docs) and a
 * self-contained HTML page with the table, each scenario's p99 latency over time with its faults marked, the
 * dead-letter reasons and the checks. Stateless.
 */
final class ChaosReport {

    private ChaosReport() {
    }

    static String summaryLine(ScenarioResult result) {
        Verifier.Tally tally = result.tally();
        return String.format(Locale.ROOT, "%s: %,d clicks, %,d answered, %d lost, %d duplicated, %d valid"
                        + " dead-lettered; bad %d/%d dead-lettered; p99 steady %.0f ms, back under 2x after %s; liveness"
                        + " failures %d/%d; exits %s; %s", result.scenario().id(), tally.clicks(), tally.answered(),
                tally.lost(), tally.duplicated(), tally.validDeadLettered(), result.badDeadLettered(), result.badSent(),
                result.steadyP99Ms(), recovery(result), result.livenessFailures(), result.livenessProbes(),
                result.unexpectedExits().isEmpty() ? "none" : result.unexpectedExits(),
                result.passed() ? "PASS" : "FAIL" + (result.error() == null ? "" : " (" + result.error() + ")"));
    }

    static String markdown(List<ScenarioResult> results, String header) {
        StringBuilder table = new StringBuilder(header).append("\n\n");
        table.append("| scenario | valid clicks | lists | lost | duplicated | valid dead-lettered | bad records"
                + " dead-lettered | steady p99 ms | back under 2x p99 after | s above 2x p99 | liveness failures"
                + " | unexpected exits | peak RSS MiB | checks | |\n");
        table.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (ScenarioResult result : results) {
            Verifier.Tally tally = result.tally();
            table.append(String.format(Locale.ROOT, "| %s %s | %,d | %,d | %d | %d | %d | %s | %.0f | %s | %s"
                            + " | %d of %d | %d | %d | %s | %s |%n", result.scenario().id(), result.scenario().title(),
                    tally.clicks(), tally.answered(), tally.lost(), tally.duplicated(), tally.validDeadLettered(),
                    result.badSent() == 0 ? "-" : String.format(Locale.ROOT, "%,d of %,d", result.badDeadLettered(),
                            result.badSent()), result.steadyP99Ms(), recovery(result), secondsAbove(result),
                    result.livenessFailures(),
                    result.livenessProbes(), result.unexpectedExits().size(),
                    result.peakRssMiB().values().stream().mapToLong(Long::longValue).max().orElse(0),
                    checks(result.checks()), result.passed() ? "pass" : "FAIL"));
        }
        return table.toString();
    }

    static Path writeHtml(Path file, List<ScenarioResult> results, String header) throws IOException {
        StringBuilder page = new StringBuilder();
        page.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>streamrec chaos report</title><style>"
                + "body{font-family:sans-serif;margin:2em;max-width:1400px}table{border-collapse:collapse;margin:1em 0}"
                + "td,th{border:1px solid #ccc;padding:4px 8px}th{background:#f4f4f4}.fail{color:#b00}</style>"
                + "</head><body><h1>streamrec chaos suite</h1><p>").append(SvgChart.escape(header)).append("</p>");
        page.append("<table><tr><th>scenario</th><th>valid clicks</th><th>lists</th><th>lost</th><th>duplicated</th>"
                + "<th>valid dead-lettered</th><th>bad dead-lettered</th><th>steady p99 ms</th><th>back under 2x"
                + " p99 after</th><th>s above 2x p99</th><th>liveness failures</th><th>unexpected exits</th><th>peak RSS MiB per instance</th>"
                + "<th>result</th></tr>");
        for (ScenarioResult result : results) {
            Verifier.Tally tally = result.tally();
            page.append(String.format(Locale.ROOT, "<tr><td>%s %s</td><td>%,d</td><td>%,d</td><td>%d</td><td>%d</td>"
                            + "<td>%d</td><td>%s</td><td>%.0f</td><td>%s</td><td>%s</td><td>%d of %d</td><td>%s</td>"
                            + "<td>%s</td>"
                            + "<td class=\"%s\">%s</td></tr>", result.scenario().id(),
                    SvgChart.escape(result.scenario().title()), tally.clicks(), tally.answered(), tally.lost(),
                    tally.duplicated(), tally.validDeadLettered(), result.badSent() == 0 ? "-"
                            : result.badDeadLettered() + " of " + result.badSent(), result.steadyP99Ms(),
                    recovery(result), secondsAbove(result), result.livenessFailures(), result.livenessProbes(),
                    SvgChart.escape(String.join("; ", result.unexpectedExits())),
                    SvgChart.escape(result.peakRssMiB().toString()), result.passed() ? "" : "fail",
                    result.passed() ? "pass" : "FAIL"));
        }
        page.append("</table>");
        for (ScenarioResult result : results) {
            scenario(page, result);
        }
        page.append("</body></html>\n");
        Files.writeString(file, page.toString(), StandardCharsets.UTF_8);
        return file;
    }

    private static void scenario(StringBuilder page, ScenarioResult result) {
        page.append("<h2>").append(result.scenario().id()).append(": ")
                .append(SvgChart.escape(result.scenario().title())).append("</h2>");
        double[] x = result.p99ByBucket().keySet().stream().mapToDouble(Double::doubleValue).toArray();
        double[] y = result.p99ByBucket().values().stream().mapToDouble(Double::doubleValue).toArray();
        if (x.length > 1) {
            SvgChart chart = SvgChart.lines("p99 click-to-list latency per 2 s of send time",
                    "seconds since the load started", "ms").series("p99", x, y)
                    .series("2x steady", new double[] {x[0], x[x.length - 1]},
                            new double[] {2 * result.steadyP99Ms(), 2 * result.steadyP99Ms()});
            for (FaultScript.Mark mark : result.marks()) {
                chart.marker(mark.atSeconds(), mark.label());
            }
            page.append(chart.svg());
        }
        page.append("<ul>");
        for (FaultScript.Mark mark : result.marks()) {
            page.append(String.format(Locale.ROOT, "<li>%.1f s: %s</li>", mark.atSeconds(),
                    SvgChart.escape(mark.label())));
        }
        result.checks().forEach((check, held) -> page.append("<li>check: ").append(SvgChart.escape(check))
                .append(held ? " - held" : " - <b class=\"fail\">failed</b>").append("</li>"));
        if (!result.reasons().isEmpty()) {
            page.append("<li>dead-letter reasons of the bad records: ").append(SvgChart.escape(
                    result.reasons().toString())).append("</li>");
        }
        Verifier.Tally tally = result.tally();
        page.append(String.format(Locale.ROOT, "<li>lists of clicks not from this run: %d; dead letters without a"
                + " chaos header: %d</li>", tally.foreignLists(), tally.unmarkedDeadLetters()));
        if (result.error() != null) {
            page.append("<li class=\"fail\">error: ").append(SvgChart.escape(result.error())).append("</li>");
        }
        page.append("</ul>");
    }

    private static String recovery(ScenarioResult result) {
        double seconds = result.recovery().backUnderSeconds();
        return Double.isNaN(seconds) ? "-" : Double.isInfinite(seconds) ? "never" : String.format(Locale.ROOT,
                "%.0f s", seconds);
    }

    private static String secondsAbove(ScenarioResult result) {
        double seconds = result.recovery().secondsAbove();
        return Double.isNaN(seconds) ? "-" : String.format(Locale.ROOT, "%.0f", seconds);
    }

    private static String checks(Map<String, Boolean> checks) {
        if (checks.isEmpty()) {
            return "-";
        }
        long held = Collections.frequency(List.copyOf(checks.values()), Boolean.TRUE);
        return held + " of " + checks.size() + " held";
    }
}
