package io.streamrec.demo.bench;

import io.streamrec.demo.bench.EndToEndBench.Result;
import io.streamrec.demo.bench.EndToEndBench.StateSize;
import io.streamrec.demo.bench.EndToEndBench.Step;
import io.streamrec.demo.bench.EndToEndBench.SwapResult;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The end-to-end benchmark's markdown: one table of every rate step of every instance count, then per count
 * the search for the highest sustained rate, the hot swap, memory and state size. A pure function of the
 * results.
 */
public final class BenchTable {

    private BenchTable() {
    }

    /** The report of runs of the same steps with (possibly) different instance counts; the first's heading. */
    public static String markdown(List<Result> results) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("no results");
        }
        StringBuilder table = new StringBuilder();
        table.append(results.get(0).description()).append("\n\n");
        appendSteps(table, results.stream().flatMap(result -> result.steps().stream()).toList());
        for (Result result : results) {
            appendFooter(table, result);
        }
        return table.toString();
    }

    /** Per-instance values joined with " / ", in instance order, each as {@code format} renders it. */
    public static <T> String perInstance(List<T> values, Function<T, ?> format) {
        return values.stream().map(value -> String.valueOf(format.apply(value))).collect(Collectors.joining(" / "));
    }

    private static void appendSteps(StringBuilder table, List<Step> steps) {
        table.append("| instances | offered clicks/s | achieved lists/s | lists/s per instance | p50 ms | p99 ms"
                + " | max ms | sent p99 ms | computed p50 ms | computed p99 ms | backlog at end | app CPU % (sum)"
                + " | CPU % per instance | scoring ms per list | users per call |\n");
        table.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Step step : steps) {
            table.append(String.format(Locale.ROOT,
                    "| %d | %.0f | %.0f | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %,d | %.0f | %s | %.3f"
                            + " | %.1f |%n",
                    step.instances(), step.offered(), step.achieved(),
                    perInstance(step.listsPerSecondByInstance(), Math::round), step.p50Micros() / 1000.0,
                    step.p99Micros() / 1000.0, step.maxMicros() / 1000.0, step.sentP99Micros() / 1000.0,
                    step.computedP50Micros() / 1000.0, step.computedP99Micros() / 1000.0, step.backlog(),
                    step.appCpuPercent(), perInstance(step.cpuPercentByInstance(), Math::round),
                    step.scoringMsPerList(), step.usersPerCall()));
        }
    }

    private static void appendFooter(StringBuilder table, Result result) {
        String with = String.format(Locale.ROOT, "with %d instance%s", result.instances(),
                result.instances() == 1 ? "" : "s");
        if (!result.search().isEmpty()) {
            table.append(String.format(Locale.ROOT, "%nSearch for the highest sustained rate %s (p99 ≤ %d ms, backlog"
                    + " ≤ 0.5 s of clicks), up by a quarter per step: ", with,
                    EndToEndBench.SUSTAINED_P99_MICROS / 1000));
            double max = result.maxSustainedRate();
            table.append(Double.isNaN(max) ? "no step was sustained\n\n"
                    : String.format(Locale.ROOT, "**%.0f clicks/s**%n%n", max));
            appendSteps(table, result.search());
        }
        if (result.swap() != null) {
            SwapResult swap = result.swap();
            table.append(String.format(Locale.ROOT, "%nHot swap at %.0f clicks/s %s: largest output gap around the"
                            + " swap %d ms, elsewhere %d ms; lists missing after drain %d; fallback lists %d; p99"
                            + " around the swap %.1f ms; %d of %d instance%s served the new model at the end%s%n",
                    swap.rate(), with, swap.swapGapMs(), swap.normalGapMs(), swap.missing(), swap.fallbackLists(),
                    swap.p99MicrosAroundSwap() / 1000.0, swap.instancesSwapped(), result.instances(),
                    result.instances() == 1 ? "" : "s", swap.swapSeconds() < 0 ? "" : String.format(Locale.ROOT,
                            ", all of them %.1f s after it was published", swap.swapSeconds())));
        }
        table.append(String.format(Locale.ROOT, "%nApp RSS per instance %s: %s MiB after warm-up, %s MiB at the end"
                        + " (peak %s MiB)%s%n", with, perInstance(result.memoryAtStart(), m -> m.rssBytes() >> 20),
                perInstance(result.memoryAtEnd(), m -> m.rssBytes() >> 20),
                perInstance(result.memoryAtEnd(), m -> m.peakBytes() >> 20),
                result.soak().isZero() ? "" : String.format(Locale.ROOT, ", after a %d-minute soak at %.0f clicks/s",
                        result.soak().toMinutes(), result.soakRate())));
        if (result.state() != null) {
            StateSize state = result.state();
            table.append(String.format(Locale.ROOT, "%nState %s: %,d bytes in the state directories after the"
                            + " instances closed (apparent file sizes, as du --apparent-size counts; per instance"
                            + " %s), of which %,d in the stores' SST files (the data; the rest is RocksDB's files"
                            + " per store); %,d distinct users clicked: **%,.0f bytes per user**, %,.0f of them in"
                            + " SST files%n", with, state.totalBytes(),
                    perInstance(state.byInstance(), files -> String.format(Locale.ROOT, "%,d", files.allBytes())),
                    state.sstBytes(), state.distinctUsers(), state.bytesPerUser(), state.sstBytesPerUser()));
        }
    }
}
