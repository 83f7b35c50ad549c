package io.streamrec.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The monitoring files of {@code infra/} as the tests read them: the alert rules ({@code prometheus/alerts.yml})
 * and the Grafana dashboards ({@code grafana/dashboards/*.json}), with every PromQL expression they hold and
 * where it comes from. Stateless.
 */
final class MonitoringFiles {

    /** One PromQL expression and where it is, for messages. */
    record Expression(String where, String promql) {
    }

    static final Path ALERTS = Project.file("infra/prometheus/alerts.yml");
    static final Path PROMETHEUS = Project.file("infra/prometheus/prometheus.yml");
    static final Path DASHBOARDS = Project.file("infra/grafana/dashboards");

    /** Grafana's {@code label_values(metric_or_selector, label)} of a query variable. */
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)\\s*$",
            Pattern.DOTALL);

    private MonitoringFiles() {
    }

    static JsonNode alerts() {
        return Project.readYaml(ALERTS);
    }

    static List<Path> dashboardFiles() {
        try (var files = java.nio.file.Files.list(DASHBOARDS)) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode dashboard(Path file) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }

    /** Every rule's expression (alerts and recording rules). */
    static List<Expression> alertExpressions(JsonNode rules) {
        List<Expression> expressions = new ArrayList<>();
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String name = rule.has("alert") ? "alert " + rule.path("alert").asText()
                        : "record " + rule.path("record").asText();
                expressions.add(new Expression(ALERTS.getFileName() + " " + name, rule.path("expr").asText()));
            }
        }
        return expressions;
    }

    /** Every panel query of a dashboard (rows' nested panels too) and its query variables' metric selectors. */
    static List<Expression> dashboardExpressions(String file, JsonNode dashboard) {
        List<Expression> expressions = new ArrayList<>();
        collectPanels(file, dashboard.path("panels"), expressions);
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                String query = variable.path("query").isObject() ? variable.path("query").path("query").asText()
                        : variable.path("query").asText();
                Matcher labelValues = LABEL_VALUES.matcher(query);
                String promql = query;
                if (labelValues.matches()) {
                    // The label whose values the variable lists must be on the selected series.
                    String selector = labelValues.group(1).strip();
                    String matcher = labelValues.group(2) + "=~\".*\"";
                    promql = selector.endsWith("}") ? selector.substring(0, selector.length() - 1) + "," + matcher + "}"
                            : selector + "{" + matcher + "}";
                }
                expressions.add(new Expression(file + " variable " + variable.path("name").asText(), promql));
            }
        }
        return expressions;
    }

    private static void collectPanels(String file, JsonNode panels, List<Expression> expressions) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                if (target.hasNonNull("expr")) {
                    expressions.add(new Expression(file + " panel '" + panel.path("title").asText() + "' "
                            + target.path("refId").asText(), target.path("expr").asText()));
                }
            }
            collectPanels(file, panel.path("panels"), expressions);
        }
    }

    /** Every expression of the alert rules and of every dashboard. */
    static List<Expression> allExpressions() {
        List<Expression> expressions = new ArrayList<>(alertExpressions(alerts()));
        for (Path file : dashboardFiles()) {
            expressions.addAll(dashboardExpressions(file.getFileName().toString(), dashboard(file)));
        }
        return expressions;
    }
}
