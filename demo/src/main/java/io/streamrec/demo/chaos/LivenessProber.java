package io.streamrec.demo.chaos;

import io.streamrec.demo.bench.ChildJvm;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What Kubernetes' liveness probe does to every app instance: {@code GET /health/live} on the management port once
 * a second with a 3-second timeout. A probe counts as failed when it times out or does not answer 200, but only
 * for an instance that is meant to be running and has answered once since it (re)started: a probe's start-up
 * failures are what a startup probe absorbs. Thread-safe.
 */
final class LivenessProber implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final ChaosCluster cluster;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService probes = Executors.newCachedThreadPool();
    private final Map<String, Long> answeredSincePid = new HashMap<>(); // guarded by 'this'
    private final AtomicInteger probesSent = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();

    LivenessProber(ChaosCluster cluster) {
        this.cluster = cluster;
        ticker.scheduleAtFixedRate(this::probeAll, 1, 1, TimeUnit.SECONDS);
    }

    private void probeAll() {
        for (ChildJvm app : cluster.apps()) {
            if (app.running()) {
                long pid = app.pid();
                probes.execute(() -> probe(app, pid));
            }
        }
    }

    private void probe(ChildJvm app, long pid) {
        String url = "http://127.0.0.1:" + cluster.ports(app).management() + "/health/live";
        boolean ok;
        try {
            ok = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            ok = false;
        } catch (InterruptedException e) {
            return;
        }
        synchronized (this) {
            boolean counts = answeredSincePid.getOrDefault(app.name(), -1L) == pid && app.running()
                    && app.pid() == pid;
            if (ok) {
                answeredSincePid.put(app.name(), pid);
            }
            if (counts) {
                probesSent.incrementAndGet();
                if (!ok) {
                    failures.incrementAndGet();
                }
            }
        }
    }

    int probes() {
        return probesSent.get();
    }

    int failures() {
        return failures.get();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        probes.shutdownNow();
    }
}
