package io.streamrec.deploy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether the metrics that PromQL expressions name are exported: each selector's metric family must be in a
 * scrape, the exact series name too (a {@code _bucket} of a summary has no data), and every label its matchers
 * use must be on some series of that name. Stateless.
 *
 * <p>A family is the name without one of the suffixes {@code _bucket}, {@code _count}, {@code _sum} and
 * {@code _total}, as Prometheus groups samples. Series Prometheus makes itself when it scrapes
 * ({@link #SCRAPE_SERIES}) need no exporter, and the labels it adds to every series ({@code job},
 * {@code instance}) need none either.
 */
final class MetricCoverage {

    /** Series the Prometheus server writes for each scrape target. */
    static final Set<String> SCRAPE_SERIES = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped",
            "scrape_samples_post_metric_relabeling", "scrape_series_added");
    /** Labels Prometheus attaches to every scraped series. */
    static final Set<String> TARGET_LABELS = Set.of("job", "instance");

    private static final List<String> SUFFIXES = List.of("_bucket", "_count", "_sum", "_total");

    private MetricCoverage() {
    }

    /** The family a series or reference belongs to. */
    static String family(String name) {
        for (String suffix : SUFFIXES) {
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    /** What is wrong with the expressions against these scrapes; empty when every reference is exported. */
    static List<String> problems(List<MonitoringFiles.Expression> expressions, List<PrometheusText> scrapes) {
        Map<String, Set<String>> labelsBySeries = new HashMap<>();
        Set<String> families = new HashSet<>();
        for (PrometheusText scrape : scrapes) {
            scrape.types().keySet().forEach(name -> families.add(family(name)));
            for (PrometheusText.Sample sample : scrape.samples()) {
                families.add(family(sample.name()));
                labelsBySeries.computeIfAbsent(sample.name(), name -> new TreeSet<>()).addAll(sample.labels().keySet());
            }
        }
        List<String> problems = new ArrayList<>();
        for (MonitoringFiles.Expression expression : expressions) {
            List<PromQl.Selector> selectors;
            try {
                selectors = PromQl.selectors(expression.promql());
            } catch (IllegalArgumentException e) {
                problems.add(expression.where() + ": " + e.getMessage());
                continue;
            }
            if (selectors.isEmpty()) {
                problems.add(expression.where() + ": selects no metric: " + expression.promql());
            }
            for (PromQl.Selector selector : selectors) {
                String name = selector.metric();
                if (SCRAPE_SERIES.contains(name)) {
                    continue;
                }
                if (!families.contains(family(name))) {
                    problems.add(expression.where() + ": " + name + ": no exported metric family "
                            + family(name));
                    continue;
                }
                Set<String> labels = labelsBySeries.get(name);
                if (labels == null) {
                    problems.add(expression.where() + ": " + name + ": family " + family(name) + " is exported,"
                            + " but no series is named " + name);
                    continue;
                }
                for (String label : selector.labels()) {
                    if (!TARGET_LABELS.contains(label) && !labels.contains(label)) {
                        problems.add(expression.where() + ": " + name + " has no label '" + label + "' (it has "
                                + labels + ")");
                    }
                }
            }
        }
        return problems;
    }
}
