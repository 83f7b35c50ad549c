package io.streamrec.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamrec.app.StreamsAppConfig;
import io.streamrec.app.model.ArtifactFetcher;
import io.streamrec.app.model.ModelLoader;
import io.streamrec.app.model.ModelRegistry;
import io.streamrec.app.model.OnnxRuntime;
import io.streamrec.app.model.TestModels;
import io.streamrec.app.topology.PopularityLists;
import io.streamrec.app.topology.Recommender;
import io.streamrec.schemas.model.ReleaseVerifier;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server, the handler, routing and forwarding over a real Kafka Streams client that is never started (no
 * broker needed): what every instance answers before it has joined its group, how routing gives up, the two
 * listeners' bounded threads and queue (held deterministically by clients that send half a request line, which
 * this JVM, without the entry point's read limit, waits for until they close), and the server's lifecycle.
 */
class ApiServerTest {

    private static final int THREADS = 2;
    private static final int QUEUE = 2;
    private static final HttpSettings SETTINGS = new HttpSettings("127.0.0.1", 0, 0, "127.0.0.1", THREADS, QUEUE,
            Duration.ofMillis(300), false, 10, 64, 10_000);

    @TempDir
    Path stateDir;

    private OnnxRuntime onnx;
    private ModelRegistry models;
    private KafkaStreams streams;
    private PrometheusMeterRegistry meters;
    private ApiServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() {
        onnx = new OnnxRuntime(new OnnxRuntime.Settings(1, false));
        models = new ModelRegistry(new ModelRegistry.Settings("default", OptionalLong.empty(), 10),
                new ModelLoader(onnx, ReleaseVerifier.trusting(List.of(TestModels.TRAINER_KEY.getPublic())),
                        new ArtifactFetcher(1_000, Duration.ofSeconds(1)), 1),
                Clock.systemUTC(), event -> { });
        meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        server = ApiServer.bind(SETTINGS);
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "api-server-test");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9"); // never contacted: never started
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        properties.put(StreamsConfig.APPLICATION_SERVER_CONFIG, server.applicationServer());
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("clicks");
        streams = new KafkaStreams(builder.build(), properties);
        server.start(new ApiHandler(SETTINGS, server.advertised(), streams, models,
                new Recommender(models, true, meters), new PopularityLists(), meters, Clock.systemUTC()));
    }

    @AfterEach
    void stop() {
        server.close();
        streams.close();
        models.close();
        meters.close();
        onnx.close();
    }

    private record Answer(int status, HttpResponse<String> response, JsonNode json) { }

    private Answer get(String path) throws IOException, InterruptedException {
        return get(server.port(), path, Map.of());
    }

    private Answer get(int port, String path, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5));
        headers.forEach(request::header);
        return answer(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    }

    private static Answer answer(HttpResponse<String> response) throws IOException {
        JsonNode json = response.headers().firstValue("Content-Type").orElse("").startsWith("application/json")
                ? new ObjectMapper().readTree(response.body()) : null;
        return new Answer(response.statusCode(), response, json);
    }

    /**
     * Connections that each sent half a request line: the server holds a request thread (or a queue slot) reading
     * each, for as long as the connection stays open (this JVM sets no read limit). Waits until the API listener
     * has taken them all.
     */
    private List<Socket> holdApiThreads(int connections) throws IOException {
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Socket socket = new Socket("127.0.0.1", server.port());
            socket.getOutputStream().write("GET /health/live HT".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            held.add(socket);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> apiGauge("streamrec.http.threads.busy")
                == Math.min(connections, THREADS) && apiGauge("streamrec.http.queued") == connections
                - Math.min(connections, THREADS));
        return held;
    }

    private double apiGauge(String name) {
        return meters.get(name).tag("listener", ApiServer.API).gauge().value();
    }

    private double apiCounter(String name, String... tags) {
        Counter counter = meters.find(name).tag("listener", ApiServer.API).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    private static void close(List<Socket> sockets) throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    @Test
    void aUserRequestBeforeTheClientStartsIsRetriedThenAnswered503() throws Exception {
        Answer answer = get("/users/u-1/recommendations");
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.json().get("status").asInt()).isEqualTo(503);
        assertThat(answer.json().get("error").asText()).contains("not-started", "retry later");
        assertThat(answer.response().headers().firstValue("Retry-After")).contains("1");
        assertThat(answer.response().headers().firstValue(Forwarder.SERVED_BY)).contains(server.applicationServer());
        assertThat(meters.get("streamrec.http.routing.failures").tag("reason", "not-started").counter().count())
                .isEqualTo(1);
        assertThat(meters.get("streamrec.http.routing.retries").tag("reason", "not-started").counter().count())
                .as("backoff 25, 50, 100 ms within 300 ms").isGreaterThanOrEqualTo(2);
        // Recorded once the answer is written, so possibly just after the client has it.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(meters.find("http.server.requests")
                .tag("uri", "/users/{id}/recommendations").tag("status", "503").timers())
                .singleElement().satisfies(timer -> assertThat(timer.count()).isEqualTo(1)));
    }

    @Test
    void beforeStartTheInstanceIsAliveButNotReady() throws Exception {
        Answer live = get("/health/live");
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.json().toString()).isEqualTo("{\"live\":true,\"streamsState\":\"CREATED\",\"reason\":null}");
        Answer ready = get("/health/ready");
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json().get("reason").asText()).isEqualTo("the Kafka Streams client is CREATED, not RUNNING");
    }

    @Test
    void metricsParseBeforeStart() throws Exception {
        get("/health/live");
        await().atMost(Duration.ofSeconds(5)).until(() -> meters.find("http.server.requests")
                .tag("uri", "/health/live").timer() != null); // recorded just after the answer is written
        Answer metrics = get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.response().headers().firstValue("Content-Type"))
                .contains("text/plain; version=0.0.4; charset=utf-8");
        PrometheusText.Exposition exposition = PrometheusText.parse(metrics.response().body());
        assertThat(exposition.types()).containsEntry("streamrec_history_users", "gauge")
                .containsEntry("streamrec_recommendations_total", "counter");
        assertThat(exposition.value("http_server_requests_seconds_count",
                Map.of("uri", "/health/live", "status", "200", "outcome", "SUCCESS"))).isEqualTo(1);
    }

    @Test
    void aForwardedRequestIsAnsweredAtOnceMarkedForTheForwarderToRetryNotRetriedHere() throws Exception {
        Answer answer = get(server.port(), "/users/u-1/history", Map.of(Forwarder.FORWARDED_BY, "6.6.6.6:1"));
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.response().headers().firstValue(Forwarder.UNAVAILABLE)).contains("not-started");
        assertThat(answer.response().headers().firstValue("Retry-After")).contains("1");
        assertThat(meters.get("streamrec.http.routing.bounced").tag("reason", "not-started").counter().count())
                .isEqualTo(1);
        assertThat(meters.find("streamrec.http.routing.retries").counters()).as("no retry here").isEmpty();
    }

    @Test
    void theManagementListenerAnswersWhileEveryApiThreadAndQueueSlotIsHeld() throws Exception {
        List<Socket> held = holdApiThreads(THREADS + QUEUE);
        try {
            Answer live = get(server.managementPort(), "/health/live", Map.of());
            assertThat(live.status()).isEqualTo(200);
            assertThat(live.json().get("live").asBoolean()).isTrue();
            assertThat(get(server.managementPort(), "/health/ready", Map.of()).status()).isEqualTo(503);
            Answer metrics = get(server.managementPort(), "/metrics", Map.of());
            assertThat(metrics.status()).isEqualTo(200);
            PrometheusText.Exposition exposition = PrometheusText.parse(metrics.response().body());
            assertThat(exposition.value("streamrec_http_threads_busy", Map.of("listener", "api"))).isEqualTo(THREADS);
            assertThat(exposition.value("streamrec_http_queued", Map.of("listener", "api"))).isEqualTo(QUEUE);
            // Only the probes and the metrics: the API's routes stay on the API's threads.
            for (String path : List.of("/models", "/users/u-1/history", "/nothing")) {
                Answer notHere = get(server.managementPort(), path, Map.of());
                assertThat(notHere.status()).as(path).isEqualTo(404);
                assertThat(notHere.json().get("error").asText()).as(path).contains("no such endpoint");
            }
        } finally {
            close(held);
        }
    }

    @Test
    void aRequestFindingEveryThreadBusyAndTheQueueFullIsAnswered503AtOnce() throws Exception {
        List<Socket> held = holdApiThreads(THREADS + QUEUE);
        try {
            long start = System.nanoTime();
            Answer answer = get("/models");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.response().headers().firstValue("Retry-After")).contains("1");
            assertThat(answer.json().get("error").asText()).contains("overloaded", "queue is full", "retry later");
            assertThat(apiCounter("streamrec.http.rejected", "reason", "queue-full")).isEqualTo(1);
        } finally {
            close(held);
        }
        // The held threads are free again once their clients are gone; their requests never reached the handler.
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/models").status() == 200);
        assertThat(apiCounter("streamrec.http.requests.incomplete")).isEqualTo(THREADS + QUEUE);
    }

    @Test
    void aRequestThatWaitedForAThreadPastItsDeadlineIsAnswered503WithoutBeingHandled() throws Exception {
        List<Socket> held = holdApiThreads(THREADS);
        try {
            CompletableFuture<HttpResponse<String>> queued = http.sendAsync(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/models")).build(),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(10)).until(() -> apiGauge("streamrec.http.queued") == 1);
            Thread.sleep(SETTINGS.queryTimeout().plusMillis(100).toMillis());
            held.get(0).close(); // frees a thread, which takes the queued request
            Answer answer = answer(queued.get(10, TimeUnit.SECONDS));
            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.response().headers().firstValue("Retry-After")).contains("1");
            assertThat(answer.json().get("error").asText()).contains("overloaded", "past its deadline");
            assertThat(apiCounter("streamrec.http.rejected", "reason", "queue-timeout")).isEqualTo(1);
            assertThat(meters.find("http.server.requests").tag("uri", "/models").timers())
                    .as("not handled").isEmpty();
        } finally {
            close(held);
        }
    }

    @Test
    void instancesAndUserRequestsBeforeTheClientStartsAre503WithRetryAfter() throws Exception {
        Answer instances = get("/instances");
        assertThat(instances.status()).isEqualTo(503);
        assertThat(instances.response().headers().firstValue("Retry-After")).contains("1");
        assertThat(instances.json().get("error").asText()).contains("CREATED", "retry later");
        Answer forwardedForItsCopy = get(server.port(), "/users/u-1/history", Map.of(Forwarder.FORWARDED_BY,
                "10.0.0.9:1", Forwarder.STALE_WITHIN, "100"));
        assertThat(forwardedForItsCopy.status()).isEqualTo(503);
        assertThat(forwardedForItsCopy.response().headers().firstValue(Forwarder.UNAVAILABLE)).contains("not-started");
        Answer badBound = get(server.port(), "/users/u-1/history", Map.of(Forwarder.FORWARDED_BY, "10.0.0.9:1",
                Forwarder.STALE_WITHIN, "-1"));
        assertThat(badBound.status()).isEqualTo(400);
        assertThat(badBound.json().get("error").asText()).contains(Forwarder.STALE_WITHIN);
    }

    @Test
    void theForwarderRelaysStatusBodyAndTheServersHeaders() throws Exception {
        try (Forwarder forwarder = new Forwarder(new HostInfo("10.0.0.1", 1))) {
            ApiResponse relayed = forwarder.forward(server.advertised(), "/health/ready", Duration.ofSeconds(5),
                    OptionalLong.empty());
            assertThat(relayed.status()).isEqualTo(503);
            assertThat(relayed.contentType()).isEqualTo(ApiResponse.JSON);
            assertThat(relayed.headers()).containsEntry(Forwarder.SERVED_BY, server.applicationServer());
            assertThat(relayed.bodyText()).contains("\"ready\":false");
        }
    }

    @Test
    void aBusyPortIsAConfigurationErrorNamingTheKey() {
        HttpSettings same = new HttpSettings("127.0.0.1", server.port(), 0, "127.0.0.1", 1, 1, Duration.ofSeconds(1),
                false, 10, 64, 10_000);
        assertThatThrownBy(() -> ApiServer.bind(same)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(StreamsAppConfig.HTTP_PORT_CONFIG).hasMessageContaining("cannot bind");
        HttpSettings sameManagement = new HttpSettings("127.0.0.1", 0, server.managementPort(), "127.0.0.1", 1, 1,
                Duration.ofSeconds(1), false, 10, 64, 10_000);
        assertThatThrownBy(() -> ApiServer.bind(sameManagement)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(StreamsAppConfig.HTTP_MANAGEMENT_PORT_CONFIG).hasMessageContaining("cannot bind");
    }

    @Test
    void closingReleasesThePortsOnceAndForAll() throws Exception {
        int port = server.port();
        int managementPort = server.managementPort();
        server.close();
        server.close();
        assertThatThrownBy(() -> get("/health/live")).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> get(managementPort, "/health/live", Map.of())).isInstanceOf(ConnectException.class);
        HttpSettings again = new HttpSettings("127.0.0.1", port, managementPort, "127.0.0.1", 1, 1,
                Duration.ofSeconds(1), false, 10, 64, 10_000);
        try (ApiServer rebound = ApiServer.bind(again)) {
            assertThat(rebound.port()).isEqualTo(port);
            assertThat(rebound.managementPort()).isEqualTo(managementPort);
        }
    }

    @Test
    void aServerStartsOnce() {
        assertThatThrownBy(() -> server.start(new ApiHandler(SETTINGS, server.advertised(), streams, models,
                new Recommender(models, true, meters), new PopularityLists(), meters, Clock.systemUTC())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
    }
}
