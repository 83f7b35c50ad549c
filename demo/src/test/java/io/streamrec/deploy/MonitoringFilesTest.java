package io.streamrec.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules and the Grafana dashboard are well-formed, and the PromQL reading and the metric check that
 * {@link MonitoringMetricsIT} runs against the live services do what they claim: every rule has a name, a
 * parsable expression, a severity, a summary and a runbook section of docs/operations.md; the dashboard's panels
 * have ids, places that do not overlap, queries on its data-source variable, and cover what an operator needs
 * (traffic, latency, scoring, dead letters, models, lag, memory); the tokenizer finds the metrics of real
 * expressions and refuses broken ones; the checker reports an unknown name, a series its family lacks and an
 * unknown label. Where Prometheus' {@code promtool} is on the PATH it checks the rule and configuration files
 * too.
 */
class MonitoringFilesTest {

    private static final Pattern DURATION = Pattern.compile("([0-9]+(ms|s|m|h|d|w|y))+");
    private static final Set<String> SEVERITIES = Set.of("critical", "warning");

    @Test
    void everyAlertRuleIsNamedParsableSeveredAndHasARunbookSection() {
        JsonNode rules = MonitoringFiles.alerts();
        Set<String> anchors = headingAnchors(Project.read(Project.file("docs/operations.md")));
        List<String> problems = new ArrayList<>();
        Set<String> groups = new HashSet<>();
        Set<String> names = new HashSet<>();
        assertThat(rules.path("groups").size()).as("rule groups").isPositive();
        for (JsonNode group : rules.path("groups")) {
            String groupName = group.path("name").asText();
            if (groupName.isBlank() || !groups.add(groupName)) {
                problems.add("group name '" + groupName + "' blank or repeated");
            }
            for (JsonNode rule : group.path("rules")) {
                String name = rule.path("alert").asText();
                String where = groupName + "/" + name + ": ";
                if (!name.matches("[A-Z][A-Za-z0-9]+") || !names.add(name)) {
                    problems.add(where + "an alert needs a unique CamelCase name");
                }
                try {
                    if (PromQl.selectors(rule.path("expr").asText()).isEmpty()) {
                        problems.add(where + "the expression selects no metric");
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(where + e.getMessage());
                }
                if (rule.has("for") && !DURATION.matcher(rule.path("for").asText()).matches()) {
                    problems.add(where + "for: " + rule.path("for").asText() + " is no duration");
                }
                if (!SEVERITIES.contains(rule.path("labels").path("severity").asText())) {
                    problems.add(where + "severity must be one of " + SEVERITIES);
                }
                JsonNode annotations = rule.path("annotations");
                for (String key : List.of("summary", "description", "runbook")) {
                    if (annotations.path(key).asText().isBlank()) {
                        problems.add(where + "no " + key + " annotation");
                    }
                }
                String runbook = annotations.path("runbook").asText();
                String expected = "docs/operations.md#" + name.toLowerCase(Locale.ROOT);
                if (!runbook.equals(expected) || !anchors.contains(name.toLowerCase(Locale.ROOT))) {
                    problems.add(where + "runbook must be " + expected + ", a heading of docs/operations.md");
                }
                rule.fieldNames().forEachRemaining(field -> {
                    if (!Set.of("alert", "expr", "for", "labels", "annotations", "keep_firing_for").contains(field)) {
                        problems.add(where + "unknown field " + field);
                    }
                });
            }
        }
        assertThat(names).as("the alerts the operations guide describes").contains("StreamsAppConsumerLagGrowing",
                "StreamsAppNoModelServing", "StreamsAppDeadLetters", "StreamsAppModelReleaseRejected");
        assertThat(problems).isEmpty();
    }

    @Test
    void theDashboardIsWellFormedOnItsDataSourceVariableAndCoversWhatAnOperatorWatches() {
        List<Path> files = MonitoringFiles.dashboardFiles();
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            JsonNode dashboard = MonitoringFiles.dashboard(file);
            List<String> problems = new ArrayList<>();
            assertThat(dashboard.path("uid").asText()).as(file + " uid").matches("[a-z0-9-]{1,40}");
            assertThat(dashboard.path("title").asText()).isNotBlank();
            JsonNode variables = dashboard.path("templating").path("list");
            String dataSource = null;
            for (JsonNode variable : variables) {
                if (variable.path("type").asText().equals("datasource")) {
                    assertThat(variable.path("query").asText()).isEqualTo("prometheus");
                    dataSource = "${" + variable.path("name").asText() + "}";
                }
            }
            assertThat(dataSource).as("a Prometheus data-source variable").isNotNull();
            Set<Integer> ids = new HashSet<>();
            List<int[]> boxes = new ArrayList<>();
            for (JsonNode panel : dashboard.path("panels")) {
                String where = file.getFileName() + " panel '" + panel.path("title").asText() + "': ";
                if (!panel.path("id").isInt() || !ids.add(panel.path("id").asInt())) {
                    problems.add(where + "no unique id");
                }
                JsonNode grid = panel.path("gridPos");
                int[] box = {grid.path("x").asInt(-1), grid.path("y").asInt(-1), grid.path("w").asInt(0),
                        grid.path("h").asInt(0)};
                if (box[0] < 0 || box[1] < 0 || box[2] < 1 || box[3] < 1 || box[0] + box[2] > 24) {
                    problems.add(where + "gridPos is not inside the 24-column grid: " + grid);
                }
                for (int[] other : boxes) {
                    if (box[0] < other[0] + other[2] && other[0] < box[0] + box[2] && box[1] < other[1] + other[3]
                            && other[1] < box[1] + box[3]) {
                        problems.add(where + "overlaps another panel");
                    }
                }
                boxes.add(box);
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                if (!dataSource.equals(panel.path("datasource").path("uid").asText())) {
                    problems.add(where + "not on the data-source variable " + dataSource);
                }
                Set<String> refIds = new HashSet<>();
                if (panel.path("targets").isEmpty()) {
                    problems.add(where + "no query");
                }
                for (JsonNode target : panel.path("targets")) {
                    if (!refIds.add(target.path("refId").asText())) {
                        problems.add(where + "refId " + target.path("refId").asText() + " repeated");
                    }
                }
            }
            for (MonitoringFiles.Expression expression : MonitoringFiles.dashboardExpressions(
                    file.getFileName().toString(), dashboard)) {
                try {
                    PromQl.selectors(expression.promql());
                } catch (IllegalArgumentException e) {
                    problems.add(expression.where() + ": " + e.getMessage());
                }
            }
            assertThat(problems).isEmpty();
        }
        Set<String> named = new TreeSet<>();
        MonitoringFiles.allExpressions().forEach(expression -> named.addAll(PromQl.metricNames(expression.promql())));
        // clicks/s, lists/s, click-to-list latency, scoring time, dead letters, model version and swaps, consumer
        // lag, JVM and RocksDB memory
        assertThat(named).contains("kafka_consumer_fetch_manager_records_consumed_total",
                "streamrec_recommendations_total", "streamrec_click_to_list_latency_seconds_bucket",
                "streamrec_scoring_latency_seconds_bucket", "streamrec_dead_letters_total",
                "streamrec_model_serving_version", "streamrec_model_events_total",
                "kafka_consumer_fetch_manager_records_lag_max", "jvm_memory_used_bytes",
                "streamrec_rocksdb_memory_usage_bytes");
    }

