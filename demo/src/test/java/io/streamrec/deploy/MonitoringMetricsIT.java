package io.streamrec.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.devstack.LocalStack;
import io.streamrec.devstack.LocalStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric the Grafana dashboards and the alert rules name is one the services export: the streams app runs
 * on the devstack with a model serving, answers clicks and dead-letters a bad one, and {@code trainer serve}
 * runs from its jar after a refit ({@link LiveScrapes}); their live {@code /metrics} are scraped and each
 * selector of each expression is checked by {@link MetricCoverage}: its family, its exact series and its matchers'
 * labels. The scrapes are left in {@code demo/target/monitoring-scrapes} for a look.
 */
@ExtendWith(LocalStackExtension.class)
class MonitoringMetricsIT {

    private static List<PrometheusText> scrapes;

    @BeforeAll
    static void scrape(LocalStack stack, @TempDir Path scratch) throws Exception {
        LiveScrapes.Scrapes live = new LiveScrapes().scrape(stack, scratch);
        Path out = Project.file("demo/target/monitoring-scrapes");
        Files.createDirectories(out);
        Files.writeString(out.resolve("streams-app.prom"), live.streamsApp());
        Files.writeString(out.resolve("trainer.prom"), live.trainer());
        scrapes = List.of(PrometheusText.parse(live.streamsApp()), PrometheusText.parse(live.trainer()));
    }

    @Test
    void everyMetricOfTheDashboardsAndAlertRulesIsExportedByTheRunningServices() {
        List<MonitoringFiles.Expression> expressions = MonitoringFiles.allExpressions();
        assertThat(expressions).as("expressions in the dashboards and alert rules").hasSizeGreaterThan(20);
        assertThat(MetricCoverage.problems(expressions, scrapes)).as("metrics named but not exported").isEmpty();
    }

    @Test
    void theSameScrapesFailAnUnknownNameASeriesTheFamilyLacksAndAnUnknownLabel() {
        List<MonitoringFiles.Expression> wrong = List.of(
                new MonitoringFiles.Expression("unknown", "sum(rate(streamrec_clicks_answered_total[5m]))"),
                // a summary: it has _count and _sum, never _bucket
                new MonitoringFiles.Expression("bucket", "histogram_quantile(0.99, sum by (le) "
                        + "(rate(streamrec_scoring_batch_size_bucket[5m])))"),
                new MonitoringFiles.Expression("label", "rate(streamrec_recommendations_total{sauce=\"model\"}[5m])"));
        assertThat(MetricCoverage.problems(wrong, scrapes)).satisfiesExactly(
                problem -> assertThat(problem).contains("unknown").contains("no exported metric family"),
                problem -> assertThat(problem).contains("no series is named streamrec_scoring_batch_size_bucket"),
                problem -> assertThat(problem).contains("has no label 'sauce'"));
    }
}
