package io.streamrec.demo.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One streams-app instance in its own JVM ({@link ChildJvm}, so it dies with the benchmark), as it runs in
 * production, so the benchmark measures its memory (RSS) and CPU apart from the broker and the load generator.
 * Output goes to a log file, new for each start. Lifetime: {@link #close()} sends SIGTERM (a graceful shutdown)
 * and waits.
 */
final class StreamsAppProcess implements AutoCloseable {

    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(90);
    private static final Pattern MODEL_VERSION = Pattern.compile("\"modelVersion\"\\s*:\\s*(\\d+)");

    private final ChildJvm jvm;
    private final int managementPort;
    private final Path stateDirectory;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private StreamsAppProcess(ChildJvm jvm, int managementPort, Path stateDirectory) {
        this.jvm = jvm;
        this.managementPort = managementPort;
        this.stateDirectory = stateDirectory;
    }

    /**
     * Starts the app's jar with {@code --set k=v} for each setting and returns at once; its metrics and health
     * answer on {@code managementPort}, its state is in {@code stateDirectory}.
     */
    static StreamsAppProcess start(String name, Path jar, String javaOptions, Map<String, Object> settings,
                                   int managementPort, Path stateDirectory, Path log) throws IOException {
        List<String> arguments = new ArrayList<>();
        settings.forEach((key, value) -> {
            arguments.add("--set");
            arguments.add(key + "=" + value);
        });
        Files.deleteIfExists(log);
        ChildJvm jvm = ChildJvm.of(name, jar, List.of(javaOptions.trim().split("\\s+")), arguments, log);
        jvm.start();
        return new StreamsAppProcess(jvm, managementPort, stateDirectory);
    }

    /**
     * Waits until every instance is ready at once (Kafka Streams RUNNING, a model serving): an instance that
     * joins later sends the others back to REBALANCING.
     */
    static void awaitAllReady(List<StreamsAppProcess> apps, Duration timeout, Path logs)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (StreamsAppProcess app : apps) {
                if (!app.jvm.running()) {
                    throw new IllegalStateException(app.name() + " exited; see its log in " + logs);
                }
                all &= app.servingVersion() > 0;
            }
            if (all) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("not every streams-app instance was RUNNING with a model within " + timeout
                + "; see the logs in " + logs);
    }

    /**
     * The model version the instance serves while ready ({@code /health/ready}: Kafka Streams RUNNING), -1 when it
     * is not ready, serves no model or does not answer.
     */
    long servingVersion() throws InterruptedException {
        try {
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + managementPort + "/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher version = MODEL_VERSION.matcher(ready.body());
            return ready.statusCode() == 200 && version.find() ? Long.parseLong(version.group(1)) : -1;
        } catch (IOException e) {
            return -1; // not listening yet
        }
    }

    String name() {
        return jvm.name();
    }

    /** A scrape of the app's {@code /metrics}. */
    AppMetrics metrics() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + managementPort + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET /metrics answered " + response.statusCode());
        }
        return AppMetrics.parse(response.body());
    }

    ChildJvm.Memory memory() throws IOException {
        return jvm.memory();
    }

    double cpuSeconds() throws IOException {
        return jvm.cpuSeconds();
    }

    /**
     * The apparent size of the files in the instance's state directory (what {@code du --apparent-size} counts),
     * all and the RocksDB SST files among them. Read after {@link #close()}, when Kafka Streams has flushed its
     * stores, they hold all the state the instance kept.
     */
    EndToEndBench.StateFiles stateFiles() throws IOException {
        if (!Files.isDirectory(stateDirectory)) {
            return new EndToEndBench.StateFiles(0, 0);
        }
        long all = 0;
        long sst = 0;
        try (Stream<Path> files = Files.walk(stateDirectory)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                long size = Files.size(file);
                all += size;
                sst += file.getFileName().toString().endsWith(".sst") ? size : 0;
            }
        }
        return new EndToEndBench.StateFiles(all, sst);
    }

    /** Exits nobody asked for, and crashes while stopping: empty for a healthy run. */
    List<String> unexpectedExits() {
        return jvm.unexpectedExits();
    }

    /** SIGTERM without waiting, so several instances shut down at once; {@link #close()} then waits. */
    void terminate() {
        jvm.terminate();
    }

    @Override
    public void close() {
        try {
            jvm.stop(SHUTDOWN_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
