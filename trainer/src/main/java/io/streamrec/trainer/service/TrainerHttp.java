package io.streamrec.trainer.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer service's probes and metrics on the JDK's HTTP server: {@code GET /health/live} (the process
 * runs), {@code GET /health/ready} (the interactions topic could be reached at the last look), {@code GET
 * /metrics} (Prometheus text), {@code GET /status} (the last run's outcome as text). Lifetime: close to
 * release the port and the thread. Thread-safe.
 */
public final class TrainerHttp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TrainerHttp.class);

    private final HttpServer server;
    private final ExecutorService executor;

    public TrainerHttp(String host, int port, TrainerService service, PrometheusMeterRegistry meters) {
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the trainer's HTTP port " + host + ":" + port
                    + " (http.port): " + e.getMessage(), e);
        }
        executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "trainer-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/health/live", exchange -> send(exchange, 200, "text/plain", "live\n"));
        server.createContext("/health/ready", exchange -> {
            boolean ready = service.kafkaReachable();
            send(exchange, ready ? 200 : 503, "text/plain", ready ? "ready\n" : "interactions topic not reachable\n");
        });
        server.createContext("/metrics", exchange ->
                send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", meters.scrape()));
        server.createContext("/status", exchange -> send(exchange, 200, "text/plain",
                service.lastOutcome().map(outcome -> outcome.decision() + " v" + outcome.version() + ": "
                        + outcome.reason() + "\n").orElse(service.busy() ? "first refit running\n" : "no refit yet\n")));
        server.start();
        log.info("event=trainer_http_started port={}", port());
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }
}
