package io.streamrec.demo.chaos;

import io.streamrec.demo.bench.ChildJvm;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Clients that a public HTTP API meets: requests for users the instance does not own that carry a forged
 * forwarding header (so they pretend another instance already forwarded them), and slow, half-open connections
 * that send part of a request line and then a byte every two seconds. Runs until {@link #close()}.
 */
final class HostileClients implements AutoCloseable {

    /** The header an instance adds when it forwards a request to the owner of the user's partition. */
    static final String FORWARDED_BY = "X-Streamrec-Forwarded-By";

    private final ChaosCluster cluster;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final List<Socket> slow = new ArrayList<>();
    private final SplittableRandom random = new SplittableRandom(5);
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger slowClosedByServer = new AtomicInteger();
    private final Histogram answerMs = new ConcurrentHistogram(120_000L, 2);

    private HostileClients(ChaosCluster cluster) {
        this.cluster = cluster;
    }

    /** Starts {@code forgedPerSecond} forged requests a second and {@code slowPerInstance} slow connections each. */
    static HostileClients start(ChaosCluster cluster, int forgedPerSecond, int slowPerInstance) throws IOException {
        HostileClients clients = new HostileClients(cluster);
        for (ChildJvm app : cluster.apps()) {
            for (int i = 0; i < slowPerInstance; i++) {
                clients.openSlow(cluster.ports(app).http());
            }
        }
        clients.scheduler.scheduleAtFixedRate(clients::forge, 0, 1_000_000 / forgedPerSecond, TimeUnit.MICROSECONDS);
        clients.scheduler.scheduleAtFixedRate(clients::trickle, 2, 2, TimeUnit.SECONDS);
        return clients;
    }

    private void openSlow(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.getOutputStream().write("GET /users/u1/recommendations HT".getBytes(StandardCharsets.US_ASCII));
        synchronized (slow) {
            slow.add(socket);
        }
    }

    private void trickle() {
        synchronized (slow) {
            for (Socket socket : slow) {
                if (socket.isClosed()) {
                    continue;
                }
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write('T');
                    out.flush();
                } catch (IOException e) {
                    slowClosedByServer.incrementAndGet();
                    closeQuietly(socket);
                }
            }
        }
    }

    private void forge() {
        List<ChildJvm> apps = cluster.apps();
        ChildJvm app = apps.get(random.nextInt(apps.size()));
        String url = "http://127.0.0.1:" + cluster.ports(app).http() + "/users/u" + (1 + random.nextInt(6040))
                + "/recommendations";
        long start = System.nanoTime();
        sent.incrementAndGet();
        http.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                        .header(FORWARDED_BY, "127.0.0.1:1").build(), HttpResponse.BodyHandlers.discarding())
                .whenComplete((response, error) -> {
                    if (error == null) {
                        answered.incrementAndGet();
                        answerMs.recordValue(Math.min(120_000L, (System.nanoTime() - start) / 1_000_000));
                    }
                });
    }

    String summary() {
        return String.format(Locale.ROOT, "forged requests %d, answered %d, p99 answer %d ms; slow connections %d,"
                        + " closed by the server %d", sent.get(), answered.get(), answerMs.getValueAtPercentile(99),
                slow.size(), slowClosedByServer.get());
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        synchronized (slow) {
            slow.forEach(HostileClients::closeQuietly);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
