package io.streamrec.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test parser must refuse what Prometheus would, or the /metrics test proves nothing. */
class PrometheusTextTest {

    private static final String VALID = """
            # HELP requests_total Requests.
            # TYPE requests_total counter
            requests_total{route="/a",status="200"} 3.0
            # TYPE latency_seconds histogram
            latency_seconds_bucket{le="0.1"} 1
            latency_seconds_bucket{le="+Inf"} 2
            latency_seconds_count 2
            latency_seconds_sum 0.35
            # TYPE up gauge
            up{note="a \\"quoted\\" \\\\ value\\n"} NaN
            up{note="x",} -Inf 1700000000000
            # TYPE q summary
            q{quantile="0.5"} 1e-3
            q_count 1
            q_sum 1E3
            """;

    @Test
    void aValidExpositionParses() {
        PrometheusText.Exposition exposition = PrometheusText.parse(VALID);
        assertThat(exposition.types()).containsEntry("requests_total", "counter")
                .containsEntry("latency_seconds", "histogram");
        assertThat(exposition.value("requests_total", Map.of("route", "/a"))).isEqualTo(3.0);
        assertThat(exposition.value("latency_seconds_bucket", Map.of("le", "+Inf"))).isEqualTo(2);
        assertThat(exposition.find("up", Map.of()).get(0).labels().get("note")).isEqualTo("a \"quoted\" \\ value\n");
        assertThat(exposition.value("up", Map.of("note", "x"))).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(exposition.value("q_sum", Map.of())).isEqualTo(1000.0);
    }

    @Test
    void aCounterFamilyMayBeTypedWithoutItsTotalSuffix() {
        assertThat(PrometheusText.parse("# TYPE hits counter\nhits_total 1\n").samples()).hasSize(1);
    }

    @Test
    void everyKindOfMistakeIsRefused() {
        String[] invalid = {
            "untyped_metric 1\n",
            "# TYPE a gauge\na 1\n# TYPE a gauge\n",
            "# TYPE a gauge\na{l=\"v\"}1\n",
            "# TYPE a gauge\na{l=v} 1\n",
            "# TYPE a gauge\na{l=\"v\" 1\n",
            "# TYPE a gauge\na{l=\"v\",l=\"w\"} 1\n",
            "# TYPE a gauge\na{1l=\"v\"} 1\n",
            "# TYPE a gauge\na{l=\"\\x\"} 1\n",
            "# TYPE a gauge\na one\n",
            "# TYPE a gauge\na 1 2 3\n",
            "# TYPE a gauge\na  1\n",
            "# TYPE a gauge\n\na 1\n",
            "# TYPE h histogram\nh_bucket 1\n",
            "# TYPE h histogram\nh 1\n",
            "# TYPE g gauge\ng_bucket{le=\"1\"} 1\n",
            "# TYPE a wibble\na 1\n",
            "9a 1\n",
        };
        for (String text : invalid) {
            assertThatThrownBy(() -> PrometheusText.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
