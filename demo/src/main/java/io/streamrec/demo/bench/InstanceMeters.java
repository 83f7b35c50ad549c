package io.streamrec.demo.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What each streams-app instance's own counters said at one moment: its CPU seconds and a scrape of its meters,
 * in instance order. Two readings give each instance's rates in between. Immutable.
 */
record InstanceMeters(List<Double> cpuSeconds, List<AppMetrics> metrics) {

    InstanceMeters {
        cpuSeconds = List.copyOf(cpuSeconds);
        metrics = List.copyOf(metrics);
        if (cpuSeconds.size() != metrics.size()) {
            throw new IllegalArgumentException("one CPU reading and one scrape per instance");
        }
    }

    static InstanceMeters read(List<StreamsAppProcess> apps) throws IOException, InterruptedException {
        List<Double> cpu = new ArrayList<>();
        List<AppMetrics> scrapes = new ArrayList<>();
        for (StreamsAppProcess app : apps) {
            cpu.add(app.cpuSeconds());
            scrapes.add(app.metrics());
        }
        return new InstanceMeters(cpu, scrapes);
    }

    /** Lists each instance computed per second since {@code earlier}, {@code seconds} ago. */
    List<Double> listsPerSecondSince(InstanceMeters earlier, double seconds) {
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < metrics.size(); i++) {
            rates.add(metrics.get(i).listsSince(earlier.metrics().get(i)) / seconds);
        }
        return rates;
    }

    /** Each instance's CPU use since {@code earlier}, {@code seconds} ago, in percent of one core. */
    List<Double> cpuPercentSince(InstanceMeters earlier, double seconds) {
        List<Double> percent = new ArrayList<>();
        for (int i = 0; i < cpuSeconds.size(); i++) {
            percent.add((cpuSeconds.get(i) - earlier.cpuSeconds().get(i)) / seconds * 100);
        }
        return percent;
    }
}
