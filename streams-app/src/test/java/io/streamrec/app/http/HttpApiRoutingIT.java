package io.streamrec.app.http;

import static io.streamrec.app.http.ApiItSupport.TIMEOUT;
import static io.streamrec.app.http.ApiItSupport.get;
import static io.streamrec.app.http.ApiItSupport.getManagement;
import static io.streamrec.app.http.ApiItSupport.name;
import static io.streamrec.app.http.ApiItSupport.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.streamrec.app.StreamsApp;
import io.streamrec.app.StreamsAppConfig;
import io.streamrec.app.topology.RecommenderTopology;
import io.streamrec.avro.ClickEvent;
import io.streamrec.devstack.LocalStack;
import io.streamrec.devstack.LocalStackExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of one application on a two-partition clicks topic, on the real local stack, without a model:
 * each instance owns one partition, so every per-user request to the wrong instance must be routed. Covers
 * the user endpoints (recommendations, history, the unknown user), routing, forged forwarding headers, input
 * errors, the probes and /metrics on both listeners. One pair of app starts for the whole class.
 */
@ExtendWith(LocalStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpApiRoutingIT {

    private static final int USERS = 40;
    private static final int ITEMS = 12;
    private static final int CLICKS_PER_USER = 3;
    private static final int DEFAULT_K = 5;
    private static final int STORM_WAVE = 40;
    private static final int STORM_SECONDS = 10;
    /**
     * Far below the 10 s a forwarded request would wait for its owner, and loose enough for a CI machine whose
     * cores other builds share.
     */
    private static final Duration FORGED_ANSWER_WITHIN = Duration.ofSeconds(3);
    private static final HttpClient PROBE = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();

    private ApiItSupport support;
    private StreamsApp a;
    private StreamsApp b;
    private final List<ApiItSupport.Answer> readinessWhileStarting = new ArrayList<>();
    /** Per user: the items clicked, oldest first. */
    private final Map<String, List<String>> clicked = new HashMap<>();
    private Instant firstClick;

    @BeforeAll
    void startTwoInstancesAndSendClicks(LocalStack stack, @TempDir Path stateDirs) throws Exception {
        support = ApiItSupport.create(stack, "routing", 2);
        Map<String, Object> settings = new HashMap<>();
        settings.put(StreamsAppConfig.RECOMMENDATIONS_COUNT_CONFIG, DEFAULT_K);
        settings.put(StreamsAppConfig.VALIDATION_MAX_ID_BYTES_CONFIG, 32);
        settings.put(StreamsAppConfig.HTTP_QUERY_TIMEOUT_MS_CONFIG, 2_000L);
        // The popularity lists the API serves are rebuilt this often (the minimum), so they catch up quickly.
        settings.put(StreamsAppConfig.POPULARITY_REFRESH_MS_CONFIG, 200L);
        // The last test stops an instance; Streams does not leave the group on close, so the group notices
        // at the session timeout: the broker's minimum keeps that test short.
        settings.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);

        Map<String, Object> first = support.appSettings(stateDirs.resolve("a"));
        first.putAll(settings);
        a = StreamsApp.start(first);
        // Readiness from the first moment: whatever it answers must agree with the client's state.
        while (readinessWhileStarting.isEmpty()
                || readinessWhileStarting.get(readinessWhileStarting.size() - 1).status() != 200) {
            readinessWhileStarting.add(get(a, "/health/ready"));
            assertThat(readinessWhileStarting.size()).as("answers before ready").isLessThan(2_000);
            Thread.sleep(20);
        }

        Map<String, Object> second = support.appSettings(stateDirs.resolve("b"));
        second.putAll(settings);
        b = StreamsApp.start(second);
        await().atMost(TIMEOUT).until(() -> activeTasks(a) == 1 && activeTasks(b) == 1
                && a.streams().state() == KafkaStreams.State.RUNNING
                && b.streams().state() == KafkaStreams.State.RUNNING);

        firstClick = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS); // the wire keeps millis
        try (KafkaProducer<String, ClickEvent> producer = support.clickProducer()) {
            for (int user = 0; user < USERS; user++) {
                String userId = "user-" + user;
                List<String> items = new ArrayList<>();
                for (int j = 0; j < CLICKS_PER_USER; j++) {
                    String item = "item-" + ((user + j * 5) % ITEMS);
                    items.add(item);
                    producer.send(new ProducerRecord<>(support.topics().get("clicks"), userId, click(userId, item,
                            "click", firstClick.plusMillis(user * 10L + j))));
                }
                clicked.put(userId, List.copyOf(items));
            }
            // One invalid click, for the dead-letter meter; it changes no history and no count.
            producer.send(new ProducerRecord<>(support.topics().get("clicks"), "user-0", click("user-0", "item-0",
                    "teleport", firstClick)));
            producer.flush();
        }
        // Every user's history, asked of instance A whoever owns it.
        await().atMost(TIMEOUT).until(() -> clicked.keySet().stream().allMatch(user -> {
            ApiItSupport.Answer answer = get(a, "/users/" + user + "/history");
            return answer.status() == 200 && answer.json().get("items").size() == CLICKS_PER_USER;
        }));
    }

    @AfterAll
    void stop() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    private static ClickEvent click(String user, String item, String type, Instant at) {
        return ClickEvent.newBuilder().setUserId(user).setItemId(item).setEventType(type).setEventTime(at).build();
    }

    private static int activeTasks(StreamsApp app) {
        return app.streams().metadataForLocalThreads().stream().mapToInt(thread -> thread.activeTasks().size()).sum();
    }

    private KeyQueryMetadata owner(String user) {
        return a.streams().queryMetadataForKey(RecommenderTopology.HISTORY_STORE, user, new StringSerializer());
    }

    private List<String> usersOwnedBy(StreamsApp app) {
        return clicked.keySet().stream().filter(user -> owner(user).activeHost().equals(app.httpAdvertised()))
                .sorted().toList();
    }

    @Test
    void theWrongInstanceAnswersThroughTheOwnerAndSaysWhoServed() {
        assertThat(usersOwnedBy(a)).as("users owned by A").isNotEmpty();
        assertThat(usersOwnedBy(b)).as("users owned by B").isNotEmpty();
        double forwardedBefore = b.meters().get("streamrec.http.routed").tag("to", "remote").counter().count();
        for (StreamsApp owner : List.of(a, b)) {
            StreamsApp other = owner == a ? b : a;
            for (String user : usersOwnedBy(owner).subList(0, 3)) {
                for (String path : List.of("/users/" + user + "/history", "/users/" + user + "/recommendations?k=4")) {
                    ApiItSupport.Answer direct = get(owner, path);
                    ApiItSupport.Answer routed = get(other, path);
                    assertThat(direct.status()).as(path).isEqualTo(200);
                    assertThat(routed.status()).as(path).isEqualTo(200);
                    assertThat(routed.header(Forwarder.SERVED_BY)).isEqualTo(name(owner));
                    assertThat(direct.header(Forwarder.SERVED_BY)).isEqualTo(name(owner));
                    assertThat(routed.header(Forwarder.PARTITION))
                            .isEqualTo(Integer.toString(owner(user).partition()));
                    assertThat(withoutTimes(routed.json())).as(path).isEqualTo(withoutTimes(direct.json()));
                }
            }
        }
        assertThat(b.meters().get("streamrec.http.routed").tag("to", "remote").counter().count())
                .isEqualTo(forwardedBefore + 6); // three of A's users, two paths each
    }

    @Test
    void aForwardedRequestThatReachesANonOwnerIsNotForwardedAgainButAnswered503AtOnce() {
        String user = usersOwnedBy(a).get(0);
        double bouncedBefore = bounced(b);
        double retriesBefore = b.meters().find("streamrec.http.routing.retries").counters().stream()
                .mapToDouble(Counter::count).sum();
        ApiItSupport.Answer answer = send(b, "GET", "/users/" + user + "/history",
                Map.of(Forwarder.FORWARDED_BY, "10.255.255.1:1"));
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.header("Retry-After")).isEqualTo("1");
        assertThat(answer.header(Forwarder.UNAVAILABLE)).isEqualTo("not-owner");
        assertThat(answer.json().get("error").asText()).contains("not-owner", "forwarded by 10.255.255.1:1",
                "the owner is " + name(a));
        assertThat(bounced(b)).isEqualTo(bouncedBefore + 1);
        assertThat(b.meters().find("streamrec.http.routing.retries").counters().stream().mapToDouble(Counter::count)
                .sum()).as("not retried").isEqualTo(retriesBefore);
    }

    private static double bounced(StreamsApp app) {
        Counter bounced = app.meters().find("streamrec.http.routing.bounced").tag("reason", "not-owner").counter();
        return bounced == null ? 0 : bounced.count();
    }

    /**
     * The outside tester's storm: waves of {@value #STORM_WAVE} concurrent requests, each asking an instance for
     * a user the other one owns with a forged forwarding header, for {@value #STORM_SECONDS} s, while a prober
     * asks both instances' management listeners for liveness every second with a 3 s timeout, as Kubernetes
     * does. Every forged request must be answered at once, as a bounce, and no probe may fail.
     */
    @Test
    void aStormOfForgedForwardedRequestsIsAnsweredAtOnceAndNeverFailsAProbe() throws Exception {
        List<HttpRequest> wave = new ArrayList<>();
        for (StreamsApp owner : List.of(a, b)) {
            StreamsApp receiver = owner == a ? b : a;
            List<String> users = usersOwnedBy(owner);
            for (int i = 0; i < STORM_WAVE / 2; i++) {
                wave.add(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + receiver.httpPort() + "/users/"
                                + users.get(i % users.size()) + "/history"))
                        .header(Forwarder.FORWARDED_BY, "10.255.255.1:1").timeout(Duration.ofSeconds(10)).build());
            }
        }
        double bouncedBefore = bounced(a) + bounced(b);
        List<String> wrongAnswers = new CopyOnWriteArrayList<>();
        List<String> probeFailures = new CopyOnWriteArrayList<>();
        AtomicInteger probes = new AtomicInteger();
        ExecutorService clientThreads = Executors.newFixedThreadPool(4);
        ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor();
        int waves = 0;
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads)
                    .build();
            prober.scheduleAtFixedRate(() -> probeLiveness(probes, probeFailures), 0, 1, TimeUnit.SECONDS);
            long end = System.nanoTime() + Duration.ofSeconds(STORM_SECONDS).toNanos();
            while (System.nanoTime() < end) {
                long waveStart = System.nanoTime();
                List<CompletableFuture<Void>> answers = new ArrayList<>();
                for (HttpRequest request : wave) {
                    long sent = System.nanoTime();
                    answers.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                            .thenAccept(response -> checkBounce(response, sent, wrongAnswers)));
                }
                CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
                waves++;
                Thread.sleep(Math.max(0, 200 - (System.nanoTime() - waveStart) / 1_000_000));
            }
        } finally {
            prober.shutdownNow();
            clientThreads.shutdownNow();
            assertThat(prober.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(wrongAnswers).as("forged requests not bounced within " + FORGED_ANSWER_WITHIN).isEmpty();
        assertThat(probeFailures).as("liveness probes on the management listeners").isEmpty();
        assertThat(probes.get()).as("probes sent, two a second").isGreaterThanOrEqualTo(2 * (STORM_SECONDS - 1));
        assertThat(bounced(a) + bounced(b) - bouncedBefore).isEqualTo((double) waves * wave.size());
    }

    private static void checkBounce(HttpResponse<String> response, long sentNanos, List<String> wrongAnswers) {
        Duration took = Duration.ofNanos(System.nanoTime() - sentNanos);
        String unavailable = response.headers().firstValue(Forwarder.UNAVAILABLE).orElse(null);
        if (response.statusCode() != 503 || !"not-owner".equals(unavailable)
                || took.compareTo(FORGED_ANSWER_WITHIN) > 0) {
            wrongAnswers.add(response.uri() + ": " + response.statusCode() + " " + unavailable + " after "
                    + took.toMillis() + " ms");
        }
    }

    private void probeLiveness(AtomicInteger probes, List<String> failures) {
        for (StreamsApp app : List.of(a, b)) {
            probes.incrementAndGet();
            try {
                HttpResponse<String> live = PROBE.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + app.managementPort() + "/health/live")).timeout(Duration.ofSeconds(3)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (live.statusCode() != 200) {
                    failures.add(name(app) + ": " + live.statusCode() + " " + live.body());
                }
            } catch (IOException e) {
                failures.add(name(app) + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: it stops instance B
    void whenAnInstanceLeavesTheOtherAnswersForItsUsersAfterTheRebalanceAnd503MeanwhileNeverWrongData() {
        List<String> users = usersOwnedBy(b).subList(0, 3);
        Map<String, JsonNode> before = new HashMap<>();
        users.forEach(user -> before.put(user, get(b, "/users/" + user + "/history").json()));
        b.close();
        List<ApiItSupport.Answer> meanwhile = new ArrayList<>();
        for (String user : users) {
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
                // Active copy only: no answer from A's copy while it restores (StandbyQueriesIT covers those).
                ApiItSupport.Answer answer = get(a, "/users/" + user + "/history?max_lag=-1");
                meanwhile.add(answer);
                return answer.status() == 200;
            });
            ApiItSupport.Answer after = meanwhile.get(meanwhile.size() - 1);
            assertThat(after.header(Forwarder.SERVED_BY)).isEqualTo(name(a));
            assertThat(after.header(Freshness.SERVED_FROM)).isEqualTo("active");
            assertThat(after.json()).isEqualTo(before.get(user));
        }
        assertThat(meanwhile).allSatisfy(answer -> {
            assertThat(answer.status()).isIn(200, 503);
            if (answer.status() == 503) {
                assertThat(answer.header("Retry-After")).isEqualTo("1");
                assertThat(answer.json().get("error").asText()).contains("retry later");
            }
        });
    }

    /** A list's times are when it was computed; everything else must match. */
    private static JsonNode withoutTimes(JsonNode node) {
        ObjectNode copy = node.deepCopy();
        copy.remove("generatedAt");
        copy.remove("eventTime");
        return copy;
    }

    @Test
    void historyIsTheUsersItemsNewestFirstWithEventTimes() {
        String user = "user-7";
        JsonNode history = get(b, "/users/" + user + "/history").json();
        assertThat(history.get("userId").asText()).isEqualTo(user);
        List<String> newestFirst = new ArrayList<>(clicked.get(user));
        Collections.reverse(newestFirst);
        assertThat(history.get("items").findValuesAsText("itemId")).containsExactlyElementsOf(newestFirst);
        assertThat(history.get("items").get(0).get("seenAt").asText())
                .isEqualTo(firstClick.plusMillis(7 * 10L + 2).toString());
        assertThat(history.get("lastRecommendedAt").isNull()).as("every click was answered").isFalse();
    }

    @Test
    void anUnknownUserHasNoHistoryButGetsTheOwningPartitionsPopularityMarkedAsFallback() {
        String stranger = "stranger-" + support.suffix();
        ApiItSupport.Answer history = get(a, "/users/" + stranger + "/history");
        assertThat(history.status()).isEqualTo(404);
        assertThat(history.json().get("status").asInt()).isEqualTo(404);
        assertThat(history.json().get("error").asText()).contains("no history");

        int partition = owner(stranger).partition();
        Map<String, Long> counts = new HashMap<>();
        clicked.forEach((user, items) -> {
            if (owner(user).partition() == partition) {
                items.forEach(item -> counts.merge(item, 1L, Long::sum));
            }
        });
        List<Map.Entry<String, Long>> expected = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(4).toList();

        // The owner's published list, rebuilt every popularity.refresh.ms, has caught up with the clicks.
        for (StreamsApp app : List.of(a, b)) {
            await().atMost(TIMEOUT).untilAsserted(() -> {
                ApiItSupport.Answer answer = get(app, "/users/" + stranger + "/recommendations?k=4");
                assertThat(answer.status()).isEqualTo(200);
                JsonNode list = answer.json();
                assertThat(list.get("fallback").asBoolean()).isTrue();
                assertThat(list.get("modelName").asText()).isEqualTo("popularity");
                assertThat(list.get("modelVersion").isNull()).isTrue();
                assertThat(list.get("historyItems").asInt()).isZero();
                assertThat(list.get("items").findValuesAsText("itemId"))
                        .containsExactlyElementsOf(expected.stream().map(Map.Entry::getKey).toList());
                assertThat(list.get("items").findValues("score")).extracting(JsonNode::asLong)
                        .containsExactlyElementsOf(expected.stream().map(Map.Entry::getValue).toList());
            });
        }
    }

    @Test
    void kDefaultsToTheConfiguredCountAndIsHonoured() {
        String user = "user-3";
        JsonNode byDefault = get(a, "/users/" + user + "/recommendations").json();
        assertThat(byDefault.get("items").size()).isEqualTo(DEFAULT_K);
        assertThat(byDefault.get("historyItems").asInt()).isEqualTo(CLICKS_PER_USER);
        assertThat(byDefault.get("items").findValuesAsText("itemId")).as("seen items are left out")
                .doesNotContainAnyElementsOf(clicked.get(user));
        assertThat(get(a, "/users/" + user + "/recommendations?k=2").json().get("items").size()).isEqualTo(2);
        // Only ITEMS - 3 unseen items exist: a large k gets them all.
        assertThat(get(b, "/users/" + user + "/recommendations?k=1000").json().get("items").size())
                .isEqualTo(ITEMS - CLICKS_PER_USER);
    }

    @Test
    void badInputGetsAJsonErrorWithTheRightStatus() {
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("/users/user-1/recommendations?k=0", 400);
        expected.put("/users/user-1/recommendations?k=1001", 400);
        expected.put("/users/user-1/recommendations?k=many", 400);
        expected.put("/users/%20/recommendations", 400);
        expected.put("/users//history", 400);
        expected.put("/users/" + "x".repeat(33) + "/history", 400);
        expected.put("/users/%E2%82/history", 400);
        expected.put("/nothing/here", 404);
        expected.put("/models/", 404);
        expected.put("/users/user-1", 404);
        expected.forEach((path, status) -> {
            ApiItSupport.Answer answer = get(b, path);
            assertThat(answer.status()).as(path).isEqualTo(status);
            assertThat(answer.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
            assertThat(answer.json().get("status").asInt()).as(path).isEqualTo(status);
            assertThat(answer.json().get("error").asText()).as(path).isNotBlank();
        });
        for (String method : List.of("POST", "PUT", "DELETE")) {
            ApiItSupport.Answer answer = send(a, method, "/users/user-1/recommendations");
            assertThat(answer.status()).as(method).isEqualTo(405);
            assertThat(answer.header("Allow")).isEqualTo("GET");
            assertThat(answer.json().get("error").asText()).contains("use GET");
        }
        // A percent-encoded id is decoded: this one is simply unknown.
        assertThat(get(a, "/users/user%2D1%2Fx/history").json().get("error").asText()).contains("no history");
    }

    @Test
    void readinessAnsweredConsistentlyWhileStartingAndBothProbesAreUpNow() {
        assertThat(readinessWhileStarting).last().satisfies(answer -> {
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.json().get("ready").asBoolean()).isTrue();
            assertThat(answer.json().get("streamsState").asText()).isEqualTo("RUNNING");
            assertThat(answer.json().get("servingFrom").asText()).isEqualTo("fallback");
        });
        for (ApiItSupport.Answer answer : readinessWhileStarting.subList(0, readinessWhileStarting.size() - 1)) {
            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.json().get("ready").asBoolean()).isFalse();
            assertThat(answer.json().get("streamsState").asText()).isNotEqualTo("RUNNING");
            assertThat(answer.json().get("reason").asText()).contains("not RUNNING");
        }
        for (StreamsApp app : List.of(a, b)) {
            assertThat(get(app, "/health/live").status()).isEqualTo(200);
            assertThat(get(app, "/health/live").json().get("live").asBoolean()).isTrue();
            assertThat(get(app, "/health/ready").status()).isEqualTo(200);
            // The management listener answers the same, and nothing else.
            assertThat(getManagement(app, "/health/live").json()).isEqualTo(get(app, "/health/live").json());
            assertThat(getManagement(app, "/health/ready").json()).isEqualTo(get(app, "/health/ready").json());
            assertThat(getManagement(app, "/models").status()).isEqualTo(404);
            assertThat(getManagement(app, "/users/user-1/history").status()).isEqualTo(404);
        }
    }

    @Test
    void withoutAModelTheModelEndpointsSaySoAndListNoEvents() {
        ApiItSupport.Answer models = get(a, "/models");
        assertThat(models.status()).isEqualTo(200);
        assertThat(models.json().get("model").asText()).isEqualTo("default");
        assertThat(models.json().get("serving").isNull()).isTrue();
        ApiItSupport.Answer events = get(b, "/models/events");
        assertThat(events.status()).isEqualTo(200);
        assertThat(events.json().get("events").isArray()).isTrue();
        assertThat(events.json().get("events").size()).isZero();
    }

    @Test
    void metricsAreValidPrometheusTextWithTheStreamrecMeters() {
        get(a, "/users/user-1/history"); // at least one request of each kind is counted before the scrape
        get(a, "/nothing");
        PrometheusText.Exposition fromA = scrape(a);
        PrometheusText.Exposition fromB = scrape(b);

        for (PrometheusText.Exposition metrics : List.of(fromA, fromB)) {
            assertThat(metrics.types()).containsEntry("streamrec_recommendations_total", "counter")
                    .containsEntry("streamrec_scoring_latency_seconds", "histogram")
                    .containsEntry("streamrec_scoring_failures_total", "counter")
                    .containsEntry("streamrec_model_serving_version", "gauge")
                    .containsEntry("http_server_requests_seconds", "histogram")
                    .containsEntry("streamrec_http_routed_total", "counter")
                    .containsEntry("streamrec_http_served_total", "counter")
                    .containsEntry("streamrec_history_users", "gauge")
                    .containsEntry("streamrec_http_threads_busy", "gauge")
                    .containsEntry("streamrec_http_queued", "gauge")
                    .containsKeys("jvm_memory_used_bytes", "process_uptime_seconds");
            assertThat(metrics.types().keySet()).as("Kafka Streams client metrics")
                    .anyMatch(family -> family.startsWith("kafka_stream_"));
            assertThat(metrics.value("streamrec_model_serving_version", Map.of())).isEqualTo(-1.0);
            assertThat(metrics.value("streamrec_history_users", Map.of())).as("the instance's users, estimated")
                    .isPositive();
        }
        // Every click answered once, by the instance owning its user; the API's lists come on top.
        assertThat(fromA.value("streamrec_recommendations_total", Map.of("source", "fallback"))
                + fromB.value("streamrec_recommendations_total", Map.of("source", "fallback")))
                .isGreaterThanOrEqualTo(USERS * CLICKS_PER_USER);
        PrometheusText.Exposition deadLetterer = owner("user-0").activeHost().equals(a.httpAdvertised()) ? fromA
                : fromB;
        assertThat(deadLetterer.types()).containsEntry("streamrec_dead_letters_total", "counter");
        assertThat(deadLetterer.value("streamrec_dead_letters_total", Map.of("reason", "unknown-event-type")))
                .isEqualTo(1.0);
        assertThat(fromA.value("http_server_requests_seconds_count", Map.of("uri", "/users/{id}/history",
                "status", "200", "method", "GET", "outcome", "SUCCESS"))).isPositive();
        assertThat(fromA.value("http_server_requests_seconds_count", Map.of("uri", "UNKNOWN",
                "status", "404", "method", "GET", "outcome", "CLIENT_ERROR"))).isPositive();
        assertThat(fromA.find("http_server_requests_seconds_bucket", Map.of("uri", "/users/{id}/history",
                "status", "200"))).as("latency histogram buckets").hasSizeGreaterThan(5);
    }

    /** The app's metrics from its management listener, checked against those its API port serves. */
    private static PrometheusText.Exposition scrape(StreamsApp app) {
        ApiItSupport.Answer answer = getManagement(app, "/metrics");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        ApiItSupport.Answer onTheApiPort = get(app, "/metrics");
        assertThat(onTheApiPort.status()).isEqualTo(200);
        assertThat(PrometheusText.parse(onTheApiPort.body()).types()).isEqualTo(PrometheusText.parse(answer.body())
                .types());
        return PrometheusText.parse(answer.body());
    }

    @Test
    void ownershipCoversEveryUserExactlyOnce() {
        // Both instances agree on the owner of every user, and the owner is one of them.
        for (String user : clicked.keySet()) {
            KeyQueryMetadata fromA = owner(user);
            KeyQueryMetadata fromB = b.streams().queryMetadataForKey(RecommenderTopology.HISTORY_STORE, user,
                    new StringSerializer());
            assertThat(fromB.activeHost()).isEqualTo(fromA.activeHost());
            assertThat(List.of(a.httpAdvertised(), b.httpAdvertised())).contains(fromA.activeHost());
        }
        assertThat(IntStream.range(0, USERS).mapToObj(i -> "user-" + i).map(this::owner)
                .map(KeyQueryMetadata::partition).distinct().sorted(Comparator.naturalOrder()).toList())
                .containsExactly(0, 1);
    }
}
