package io.streamrec.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.app.http.HttpTimeLimits;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app's process entry point against slow clients, in a JVM of its own: the JDK server's read limit is a
 * JVM-wide system property read once, which {@link StreamsAppCommand#main} sets, so only a fresh JVM started
 * the way production starts it (no {@code -D} flags) shows what it does. The app runs against an unreachable
 * broker: its HTTP listeners serve from the start (Kafka Streams never gets past starting), which is all this
 * test needs.
 */
class SlowClientsIT {

    private static final int SLOW_CLIENTS = 50;
    /** The server's timer checks the limit once a second; the rest is slack for a busy machine. */
    private static final Duration CUT_OFF_WITHIN = Duration.ofSeconds(HttpTimeLimits.DEFAULT_MAX_REQUEST_SECONDS + 4);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(PROBE_TIMEOUT).build();

    @Test
    void halfSentRequestsAreCutOffAtTheReadLimitWhileTheManagementListenerKeepsAnswering(@TempDir Path directory)
            throws Exception {
        int apiPort = freePort();
        int managementPort = freePort();
        Path log = directory.resolve("streams-app.log");
        Process app = start(directory, apiPort, managementPort, log);
        try {
            awaitLive(app, managementPort, log);
            List<Socket> slow = new ArrayList<>();
            long opened = System.nanoTime();
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                Socket socket = new Socket("127.0.0.1", apiPort);
                socket.getOutputStream().write("GET /health/live HT".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                slow.add(socket);
            }
            List<String> probeFailures = new CopyOnWriteArrayList<>();
            List<Duration> probes = new CopyOnWriteArrayList<>();
            ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor();
            try {
                prober.scheduleAtFixedRate(() -> probe(managementPort, probes, probeFailures), 0, 500,
                        TimeUnit.MILLISECONDS);
                for (Socket socket : slow) {
                    assertThat(closedByServer(socket, opened)).as("a slow client is cut off within " + CUT_OFF_WITHIN)
                            .isTrue();
                }
            } finally {
                prober.shutdownNow();
                assertThat(prober.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
                for (Socket socket : slow) {
                    socket.close();
                }
            }
            Duration allCutOff = Duration.ofNanos(System.nanoTime() - opened);
            assertThat(allCutOff).as("the read limit, not something sooner, cut them off")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(HttpTimeLimits.DEFAULT_MAX_REQUEST_SECONDS - 1));
            assertThat(probeFailures).as("management probes while " + SLOW_CLIENTS + " slow clients were open")
                    .isEmpty();
            assertThat(probes).hasSizeGreaterThanOrEqualTo(8).allSatisfy(took ->
                    assertThat(took).isLessThan(PROBE_TIMEOUT));
            // The API's threads are free again.
            assertThat(get(apiPort, "/health/live").statusCode()).isEqualTo(200);
        } finally {
            stop(app);
        }
    }

    /** {@code java -cp <this test's class path> StreamsAppCommand --set ...}, without any system property. */
    private static Process start(Path directory, int apiPort, int managementPort, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), StreamsAppCommand.class.getName()));
        for (String setting : List.of(
                "bootstrap.servers=127.0.0.1:1", // closed: Kafka Streams keeps trying, the listeners serve
                "schema.registry.url=http://127.0.0.1:1",
                "application.id=slow-clients-it",
                "state.dir=" + directory.resolve("state"),
                "model.accept.unsigned=true",
                StreamsAppConfig.HTTP_HOST_CONFIG + "=127.0.0.1",
                StreamsAppConfig.HTTP_PORT_CONFIG + "=" + apiPort,
                StreamsAppConfig.HTTP_MANAGEMENT_PORT_CONFIG + "=" + managementPort)) {
            command.add("--set");
            command.add(setting);
        }
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private void awaitLive(Process app, int managementPort, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(app.isAlive()).as("the app runs; its output:\n" + Files.readString(log)).isTrue();
            try {
                if (get(managementPort, "/health/live").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the app's management listener did not answer; its output:\n" + Files.readString(log));
    }

    /** Reads until the server closes the connection or the limit passes; true when the server closed it. */
    private static boolean closedByServer(Socket socket, long openedNanos) throws IOException {
        long left = openedNanos + CUT_OFF_WITHIN.toNanos() - System.nanoTime();
        socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        try (InputStream in = socket.getInputStream()) {
            while (in.read() >= 0) {
                // nothing is expected: the server answers no half request
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the server
        }
    }

    private void probe(int managementPort, List<Duration> probes, List<String> failures) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> live = get(managementPort, "/health/live");
            probes.add(Duration.ofNanos(System.nanoTime() - start));
            if (live.statusCode() != 200) {
                failures.add("status " + live.statusCode() + ": " + live.body());
            }
        } catch (IOException e) {
            failures.add(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(PROBE_TIMEOUT)
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void stop(Process app) throws InterruptedException {
        app.destroy();
        if (!app.waitFor(20, TimeUnit.SECONDS)) {
            app.destroyForcibly();
            app.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
