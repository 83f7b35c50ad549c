package io.streamrec.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
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
 * broker needed): what every instance answers before it has joined its group, how routing gives up, and the
 * server's lifecycle.
 */
class ApiServerTest {

    private static final HttpSettings SETTINGS = new HttpSettings("127.0.0.1", 0, "127.0.0.1", 2,
            Duration.ofMillis(300), false, 10, 64);

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
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(meters.find("streamrec.http.requests")
                .tag("route", "/users/{id}/recommendations").tag("status", "503").timers())
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
        await().atMost(Duration.ofSeconds(5)).until(() -> meters.find("streamrec.http.requests")
                .tag("route", "/health/live").timer() != null); // recorded just after the answer is written
        Answer metrics = get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.response().headers().firstValue("Content-Type"))
                .contains("text/plain; version=0.0.4; charset=utf-8");
        PrometheusText.Exposition exposition = PrometheusText.parse(metrics.response().body());
        assertThat(exposition.types()).containsEntry("streamrec_history_users", "gauge")
                .containsEntry("streamrec_recommendations_total", "counter");
        assertThat(exposition.value("streamrec_http_requests_seconds_count",
                Map.of("route", "/health/live", "status", "200"))).isEqualTo(1);
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
    void theForwarderRelaysStatusBodyAndTheServersHeaders() throws Exception {
        try (Forwarder forwarder = new Forwarder(new HostInfo("10.0.0.1", 1))) {
            ApiResponse relayed = forwarder.forward(server.advertised(), "/health/ready", Duration.ofSeconds(5));
            assertThat(relayed.status()).isEqualTo(503);
            assertThat(relayed.contentType()).isEqualTo(ApiResponse.JSON);
            assertThat(relayed.headers()).containsEntry(Forwarder.SERVED_BY, server.applicationServer());
            assertThat(relayed.bodyText()).contains("\"ready\":false");
        }
    }

    @Test
    void aBusyPortIsAConfigurationErrorNamingTheKey() {
        HttpSettings same = new HttpSettings("127.0.0.1", server.port(), "127.0.0.1", 1, Duration.ofSeconds(1),
                false, 10, 64);
        assertThatThrownBy(() -> ApiServer.bind(same)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(StreamsAppConfig.HTTP_PORT_CONFIG).hasMessageContaining("cannot bind");
    }

    @Test
    void closingReleasesThePortOnceAndForAll() throws Exception {
        int port = server.port();
        server.close();
        server.close();
        assertThatThrownBy(() -> get("/health/live")).isInstanceOf(ConnectException.class);
        HttpSettings again = new HttpSettings("127.0.0.1", port, "127.0.0.1", 1, Duration.ofSeconds(1), false, 10,
                64);
        try (ApiServer rebound = ApiServer.bind(again)) {
            assertThat(rebound.port()).isEqualTo(port);
        }
    }

    @Test
    void aServerStartsOnce() {
        assertThatThrownBy(() -> server.start(new ApiHandler(SETTINGS, server.advertised(), streams, models,
                new Recommender(models, true, meters), new PopularityLists(), meters, Clock.systemUTC())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
    }
}
