package io.streamrec.trainer.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A small line or bar chart rendered as standalone SVG, so reports are single HTML files that any browser
 * (headless Chromium included) shows without scripts or network. Build with the fluent methods, then
 * {@link #svg()}. Not thread-safe; build and render on one thread.
 */
public final class SvgChart {

    /** One named line: x and y values of equal length. */
    record Series(String name, double[] x, double[] y) {
        Series {
            Objects.requireNonNull(name, "name");
            if (x.length != y.length) {
                throw new IllegalArgumentException("series " + name + ": " + x.length + " x values, " + y.length
                        + " y values");
            }
        }
    }

    /** A vertical line at x with a label, e.g. the moment of a model swap. */
    record Marker(double x, String label) { }

    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};
    private static final int WIDTH = 640;
    private static final int HEIGHT = 300;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 36;
    private static final int BOTTOM = 44;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();
    private boolean bars;

    private SvgChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** A line chart. */
    public static SvgChart lines(String title, String xLabel, String yLabel) {
        return new SvgChart(title, xLabel, yLabel);
    }

    /** A bar chart (one series: bar positions and heights). */
    public static SvgChart bars(String title, String xLabel, String yLabel) {
        SvgChart chart = new SvgChart(title, xLabel, yLabel);
        chart.bars = true;
        return chart;
    }

    public SvgChart series(String name, double[] x, double[] y) {
        series.add(new Series(name, x.clone(), y.clone()));
        return this;
    }

    public SvgChart marker(double x, String label) {
        markers.add(new Marker(x, label));
        return this;
    }

    /** The chart as an {@code <svg>} element. */
    public String svg() {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = bars ? 0 : Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (Series line : series) {
            for (int i = 0; i < line.x().length; i++) {
                if (Double.isFinite(line.x()[i]) && Double.isFinite(line.y()[i])) {
                    minX = Math.min(minX, line.x()[i]);
                    maxX = Math.max(maxX, line.x()[i]);
                    minY = Math.min(minY, line.y()[i]);
                    maxY = Math.max(maxY, line.y()[i]);
                }
            }
        }
        for (Marker marker : markers) {
            minX = Math.min(minX, marker.x());
            maxX = Math.max(maxX, marker.x());
        }
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        svg.append(text(WIDTH / 2.0, 20, title, "middle", "font-size=\"14\" font-weight=\"bold\""));
        if (!Double.isFinite(minX)) {
            svg.append(text(WIDTH / 2.0, HEIGHT / 2.0, "no data", "middle", "fill=\"#888\""));
            return svg.append("</svg>").toString();
        }
        if (bars) {
            minX -= 0.5;
            maxX += 0.5;
        }
        if (maxX == minX) {
            maxX = minX + 1;
        }
        if (maxY == minY) {
            maxY = minY + (minY == 0 ? 1 : Math.abs(minY) * 0.1);
        }
        double padY = (maxY - minY) * 0.05;
        double lowY = bars ? 0 : minY - padY;
        double highY = maxY + padY;
        Scale x = new Scale(minX, maxX, LEFT, WIDTH - RIGHT);
        Scale y = new Scale(lowY, highY, HEIGHT - BOTTOM, TOP);

        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>",
                LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>",
                LEFT, TOP, LEFT, HEIGHT - BOTTOM));
        for (double tick : ticks(x.from, x.to)) {
            double px = x.map(tick);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\"/>",
                    px, HEIGHT - BOTTOM, px, HEIGHT - BOTTOM + 4));
            svg.append(text(px, HEIGHT - BOTTOM + 16, format(tick), "middle", ""));
        }
        for (double tick : ticks(y.from, y.to)) {
            double py = y.map(tick);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>",
                    LEFT, py, WIDTH - RIGHT, py));
            svg.append(text(LEFT - 6, py + 4, format(tick), "end", ""));
        }
        svg.append(text((LEFT + WIDTH - RIGHT) / 2.0, HEIGHT - 8, xLabel, "middle", ""));
        svg.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90"
                + " 14 %.1f)\">%s</text>", (TOP + HEIGHT - BOTTOM) / 2.0, (TOP + HEIGHT - BOTTOM) / 2.0, escape(yLabel)));

        for (int s = 0; s < series.size(); s++) {
            Series line = series.get(s);
            String colour = COLOURS[s % COLOURS.length];
            if (bars) {
                double barWidth = Math.max(1, (x.map(1) - x.map(0)) * 0.8);
                for (int i = 0; i < line.x().length; i++) {
                    double top = y.map(line.y()[i]);
                    svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
                            + " fill=\"%s\"/>", x.map(line.x()[i]) - barWidth / 2, top, barWidth,
                            y.map(lowY) - top, colour));
                }
            } else {
                StringBuilder points = new StringBuilder();
                for (int i = 0; i < line.x().length; i++) {
                    if (Double.isFinite(line.x()[i]) && Double.isFinite(line.y()[i])) {
                        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.map(line.x()[i]), y.map(line.y()[i])));
                    }
                }
                svg.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(colour)
                        .append("\" points=\"").append(points.toString().trim()).append("\"/>");
                if (line.x().length <= 60) {
                    for (int i = 0; i < line.x().length; i++) {
                        if (Double.isFinite(line.y()[i])) {
                            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>",
                                    x.map(line.x()[i]), y.map(line.y()[i]), colour));
                        }
                    }
                }
            }
            if (series.size() > 1 || !line.name().isEmpty()) {
                double legendY = TOP + 4 + 14 * s;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"%s\"/>",
                        WIDTH - RIGHT - 150, legendY, colour));
                svg.append(text(WIDTH - RIGHT - 136, legendY + 9, line.name(), "start", ""));
            }
        }
        for (Marker marker : markers) {
            double px = x.map(marker.x());
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#444\""
                    + " stroke-dasharray=\"4 3\"/>", px, TOP, px, HEIGHT - BOTTOM));
            svg.append(text(px + 4, TOP + 10, marker.label(), "start", "fill=\"#444\""));
        }
        return svg.append("</svg>").toString();
    }

    private record Scale(double from, double to, double pixelFrom, double pixelTo) {
        double map(double value) {
            return pixelFrom + (value - from) / (to - from) * (pixelTo - pixelFrom);
        }
    }

    /** About five round tick values within [from, to]. */
    static List<Double> ticks(double from, double to) {
        double span = to - from;
        double rough = span / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double step = magnitude;
        for (double factor : new double[] {1, 2, 2.5, 5, 10}) {
            step = factor * magnitude;
            if (span / step <= 6) {
                break;
            }
        }
        List<Double> ticks = new ArrayList<>();
        for (double tick = Math.ceil(from / step) * step; tick <= to + step * 1e-9; tick += step) {
            ticks.add(Math.abs(tick) < step * 1e-9 ? 0.0 : tick);
        }
        return ticks;
    }

    private static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e9) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, Math.abs(value) < 0.01 ? "%.4f" : "%.3g", value);
    }

    private static String text(double x, double y, String content, String anchor, String extra) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" %s>%s</text>", x, y, anchor,
                extra, escape(content));
    }

    /** Escapes text for HTML and SVG. */
    public static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
