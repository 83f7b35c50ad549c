package io.streamrec.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DevStackCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = new CommandLine(new DevStackCli(() -> {
            throw new AssertionError("the stack must not start in a unit test");
        }));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void helpListsEveryOptionAndExitsZero() {
        assertThat(run("--help")).isZero();
        // Help text wraps at 80 columns.
        assertThat(out.toString().replaceAll("\\s+", " ")).contains("Usage: devstack", "--data-dir=DIR",
                "--broker-port=N", "--registry-port=N", "--partitions=N", "Default: 9092", "Default: 8081");
    }

    @Test
    void invalidArgumentsExitTwoWithAMessage() {
        assertThat(run("--broker-port", "lots")).isEqualTo(2);
        assertThat(err.toString()).contains("--broker-port", "lots");
    }

    @Test
    void impossibleValuesAreRejectedBeforeAnythingStarts() {
        assertThat(run("--partitions", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--partitions must be >= 1");
        assertThat(run("--registry-port", "70000")).isEqualTo(2);
        assertThat(err.toString()).contains("schema registry port");
    }
}
