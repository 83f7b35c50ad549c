package io.streamrec.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.demo.bench.EndToEndBench;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

    private static BenchCommand parse(String... args) {
        BenchCommand command = new BenchCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    private static List<Integer> instanceCounts(BenchCommand command) {
        return command.runs().stream().map(EndToEndBench.Settings::instances).toList();
    }

    @Test
    void oneInstanceByDefault() {
        assertThat(instanceCounts(parse())).containsExactly(1);
    }

    @Test
    void severalCountsGiveOneRunEachInTheOrderGiven() {
        BenchCommand command = parse("--instances", "1,2,3", "--rates", "250,500", "--partitions", "3");
        assertThat(instanceCounts(command)).containsExactly(1, 2, 3);
        assertThat(command.runs()).allSatisfy(run -> {
            assertThat(run.rates()).containsExactly(250.0, 500.0);
            assertThat(run.partitions()).isEqualTo(3);
        });
    }

    @Test
    void instancesMustBeAtLeastOne() {
        assertThatThrownBy(() -> parse("--instances", "0").runs())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("instances must be >= 1");
        assertThatThrownBy(() -> parse("--instances", "1,-2").runs())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got -2");
    }

    @Test
    void partitionsMustBeAtLeastTheInstances() {
        assertThatThrownBy(() -> parse("--instances", "1,3", "--partitions", "2").runs())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 instances need at least as many partitions, got 2");
        assertThatThrownBy(() -> parse("--instances", "7").runs())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 6 (the topic catalog's)");
        assertThat(instanceCounts(parse("--instances", "2", "--partitions", "2"))).containsExactly(2);
        assertThat(instanceCounts(parse("--instances", "6"))).containsExactly(6);
    }

    @Test
    void anInvalidCountEndsTheCommandWithUsageStatusBeforeAnythingStarts() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = new CommandLine(new BenchCommand()).execute("--instances", "4", "--partitions", "3",
                    "--dir", "target/bench-command-test");
        } finally {
            System.setErr(err);
        }
        assertThat(status).isEqualTo(2);
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .contains("streamrec bench: 4 instances need at least as many partitions, got 3");
    }
}
