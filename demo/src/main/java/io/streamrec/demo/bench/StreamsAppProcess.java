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

/**
 * The streams app in its own JVM, as it runs in production, so the benchmark measures its memory (RSS) and CPU
 * apart from the broker and the load generator. Output goes to a log file. Lifetime: {@link #close()} sends
 * SIGTERM (a graceful shutdown) and waits.
 */
final class StreamsAppProcess implements AutoCloseable {

    private final Process process;
    private final int httpPort;
    private final int managementPort;
    private final HttpClient http = HttpClient.newHttpClient();

    private StreamsAppProcess(Process process, int httpPort, int managementPort) {
        this.process = process;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
    }

    /**
     * Starts {@code java -jar streams-app.jar --set k=v ...} and waits until it serves a model; its API listens
     * on {@code httpPort}, its metrics on {@code managementPort}.
     */
    static StreamsAppProcess start(Path jar, String javaOptions, Map<String, Object> settings, int httpPort,
                                   int managementPort, Path log, Duration timeout)
            throws IOException, InterruptedException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build with mvn -DskipTests -pl demo -am package");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(javaOptions.trim().split("\\s+")));
        command.add("-jar");
        command.add(jar.toString());
        settings.forEach((key, value) -> {
            command.add("--set");
            command.add(key + "=" + value);
        });
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        StreamsAppProcess app = new StreamsAppProcess(process, httpPort, managementPort);
        app.awaitReady(timeout, log);
        return app;
    }

    private void awaitReady(Duration timeout, Path log) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the streams app exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                        + "/models")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200 && !ready.body().contains("\"serving\":null")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the streams app did not serve a model within " + timeout + "; see " + log);
    }

    long pid() {
        return process.pid();
    }

    int httpPort() {
        return httpPort;
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

    /** Resident set size and its peak (VmRSS, VmHWM) in bytes, from /proc. */
    long[] memory() throws IOException {
        long rss = -1;
        long peak = -1;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = kilobytes(line) * 1024;
            } else if (line.startsWith("VmHWM:")) {
                peak = kilobytes(line) * 1024;
            }
        }
        return new long[] {rss, peak};
    }

    /** CPU seconds the process used so far (user + system), from /proc. */
    double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks / 100.0;
    }

    private static long kilobytes(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
