package io.streamrec.demo.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One scrape of the streams app's Prometheus endpoint: the value of each series, by its name and labels as the
 * exposition format writes them (e.g. {@code streamrec_recommendations_total{source="model"}}). Immutable.
 */
record AppMetrics(Map<String, Double> series) {

    AppMetrics {
        series = Map.copyOf(series);
    }

    /** Parses the Prometheus text format; comments, timestamps and unparsable values are skipped. */
    static AppMetrics parse(String text) {
        Map<String, Double> values = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            // name{labels} value [timestamp]; label values may hold spaces, so the series ends at the brace
            int brace = line.indexOf('}');
            int end = brace >= 0 ? brace + 1 : line.indexOf(' ');
            if (end <= 0 || end >= line.length()) {
                continue;
            }
            String[] rest = line.substring(end).trim().split("\\s+");
            try {
                values.put(line.substring(0, end), Double.parseDouble(rest[0]));
            } catch (NumberFormatException e) {
                // not a number this benchmark could read
            }
        }
        return new AppMetrics(values);
    }

    /** The instances' scrapes as one: each series summed over them (counters of the same meters add up). */
    static AppMetrics total(List<AppMetrics> scrapes) {
        Map<String, Double> values = new HashMap<>();
        for (AppMetrics scrape : scrapes) {
            scrape.series().forEach((key, value) -> values.merge(key, value, Double::sum));
        }
        return new AppMetrics(values);
    }

    /** Recommendation lists the app computed (model and fallback) between {@code earlier} and this scrape. */
    double listsSince(AppMetrics earlier) {
        return delta(earlier, "streamrec_recommendations_total", "");
    }

    /** The sum over every series of this name whose labels contain {@code labelFilter} (empty: all); 0 if none. */
    double sum(String name, String labelFilter) {
        double total = 0;
        for (Map.Entry<String, Double> entry : series.entrySet()) {
            String key = entry.getKey();
            int brace = key.indexOf('{');
            String seriesName = brace < 0 ? key : key.substring(0, brace);
            if (seriesName.equals(name) && (labelFilter.isEmpty() || key.contains(labelFilter))) {
                total += entry.getValue();
            }
        }
        return total;
    }

    /**
     * What the app's own meters say about scoring between {@code earlier} and this scrape.
     *
     * @return milliseconds of scoring calls per list the model computed, and users per scoring call; NaN
     *     without lists or calls in between
     */
    ScoringCost scoringSince(AppMetrics earlier) {
        double seconds = delta(earlier, "streamrec_scoring_latency_seconds_sum", "");
        double lists = delta(earlier, "streamrec_recommendations_total", "source=\"model\"");
        double users = delta(earlier, "streamrec_scoring_batch_size_sum", "");
        double calls = delta(earlier, "streamrec_scoring_batch_size_count", "");
        return new ScoringCost(lists > 0 ? seconds * 1000 / lists : Double.NaN,
                calls > 0 ? users / calls : Double.NaN);
    }

    private double delta(AppMetrics earlier, String name, String labelFilter) {
        return sum(name, labelFilter) - earlier.sum(name, labelFilter);
    }

    /** Scoring time per model-computed list (ms) and users per scoring call, over an interval. */
    record ScoringCost(double msPerList, double usersPerCall) { }
}
