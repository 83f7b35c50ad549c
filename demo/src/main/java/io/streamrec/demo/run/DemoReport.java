package io.streamrec.demo.run;

import io.streamrec.app.model.ModelEvent;
import io.streamrec.demo.load.RecommendationWatcher;
import io.streamrec.trainer.report.SvgChart;
import io.streamrec.trainer.service.RefitOutcome;
import io.streamrec.trainer.train.EpochStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The demo's HTML report: one self-contained page (inline SVG, no scripts, no network) with the run's
 * summary, training curves of every refit, the latency histogram, throughput and p99 latency over time with
 * the swap moments marked, and the model events. Stateless.
 */
public final class DemoReport {

    private DemoReport() {
    }

    public static Path write(Path file, DemoSettings settings, RecommendationWatcher.Snapshot seen,
                             List<RefitOutcome> refits, List<ModelEvent> modelEvents, long clicksSent, long clicksFailed,
                             Duration elapsed) throws IOException {
        Files.writeString(file, html(settings, seen, refits, modelEvents, clicksSent, clicksFailed, elapsed),
                StandardCharsets.UTF_8);
        return file;
    }

    static String html(DemoSettings settings, RecommendationWatcher.Snapshot seen, List<RefitOutcome> refits,
                       List<ModelEvent> modelEvents, long clicksSent, long clicksFailed, Duration elapsed) {
        StringBuilder page = new StringBuilder();
        page.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>streamrec demo report</title><style>"
                + "body{font-family:sans-serif;margin:2em;max-width:1400px}table{border-collapse:collapse;margin:1em 0}"
                + "td,th{border:1px solid #ccc;padding:4px 8px}th{background:#f4f4f4}td.n{text-align:right}"
                + ".charts{display:flex;flex-wrap:wrap}.charts svg{margin:0 1em 1em 0}</style></head><body>");
        page.append("<h1>streamrec demo</h1><p>").append(Instant.now()).append(" · ")
                .append(SvgChart.escape(settings.data().map(Path::toString).orElse("synthetic dataset ("
                        + settings.syntheticUsers() + " users, " + settings.syntheticItems() + " items)")))
                .append(" · variant ").append(SvgChart.escape(settings.variant())).append("</p>");

        long missing = Math.max(0, clicksSent - seen.lists());
        page.append("<h2>Summary</h2><table>");
        summary(page, "run time", String.format(Locale.ROOT, "%.1f s", elapsed.toMillis() / 1000.0));
        summary(page, "replay", String.format(Locale.ROOT, "%.0f clicks/s for %d s", settings.clicksPerSecond(),
                settings.duration().toSeconds()));
        summary(page, "clicks sent (acknowledged)", String.format(Locale.ROOT, "%,d", clicksSent));
        summary(page, "clicks the broker refused", String.format(Locale.ROOT, "%,d", clicksFailed));
        summary(page, "lists received (read_committed)", String.format(Locale.ROOT, "%,d", seen.lists()));
        summary(page, "clicks without a list", String.format(Locale.ROOT, "%,d", missing));
        summary(page, "lists from the popularity fallback", String.format(Locale.ROOT, "%,d", seen.fallbackLists()));
        summary(page, "click → list latency p50 / p99 / max", String.format(Locale.ROOT, "%.1f / %.1f / %.1f ms",
                seen.p50Micros() / 1000.0, seen.p99Micros() / 1000.0, seen.maxMicros() / 1000.0));
        summary(page, "largest gap between lists", seen.largestGapMs() + " ms");
        summary(page, "lists per version", seen.listsByVersion().toString());
        page.append("</table>");

        double startSecond = seen.seconds().isEmpty() ? 0 : seen.seconds().get(0).epochSecond();
        double[] x = seen.seconds().stream().mapToDouble(second -> second.epochSecond() - startSecond).toArray();
        double[] throughput = seen.seconds().stream().mapToDouble(RecommendationWatcher.Second::lists).toArray();
        double[] p99 = seen.seconds().stream().mapToDouble(second -> second.p99Micros() / 1000.0).toArray();
        SvgChart throughputChart = SvgChart.lines("Lists received per second", "seconds", "lists / s")
                .series("lists/s", x, throughput);
        SvgChart latencyChart = SvgChart.lines("p99 click → list latency per second", "seconds", "ms")
                .series("p99", x, p99);
        for (RecommendationWatcher.Swap swap : seen.swaps()) {
            double at = swap.atMs() / 1000.0 - startSecond;
            throughputChart.marker(at, swap.from() + " → " + swap.to());
            latencyChart.marker(at, swap.from() + " → " + swap.to());
        }
        page.append("<h2>Serving</h2><div class=\"charts\">").append(throughputChart.svg()).append(latencyChart.svg())
                .append(latencyHistogram(seen.latencies()).svg()).append("</div>");