    @Test
    void theTokenizerFindsTheMetricsAndTheirLabelsAndNothingElse() {
        assertThat(PromQl.selectors("histogram_quantile(0.99, sum by (job, le) (rate(x_seconds_bucket{a=\"1\","
                + " b=~\"by|sum(\"}[5m]))) > 1e-3 # rate(not_me[1m])")).containsExactly(
                new PromQl.Selector("x_seconds_bucket", Set.of("a", "b")));
        assertThat(PromQl.metricNames("max by (instance) (lag{c=~\".+-x\"}) > 1000 and deriv(max by (instance)"
                + " (lag)[10m:1m]) > 0 or on (instance) group_left (pod) info unless y offset 15m"))
                .containsExactly("info", "lag", "y");
        assertThat(PromQl.metricNames("sum(rate(a_total[$__rate_interval])) / clamp_min(sum(rate(b_total[5m])),"
                + " 1e-9) + time() - topk(3, c) * vector(1) + d @ start()")).containsExactly("a_total", "b_total", "c",
                "d");
        assertThat(PromQl.selectors("{__name__=\"named\", job=\"j\"}")).containsExactly(
                new PromQl.Selector("named", Set.of("job")));
        assertThat(PromQl.metricNames("inf + NaN + ${datasource_var} - $var")).isEmpty();
        assertThatThrownBy(() -> PromQl.selectors("sum(rate(x[5m])")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PromQl.selectors("x{a=\"1}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PromQl.selectors("x[5m")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCheckerReportsUnknownFamiliesMissingSeriesAndUnknownLabels() {
        PrometheusText scrape = PrometheusText.parse("""
                # TYPE lists_total counter
                lists_total{source="model"} 3.0
                # TYPE batch summary
                batch_count 2
                batch_sum 5.0
                # TYPE latency_seconds histogram
                latency_seconds_bucket{le="0.1"} 1
                latency_seconds_bucket{le="+Inf"} 2
                latency_seconds_count 2
                latency_seconds_sum 0.3
                """);
        List<MonitoringFiles.Expression> good = List.of(
                new MonitoringFiles.Expression("good", "sum by (source) (rate(lists_total{source=\"model\","
                        + " job=\"j\"}[5m])) / rate(batch_count[5m])"),
                new MonitoringFiles.Expression("quantile", "histogram_quantile(0.5, rate(latency_seconds_bucket[1m]))"
                        + " and up == 1"));
        assertThat(MetricCoverage.problems(good, List.of(scrape))).isEmpty();
        List<MonitoringFiles.Expression> bad = List.of(
                new MonitoringFiles.Expression("typo", "rate(list_total[5m])"),
                new MonitoringFiles.Expression("summary", "histogram_quantile(0.5, rate(batch_bucket[5m]))"),
                new MonitoringFiles.Expression("label", "lists_total{sauce=\"model\"}"),
                new MonitoringFiles.Expression("broken", "sum(lists_total"),
                new MonitoringFiles.Expression("constant", "vector(1)"));
        assertThat(MetricCoverage.problems(bad, List.of(scrape))).satisfiesExactly(
                problem -> assertThat(problem).startsWith("typo: list_total: no exported metric family list"),
                problem -> assertThat(problem).contains("no series is named batch_bucket"),
                problem -> assertThat(problem).contains("has no label 'sauce'"),
                problem -> assertThat(problem).startsWith("broken: unbalanced"),
                problem -> assertThat(problem).startsWith("constant: selects no metric"));
        assertThat(MetricCoverage.family("a_seconds_bucket")).isEqualTo("a_seconds");
        assertThat(MetricCoverage.family("a_total")).isEqualTo("a");
        assertThat(MetricCoverage.family("up")).isEqualTo("up");
    }

    @Test
    void promtoolAcceptsTheRulesAndTheConfiguration(@TempDir Path scratch) throws Exception {
        Assumptions.assumeTrue(onPath("promtool"), "promtool is not on the PATH");
        assertThat(run("promtool", "check", "rules", MonitoringFiles.ALERTS.toString())).isZero();
        // The configuration names the rule file where compose mounts it; point it at the repository's copy.
        Path config = scratch.resolve("prometheus.yml");
        Files.writeString(config, Project.read(MonitoringFiles.PROMETHEUS).replace("/etc/prometheus/alerts.yml",
                MonitoringFiles.ALERTS.toString()), StandardCharsets.UTF_8);
        assertThat(run("promtool", "check", "config", config.toString())).isZero();
    }

    /** GitHub's anchors of the document's headings: lower case, spaces to dashes, punctuation dropped. */
    static Set<String> headingAnchors(String markdown) {
        Set<String> anchors = new HashSet<>();
        Matcher heading = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*$").matcher(markdown);
        while (heading.find()) {
            anchors.add(heading.group(1).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
        }
        return anchors;
    }

    private static boolean onPath(String command) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(directory, command))) {
                return true;
            }
        }
        return false;
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        if (process.exitValue() != 0) {
            System.err.println(String.join(" ", command) + ":\n" + output);
        }
        return process.exitValue();
    }
}
