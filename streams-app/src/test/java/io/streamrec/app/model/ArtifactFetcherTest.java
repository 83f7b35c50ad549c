package io.streamrec.app.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Artifact URIs come from the models topic, so the fetcher treats them as hostile: a deadline for the whole
 * fetch, a byte cap counted while reading, and only regular files. The servers are real JDK HTTP servers on
 * the loopback address.
 */
class ArtifactFetcherTest {

    private static final int CAP = 64 * 1024;
    private static final Duration DEADLINE = Duration.ofMillis(1_500);

    private final ArtifactFetcher fetcher = new ArtifactFetcher(CAP, DEADLINE);
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private HttpServer server;

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.stop(0);
        }
        handlers.shutdownNow();
        handlers.awaitTermination(10, TimeUnit.SECONDS);
    }

    private URI serve(HttpHandler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", handler);
        server.setExecutor(handlers);
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/model.onnx");
    }

    @Test
    void anHttpArtifactWithinTheLimitsIsFetched() throws IOException {
        byte[] graph = new byte[CAP];
        Arrays.fill(graph, (byte) 7);
        URI uri = serve(exchange -> {
            exchange.sendResponseHeaders(200, graph.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(graph);
            }
        });
        assertThat(fetcher.fetch(uri)).isEqualTo(graph);
    }

    @Test
    void aServerThatTricklesItsBodyIsCutOffAtTheDeadline() throws IOException {
        URI uri = serve(exchange -> {
            exchange.sendResponseHeaders(200, 1_000);
            try (OutputStream body = exchange.getResponseBody()) {
                for (int i = 0; i < 1_000; i++) {
                    body.write('x');
                    body.flush();
                    sleep(Duration.ofMillis(100));
                }
            }
        });
        long start = System.nanoTime();
        assertThatThrownBy(() -> fetcher.fetch(uri)).isInstanceOf(IOException.class)
                .hasMessageContaining("within " + DEADLINE);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(DEADLINE.multipliedBy(3));
    }

    @Test
    void aServerThatNeverAnswersIsCutOffAtTheDeadline() throws IOException {
        URI uri = serve(exchange -> sleep(Duration.ofSeconds(30)));
        assertThatThrownBy(() -> fetcher.fetch(uri)).isInstanceOf(IOException.class)
                .hasMessageContaining("within " + DEADLINE);
    }

    @Test
    void aBodyOverTheCapWithoutAContentLengthIsRefusedWhileReading() throws IOException {
        URI uri = serve(exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked: no declared length
            try (OutputStream body = exchange.getResponseBody()) {
                byte[] chunk = new byte[8 * 1024];
                for (int sent = 0; sent < 100 * CAP; sent += chunk.length) {
                    body.write(chunk);
                }
            } catch (IOException expected) {
                // the client hung up once it had more than the cap
            }
        });
        assertThatThrownBy(() -> fetcher.fetch(uri)).isInstanceOf(IOException.class)
                .hasMessageContaining("larger than the " + CAP + "-byte limit");
    }

    @Test
    void anAnswerOtherThan200IsAnError() throws IOException {
        URI uri = serve(exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        assertThatThrownBy(() -> fetcher.fetch(uri)).isInstanceOf(IOException.class).hasMessageContaining("404");
    }

    @Test
    void aRegularFileWithinTheCapIsRead(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3});
        assertThat(fetcher.fetch(file.toUri())).containsExactly(1, 2, 3);
        Files.write(file, new byte[CAP + 1]);
        assertThatThrownBy(() -> fetcher.fetch(file.toUri())).isInstanceOf(IOException.class)
                .hasMessageContaining("larger than the " + CAP + "-byte limit");
    }

    @Test
    void aFileOfSeveralChunksIsReadWhole(@TempDir Path dir) throws IOException {
        byte[] content = new byte[4 * CAP + 17];
        new java.util.Random(3).nextBytes(content);
        Path file = Files.write(dir.resolve("large.onnx"), content);
        assertThat(new ArtifactFetcher(content.length, Duration.ofSeconds(5)).fetch(file.toUri()))
                .containsExactly(content);
    }

    @Test
    void anEndlessDeviceIsRefused() {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.exists(zero), "no /dev/zero here");
        assertThatThrownBy(() -> fetcher.fetch(zero.toUri())).isInstanceOf(IOException.class)
                .hasMessageContaining("not a regular file");
    }

    @Test
    void aFifoIsRefusedWithoutBlocking(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("model.onnx");
        assumeTrue(makeFifo(fifo), "mkfifo is not available");
        assertThatThrownBy(() -> fetcher.fetch(fifo.toUri())).isInstanceOf(IOException.class)
                .hasMessageContaining("not a regular file");
    }

    @Test
    void aDirectoryIsRefused(@TempDir Path dir) {
        assertThatThrownBy(() -> fetcher.fetch(dir.toUri())).isInstanceOf(IOException.class)
                .hasMessageContaining("a directory");
    }

    @Test
    void otherSchemesAreRefused() {
        assertThatThrownBy(() -> fetcher.fetch(URI.create("ftp://example.com/model.onnx")))
                .isInstanceOf(IOException.class).hasMessageContaining("unsupported artifact URI scheme 'ftp'");
    }

    private static boolean makeFifo(Path path) throws InterruptedException {
        try {
            Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
            return mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
