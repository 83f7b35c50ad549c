package io.streamrec.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

class SvgChartTest {

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
    }

    @Test
    void aLineChartIsWellFormedSvgWithOnePolylinePerSeriesAndItsMarkers() throws Exception {
        String svg = SvgChart.lines("HR@10 per epoch", "epoch", "HR@10 <validation>")
                .series("hr@10", new double[] {1, 2, 3}, new double[] {0.5, 0.6, 0.65})
                .series("ndcg@10", new double[] {1, 2, 3}, new double[] {0.3, 0.35, 0.37})
                .marker(2, "swap v1 → v2")
                .svg();
        Document document = parse(svg);
        assertThat(document.getElementsByTagName("polyline").getLength()).isEqualTo(2);
        assertThat(svg).contains("HR@10 &lt;validation&gt;").contains("swap v1 → v2").contains("stroke-dasharray");
    }

    @Test
    void barsAndEmptyChartsRender() throws Exception {
        Document bars = parse(SvgChart.bars("latency", "ms", "lists")
                .series("", new double[] {1, 2, 3}, new double[] {10, 0, 4}).svg());
        assertThat(bars.getElementsByTagName("rect").getLength()).isGreaterThanOrEqualTo(4);
        assertThat(SvgChart.lines("nothing", "x", "y").svg()).contains("no data");
    }

    @Test
    void ticksAreRoundAndCoverTheRange() {
        assertThat(SvgChart.ticks(0, 1)).hasSize(6).first().isEqualTo(0.0);
        assertThat(SvgChart.ticks(0, 1).get(5)).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(SvgChart.ticks(3, 47)).first().isEqualTo(10.0);
    }
}
