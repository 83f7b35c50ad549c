package io.streamrec.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.demo.bench.EndToEndBench.Result;
import io.streamrec.demo.bench.EndToEndBench.StateFiles;
import io.streamrec.demo.bench.EndToEndBench.StateSize;
import io.streamrec.demo.bench.EndToEndBench.Step;
import io.streamrec.demo.bench.EndToEndBench.SwapResult;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchTableTest {

    private static final long MIB = 1 << 20;

    private static Step step(double offered, List<Double> listsPerSecond, List<Double> cpuPercent) {
        double achieved = listsPerSecond.stream().mapToDouble(Double::doubleValue).sum();
        return new Step(offered, achieved, 20_000, 90_000, 120_000, 12, 5_000, 10_000, 40_000, 0.4, 1.2,
                listsPerSecond, cpuPercent);
    }

    private static Result result(int instances, List<Step> steps, List<Step> search, SwapResult swap,
                                 StateSize state) {
        List<ChildJvm.Memory> memory = Collections.nCopies(instances,
                new ChildJvm.Memory(600 * MIB, 700 * MIB));
        return new Result("End to end, history-recent, 6,040 users", instances, steps, search, swap, memory, memory,
                Duration.ZERO, 500, state);
    }

    @Test
    void oneTableHoldsEveryCountWithListsAndCpuPerInstance() {
        Result one = result(1, List.of(step(500, List.of(500.0), List.of(90.0))), List.of(), null,
                new StateSize(List.of(new StateFiles(6_040_000, 604_000)), 6_040));
        Result two = result(2, List.of(step(500, List.of(251.0, 249.4), List.of(60.2, 55.0)),
                        step(1000, List.of(498.0, 503.0), List.of(95.0, 88.0))), List.of(),
                new SwapResult(500, 120, 40, 0, 0, 150_000, 2, 3.5), new StateSize(List.of(new StateFiles(3_000_000,
                        1_000_000), new StateFiles(3_100_000, 1_135_000)), 6_100));

        String markdown = BenchTable.markdown(List.of(one, two));

        assertThat(markdown).startsWith("End to end, history-recent, 6,040 users\n\n| instances | offered clicks/s"
                + " | achieved lists/s | lists/s per instance |");
        assertThat(markdown).contains("| 1 | 500 | 500 | 500 | 20.0 | 90.0 |");
        assertThat(markdown).contains("| 2 | 500 | 500 | 251 / 249 | 20.0 | 90.0 |");
        assertThat(markdown).contains("| 2 | 1000 | 1001 | 498 / 503 |");
        // the app CPU column is the instances' sum, then each instance's share
        assertThat(markdown).contains("| 115 | 60 / 55 | 0.400 | 1.2 |");
        assertThat(markdown).contains("| 183 | 95 / 88 |");
        assertThat(markdown.lines().filter(line -> line.startsWith("| instances")).count()).isEqualTo(1);
        assertThat(markdown).contains("App RSS per instance with 1 instance: 600 MiB after warm-up");
        assertThat(markdown).contains("App RSS per instance with 2 instances: 600 / 600 MiB after warm-up, 600 / 600"
                + " MiB at the end (peak 700 / 700 MiB)");
        assertThat(markdown).contains("Hot swap at 500 clicks/s with 2 instances: largest output gap around the swap"
                + " 120 ms").contains("2 of 2 instances served the new model at the end, all of them 3.5 s after it"
                + " was published");
        assertThat(markdown).contains("State with 1 instance: 6,040,000 bytes")
                .contains("of which 604,000 in the stores' SST files")
                .contains("**1,000 bytes per user**, 100 of them in SST files");
        assertThat(markdown).contains("State with 2 instances: 6,100,000 bytes in the state directories")
                .contains("per instance 3,000,000 / 3,100,000), of which 2,135,000 in the stores' SST files")
                .contains("6,100 distinct users clicked: **1,000 bytes per user**, 350 of them in SST files");
    }

    @Test
    void theSearchHasItsOwnTableAndNamesTheHighestSustainedRate() {
        Step sustained = step(1000, List.of(500.0, 500.0), List.of(80.0, 80.0));
        Step behind = new Step(1250, 900, 900_000, 4_000_000, 5_000_000, 9_000, 0, 0, 0, 0.4, 1.0,
                List.of(450.0, 450.0), List.of(99.0, 98.0));
        Result two = result(2, List.of(sustained), List.of(sustained, behind), null, null);

        String markdown = BenchTable.markdown(List.of(two));

        assertThat(markdown).contains("Search for the highest sustained rate with 2 instances")
                .contains("**1000 clicks/s**");
        assertThat(markdown.lines().filter(line -> line.startsWith("| instances")).count()).isEqualTo(2);
        assertThat(markdown).contains("| 2 | 1250 | 900 | 450 / 450 |");
        assertThat(markdown).doesNotContain("State with");
    }

    @Test
    void stepsNeedOneFigureOfEachKindPerInstance() {
        assertThatThrownBy(() -> step(500, List.of(250.0, 250.0), List.of(90.0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(step(500, List.of(250.0, 250.0), List.of(90.0, 40.0)).instances()).isEqualTo(2);
    }

    @Test
    void bytesPerUserIsTheTotalOverTheUsersWhoClicked() {
        StateSize state = new StateSize(List.of(new StateFiles(1_000, 400), new StateFiles(3_000, 2_000)), 8);
        assertThat(state.totalBytes()).isEqualTo(4_000);
        assertThat(state.sstBytes()).isEqualTo(2_400);
        assertThat(state.bytesPerUser()).isEqualTo(500.0);
        assertThat(state.sstBytesPerUser()).isEqualTo(300.0);
        assertThat(new StateSize(List.of(new StateFiles(1_000, 0)), 0).bytesPerUser()).isNaN();
    }
}
