package io.streamrec.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line, in this JVM with a stop signal instead of Ctrl-C, and as the packaged jar. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DevStackCliIT {

    @TempDir
    Path directory;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(CommandLine.IExecutionStrategy strategy, DevStackCli.StopSignal signal, String... args) {
        CommandLine commandLine = new CommandLine(new DevStackCli(signal));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        if (strategy != null) {
            commandLine.setExecutionStrategy(strategy);
        }
        return commandLine.execute(args);
    }

    @Test
    void theStackRunsPrintsItsAddressesAndTopicsAndStopsCleanly() {
        AtomicReference<Integer> registryAnswer = new AtomicReference<>();
        int exit = run(null, () -> {
            // Runs while the stack is up: the printed registry address must answer.
            Matcher url = Pattern.compile("schema.registry.url = (\\S+)").matcher(out.toString());
            assertThat(url.find()).as(out.toString()).isTrue();
            registryAnswer.set(new RegistryClient(url.group(1)).get("/subjects").status());
        }, "--data-dir", directory.toString(), "--broker-port", "0", "--registry-port", "0", "--partitions", "2");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(registryAnswer.get()).isEqualTo(200);
        assertThat(out.toString())
                .contains("streamrec devstack is running", "bootstrap.servers   = 127.0.0.1:",
                        "data directory      = " + directory, "Press Ctrl-C to stop.", "devstack stopped")
                .containsPattern("clicks\\s+2 partitions\\s+cleanup.policy=delete")
                .containsPattern("models\\s+1 partition\\s+cleanup.policy=compact max.message.bytes=67108864")
                .contains("_schemas");
        assertThat(directory.resolve("broker/kafka-logs/meta.properties")).as("--data-dir is kept").exists();
    }

    @Test
    void aBusyPortExitsOneWithTheBusyPortInTheMessage() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, Ports.loopback())) {
            int port = taken.getLocalPort();
            int exit = run(null, () -> {
                throw new AssertionError("must not run");
            }, "--data-dir", directory.toString(), "--broker-port", "0", "--registry-port", Integer.toString(port));
            assertThat(exit).isEqualTo(1);
            assertThat(err.toString()).startsWith("devstack: schema registry port " + port)
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void anUnusableDataDirectoryExitsOneWithThePath() throws IOException {
        Path file = Files.writeString(directory.resolve("a-file"), "x");
        int exit = run(null, () -> {
            throw new AssertionError("must not run");
        }, "--data-dir", file.resolve("below").toString(), "--broker-port", "0", "--registry-port", "0");
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("cannot use data directory", file.toString());
    }

    @Test
    void thePackagedJarRunsWithItsLibDirectory() throws Exception {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("devstack-[^-]+(-SNAPSHOT)?\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("no packaged jar in target/"));
        }
        assertThat(jar.resolveSibling("lib")).isDirectory();
        Process process = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(), "--help"))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("Usage: devstack", "--data-dir");
    }
}
