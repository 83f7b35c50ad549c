package io.streamrec.schemas.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GracefulStop} in JVMs of its own, stopped the ways production processes are: SIGTERM (Kubernetes, docker,
 * the benchmarks), SIGINT (Ctrl-C), and {@code System.exit} from code that bypasses the signals.
 */
class GracefulStopTest {

    private static final Duration READY_WITHIN = Duration.ofSeconds(30);

    @Test
    void sigtermLetsTheCommandCloseBeforeTheJvmShutdownHooksRun(@TempDir Path directory) throws Exception {
        Child child = Child.start(directory, "signal");
        child.awaitLine("ready");
        child.process.destroy(); // SIGTERM

        child.assertClosedThenExited();
        assertThat(child.output()).contains("event=stop_requested command=child by=SIGTERM")
                .doesNotContain("signals_not_handled");
    }

    @Test
    void sigintDoesTheSame(@TempDir Path directory) throws Exception {
        Child child = Child.start(directory, "signal");
        child.awaitLine("ready");
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(child.process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();

        child.assertClosedThenExited();
        assertThat(child.output()).contains("by=SIGINT");
    }

    @Test
    void aSecondSignalWhileClosingDoesNotCutTheClosingShort(@TempDir Path directory) throws Exception {
        Child child = Child.start(directory, "signal");
        child.awaitLine("ready");
        child.process.destroy();
        child.awaitLine("stop-requested");
        child.process.destroy();

        child.assertClosedThenExited();
        assertThat(child.output()).contains("event=stop_under_way command=child by=SIGTERM");
    }

    @Test
    void anExitFromElsewhereStillWaitsForTheCommandToClose(@TempDir Path directory) throws Exception {
        Child child = Child.start(directory, "exit");

        assertThat(child.awaitExit()).as(child.output()).isEqualTo(7);
        assertThat(child.lines()).as("the JVM did not exit before the command closed")
                .containsSubsequence("stop-requested", "closed");
        // No log line is asserted here: Log4j's own shutdown hook may have stopped logging by then.
    }

    /** A {@link GracefulStopChild} JVM writing to a file. */
    private record Child(Process process, Path log) {

        static Child start(Path directory, String mode) throws IOException {
            Path log = directory.resolve("child.log");
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx64m", "-cp", System.getProperty("java.class.path"), GracefulStopChild.class.getName(), mode)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new Child(process, log);
        }

        void awaitLine(String line) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + READY_WITHIN.toNanos();
            while (!lines().contains(line)) {
                assertThat(System.nanoTime()).as("'" + line + "' within " + READY_WITHIN + "; output:\n" + output())
                        .isLessThan(deadline);
                assertThat(process.isAlive()).as("the child runs; output:\n" + output()).isTrue();
                Thread.sleep(20);
            }
        }

        /** Exit 0, and the closing ended before any shutdown hook ran. */
        void assertClosedThenExited() throws IOException, InterruptedException {
            assertThat(awaitExit()).as(output()).isZero();
            assertThat(lines()).as("the closing ends before any shutdown hook runs")
                    .containsSubsequence("stop-requested", "closed", "native-resources-freed");
        }

        int awaitExit() throws InterruptedException {
            if (!process.waitFor(READY_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("the child did not exit within " + READY_WITHIN);
            }
            return process.exitValue();
        }

        List<String> lines() throws IOException {
            return Files.readAllLines(log, StandardCharsets.UTF_8).stream().map(String::strip).toList();
        }

        String output() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }
    }
}
