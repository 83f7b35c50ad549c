package io.streamrec.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class AppMetricsTest {

    private static String scrape(double scoringSeconds, double modelLists, double users, double calls) {
        return """
                # HELP streamrec_recommendations_total Recommendation lists computed
                # TYPE streamrec_recommendations_total counter
                streamrec_recommendations_total{source="fallback"} 7.0
                streamrec_recommendations_total{source="model"} %s
                streamrec_scoring_latency_seconds_count 3.0
                streamrec_scoring_latency_seconds_sum %s
                streamrec_scoring_batch_size_count %s
                streamrec_scoring_batch_size_sum %s
                jvm_info{version="17"} 1 1733500000000
                """.formatted(modelLists, scoringSeconds, calls, users);
    }

    @Test
    void seriesAreReadByNameAndLabels() {
        AppMetrics metrics = AppMetrics.parse(scrape(0.5, 100, 100, 4));
        assertThat(metrics.sum("streamrec_recommendations_total", "")).isEqualTo(107.0);
        assertThat(metrics.sum("streamrec_recommendations_total", "source=\"model\"")).isEqualTo(100.0);
        assertThat(metrics.sum("no_such_series", "")).isZero();
        assertThat(metrics.sum("jvm_info", "")).isEqualTo(1.0); // the timestamp after the value is not the value
    }

    @Test
    void theScoringCostIsTheIntervalsTimePerModelListAndUsersPerCall() {
        AppMetrics before = AppMetrics.parse(scrape(0.5, 100, 100, 4));
        AppMetrics after = AppMetrics.parse(scrape(0.8, 1100, 1100, 44));
        AppMetrics.ScoringCost cost = after.scoringSince(before);
        assertThat(cost.msPerList()).isCloseTo(0.3, within(1e-9));
        assertThat(cost.usersPerCall()).isCloseTo(25.0, within(1e-9));
        assertThat(before.scoringSince(before).msPerList()).isNaN();
    }

    @Test
    void instancesScrapesAddUpSeriesBySeries() {
        AppMetrics first = AppMetrics.parse(scrape(0.5, 100, 100, 4));
        AppMetrics second = AppMetrics.parse(scrape(0.3, 50, 60, 2));
        AppMetrics total = AppMetrics.total(List.of(first, second));
        assertThat(total.sum("streamrec_recommendations_total", "source=\"model\"")).isEqualTo(150.0);
        assertThat(total.sum("streamrec_scoring_latency_seconds_sum", "")).isCloseTo(0.8, within(1e-9));
        // lists counts model and fallback lists (7 fallback lists in each scrape)
        assertThat(total.listsSince(first)).isEqualTo(157.0 - 107.0 + 7.0);
    }
}