        page.append("<h2>Hot swaps seen by the consumer</h2><table><tr><th>at</th><th>from</th><th>to</th>"
                + "<th>gap before (ms)</th><th>gap after (ms)</th></tr>");
        for (RecommendationWatcher.Swap swap : seen.swaps()) {
            page.append("<tr><td>").append(Instant.ofEpochMilli(swap.atMs())).append("</td><td>").append(swap.from())
                    .append("</td><td>").append(swap.to()).append("</td><td class=\"n\">").append(swap.gapBeforeMs())
                    .append("</td><td class=\"n\">").append(Math.max(0, swap.gapAfterMs())).append("</td></tr>");
        }
        page.append("</table>");

        page.append("<h2>Training</h2><div class=\"charts\">");
        SvgChart loss = SvgChart.lines("Training loss per epoch", "epoch", "log loss");
        SvgChart hr = SvgChart.lines("Validation HR@10 per epoch", "epoch", "HR@10");
        for (RefitOutcome refit : refits) {
            if (refit.epochs().isEmpty()) {
                continue;
            }
            double[] epochs = refit.epochs().stream().mapToDouble(EpochStats::epoch).toArray();
            loss.series("v" + refit.version(), epochs, refit.epochs().stream().mapToDouble(EpochStats::loss).toArray());
            hr.series("v" + refit.version(), epochs, refit.epochs().stream()
                    .mapToDouble(e -> e.validation() == null ? Double.NaN : e.validation().hitRate()).toArray());
        }
        page.append(loss.svg()).append(hr.svg()).append("</div>");
        page.append("<table><tr><th>version</th><th>decision</th><th>HR@10</th><th>NDCG@10</th><th>serving HR@10</th>"
                + "<th>serving NDCG@10</th><th>interactions</th><th>seconds</th><th>why</th></tr>");
        for (RefitOutcome refit : refits) {
            double seconds = refit.phases().values().stream().mapToLong(Duration::toMillis).sum() / 1000.0;
            page.append("<tr><td>v").append(refit.version()).append("</td><td>").append(refit.decision())
                    .append("</td>").append(metric(refit.candidate().map(m -> m.hitRate())))
                    .append(metric(refit.candidate().map(m -> m.ndcg())))
                    .append(metric(refit.serving().map(m -> m.hitRate())))
                    .append(metric(refit.serving().map(m -> m.ndcg())))
                    .append(String.format(Locale.ROOT, "<td class=\"n\">%,d</td><td class=\"n\">%.1f</td><td>", refit.pairs(),
                            seconds))
                    .append(SvgChart.escape(refit.reason())).append("</td></tr>");
        }
        page.append("</table>");

        page.append("<h2>Model events in the streams app</h2><table><tr><th>at</th><th>event</th><th>version</th>"
                + "<th>reason</th><th>load time</th><th>message</th></tr>");
        for (ModelEvent event : modelEvents) {
            page.append("<tr><td>").append(event.at()).append("</td><td>").append(event.kind()).append("</td><td>v")
                    .append(event.version()).append("</td><td>").append(SvgChart.escape(event.reason()))
                    .append("</td><td class=\"n\">").append(event.loadTime().toMillis()).append(" ms</td><td>")
                    .append(SvgChart.escape(event.message())).append("</td></tr>");
        }
        page.append("</table>");
        page.append("<p>Settings: ").append(SvgChart.escape(settings.toString())).append("</p>");
        return page.append("</body></html>").toString();
    }

    /** Lists per 1-ms latency bucket, up to the 99.9th percentile. */
    static SvgChart latencyHistogram(Histogram latencies) {
        long limitMicros = Math.max(10_000, latencies.getValueAtPercentile(99.9));
        int buckets = (int) Math.min(200, Math.max(10, limitMicros / 1000 + 1));
        double bucketMs = Math.max(1, Math.ceil(limitMicros / 1000.0 / buckets));
        double[] x = new double[buckets];
        double[] y = new double[buckets];
        for (int i = 0; i < buckets; i++) {
            x[i] = i * bucketMs;
        }
        for (HistogramIterationValue value : latencies.recordedValues()) {
            int bucket = (int) Math.min(buckets - 1, value.getValueIteratedTo() / 1000.0 / bucketMs);
            y[bucket] += value.getCountAtValueIteratedTo();
        }
        return SvgChart.bars("Click → list latency", "ms (bucket start)", "lists").series("", x, y);
    }

    private static void summary(StringBuilder page, String label, String value) {
        page.append("<tr><th style=\"text-align:left\">").append(SvgChart.escape(label)).append("</th><td>")
                .append(SvgChart.escape(value)).append("</td></tr>");
    }

    private static String metric(java.util.Optional<Double> value) {
        return value.map(v -> String.format(Locale.ROOT, "<td class=\"n\">%.4f</td>", v)).orElse("<td>–</td>");
    }
}
