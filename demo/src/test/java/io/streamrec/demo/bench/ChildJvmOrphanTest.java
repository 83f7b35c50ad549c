package io.streamrec.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child started through {@link ChildJvm} exits when the JVM that started it is killed with SIGKILL, which runs
 * no shutdown hook: the parent here is a JVM of its own, so the test can kill it.
 */
class ChildJvmOrphanTest {

    private static final Duration EXIT_WITHIN = Duration.ofSeconds(10);

    @TempDir
    Path directory;

    @Test
    void childExitsWhenItsParentIsKilled() throws Exception {
        Path jar = SleepingChild.jar(directory);
        Path log = directory.resolve("logs/child.log");
        Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), OrphaningParent.class.getName(),
                jar.toString(), log.toString()).redirectErrorStream(true).start();
        long childPid = -1;
        try {
            childPid = Long.parseLong(firstLine(parent.getInputStream()).trim());
            long pid = childPid;
            assertThat(awaitUntil(() -> Files.exists(log) && Files.readString(log).contains(SleepingChild.STARTED),
                    Duration.ofSeconds(30))).as("the child started").isTrue();
            assertThat(ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
                    .contains(parent.pid());

            parent.destroyForcibly(); // SIGKILL
            assertThat(parent.waitFor(10, TimeUnit.SECONDS)).isTrue();

            boolean exited = awaitUntil(() -> !running(pid), EXIT_WITHIN);
            assertThat(exited).as("the child %d still runs %s after its parent was killed", pid, EXIT_WITHIN)
                    .isTrue();
            assertThat(Files.readString(log)).contains("exit-with-parent: process " + parent.pid());
        } finally {
            parent.destroyForcibly();
            if (childPid > 0) {
                ProcessHandle.of(childPid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static String firstLine(InputStream stream) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
        String line = reader.readLine();
        if (line == null) {
            throw new IllegalStateException("the parent JVM printed nothing");
        }
        return line;
    }

    /**
     * Whether the process runs: a zombie (exited, not yet reaped by whoever inherited it) has stopped running,
     * though {@link ProcessHandle#isAlive()} counts it as alive.
     */
    private static boolean running(long pid) throws IOException {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (NoSuchFileException e) {
            return false; // gone since the check
        }
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws IOException;
    }

    private static boolean awaitUntil(Condition condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }
}
