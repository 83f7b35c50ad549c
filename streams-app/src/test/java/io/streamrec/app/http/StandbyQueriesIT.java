package io.streamrec.app.http;

import static io.streamrec.app.http.ApiItSupport.TIMEOUT;
import static io.streamrec.app.http.ApiItSupport.get;
import static io.streamrec.app.http.ApiItSupport.name;
import static io.streamrec.app.http.ApiItSupport.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamrec.app.StreamsApp;
import io.streamrec.app.StreamsAppConfig;
import io.streamrec.app.topology.RecommenderTopology;
import io.streamrec.avro.ClickEvent;
import io.streamrec.devstack.LocalStack;
import io.streamrec.devstack.LocalStackExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
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
 * Two instances of one application with {@code num.standby.replicas=1} on a two-partition clicks topic, on the
 * real local stack: each holds one partition active and the other's standby. Instance B advertises
 * {@code 127.0.0.2}, where nothing listens (its API is bound to 127.0.0.1 only), so A can never reach B, as
 * during a network partition or while B is down: A must answer B's users from its standby copy, and say so.
 * The last test then stops B, and A answers B's users from its copy throughout the hand-over.
 */
@ExtendWith(LocalStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandbyQueriesIT {

    private static final int USERS = 20;
    private static final int CLICKS_PER_USER = 3;
    private static final long QUERY_TIMEOUT_MS = 3_000;

    private ApiItSupport support;
    private StreamsApp a;
    private StreamsApp b;
    /** Per user: the items clicked, newest first (as the history lists them). */
    private final Map<String, List<String>> clicked = new HashMap<>();

    @BeforeAll
    void startTwoInstancesWithStandbysAndSendClicks(LocalStack stack, @TempDir Path stateDirs) throws Exception {
        support = ApiItSupport.create(stack, "standby", 2);
        Map<String, Object> settings = new HashMap<>();
        settings.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
        settings.put(StreamsAppConfig.HTTP_QUERY_TIMEOUT_MS_CONFIG, QUERY_TIMEOUT_MS);
        settings.put(StreamsAppConfig.POPULARITY_REFRESH_MS_CONFIG, 200L);
        settings.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);

        Map<String, Object> first = support.appSettings(stateDirs.resolve("a"));
        first.putAll(settings);
        a = StreamsApp.start(first);
        Map<String, Object> second = support.appSettings(stateDirs.resolve("b"));
        second.putAll(settings);
        second.put(StreamsAppConfig.HTTP_ADVERTISED_HOST_CONFIG, "127.0.0.2"); // unreachable: nothing listens there
        b = StreamsApp.start(second);
        await().atMost(TIMEOUT).until(() -> tasks(a, true) == 1 && tasks(b, true) == 1 && tasks(a, false) == 1
                && tasks(b, false) == 1 && a.streams().state() == KafkaStreams.State.RUNNING
                && b.streams().state() == KafkaStreams.State.RUNNING);

        Instant firstClick = Instant.now().minusSeconds(60);
        try (KafkaProducer<String, ClickEvent> producer = support.clickProducer()) {
            for (int user = 0; user < USERS; user++) {
                String userId = "user-" + user;
                List<String> newestFirst = new ArrayList<>();
                for (int j = 0; j < CLICKS_PER_USER; j++) {
                    String item = "item-" + (user + j) % 7;
                    newestFirst.add(0, item);
                    producer.send(new ProducerRecord<>(support.topics().get("clicks"), userId, ClickEvent.newBuilder()
                            .setUserId(userId).setItemId(item).setEventType("click")
                            .setEventTime(firstClick.plusMillis(user * 10L + j)).build()));
                }
                clicked.put(userId, List.copyOf(newestFirst));
            }
            producer.flush();
        }
        // Every user's full history, from its owner's active copy (asked directly: A cannot forward to B).
        await().atMost(TIMEOUT).until(() -> clicked.keySet().stream().allMatch(user -> {
            ApiItSupport.Answer answer = get(owner(user), "/users/" + user + "/history?max_lag=-1");
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

    private static int tasks(StreamsApp app, boolean active) {
        return app.streams().metadataForLocalThreads().stream()
                .mapToInt(thread -> (active ? thread.activeTasks() : thread.standbyTasks()).size()).sum();
    }

    private KeyQueryMetadata metadata(String user) {
        return a.streams().queryMetadataForKey(RecommenderTopology.HISTORY_STORE, user, new StringSerializer());
    }

    private StreamsApp owner(String user) {
        return metadata(user).activeHost().equals(a.httpAdvertised()) ? a : b;
    }

    private List<String> usersOwnedBy(StreamsApp app) {
        return clicked.keySet().stream().filter(user -> owner(user) == app).sorted().toList();
    }

    private static double served(StreamsApp app, String from) {
        return app.meters().get("streamrec.http.served").tag("from", from).counter().count();
    }

    private static JsonNode withoutFreshness(JsonNode node) {
        ObjectNode copy = node.deepCopy();
        copy.remove("servedFrom");
        copy.remove("lagRecords");
        return copy;
    }

    private static Set<Integer> partitions(JsonNode byTopic, String topic) {
        Set<Integer> partitions = new TreeSet<>();
        byTopic.path(topic).forEach(partition -> partitions.add(partition.asInt()));
        return partitions;
    }

    @Test
    @Order(1)
    void instancesListsBothClientsWithTheirActiveAndStandbyPartitionsAndTheLocalLags() {
        String clicks = support.topics().get("clicks");
        int partitionOfA = metadata(usersOwnedBy(a).get(0)).partition();
        int partitionOfB = metadata(usersOwnedBy(b).get(0)).partition();
        assertThat(partitionOfA).isNotEqualTo(partitionOfB);
        for (StreamsApp asked : List.of(a, b)) {
            ApiItSupport.Answer answer = get(asked, "/instances");
            assertThat(answer.status()).isEqualTo(200);
            JsonNode view = answer.json();
            assertThat(view.get("self").asText()).isEqualTo(name(asked));
            assertThat(view.get("instances").findValuesAsText("instance")).as("this one first")
                    .containsExactly(name(asked), name(asked == a ? b : a));
            assertThat(view.get("instances").get(0).get("self").asBoolean()).isTrue();
            for (JsonNode instance : view.get("instances")) {
                boolean isA = instance.get("instance").asText().equals(name(a));
                assertThat(partitions(instance.get("activePartitions"), clicks))
                        .containsExactly(isA ? partitionOfA : partitionOfB);
                assertThat(partitions(instance.get("standbyPartitions"), clicks))
                        .containsExactly(isA ? partitionOfB : partitionOfA);
                assertThat(instance.get("activeStores").toString()).contains(RecommenderTopology.HISTORY_STORE);
                assertThat(instance.get("standbyStores").toString()).contains(RecommenderTopology.HISTORY_STORE);
            }
        }
        assertThat(name(b)).startsWith("127.0.0.2:");
        // The lags are read in the background once asked for: both copies of user-history, the active one at 0.
        await().atMost(TIMEOUT).untilAsserted(() -> {
            JsonNode view = get(a, "/instances").json();
            assertThat(view.get("lagsReadAt").isNull()).isFalse();
            Map<Integer, Long> historyLags = new HashMap<>();
            view.get("localCopies").forEach(copy -> {
                if (copy.get("store").asText().equals(RecommenderTopology.HISTORY_STORE)) {
                    historyLags.put(copy.get("partition").asInt(), copy.get("lagRecords").asLong());
                }
            });
            assertThat(historyLags).containsOnlyKeys(partitionOfA, partitionOfB).containsEntry(partitionOfA, 0L);
            assertThat(historyLags.get(partitionOfB)).isBetween(0L, 10_000L);
        });
    }

    @Test
    @Order(2)
    void aUserOfAnUnreachableOwnerIsAnsweredFromTheStandbyHereAndTheAnswerSaysHowStale() {
        double standbyAnswersBefore = served(a, "standby");
        List<String> users = usersOwnedBy(b).subList(0, 3);
        for (String user : users) {
            ApiItSupport.Answer fromOwner = get(b, "/users/" + user + "/history");
            assertThat(fromOwner.header(Freshness.SERVED_FROM)).isEqualTo("active");
            assertThat(fromOwner.header(Freshness.LAG_RECORDS)).isEqualTo("0");

            ApiItSupport.Answer answer = get(a, "/users/" + user + "/history");
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(answer.header(Forwarder.SERVED_BY)).isEqualTo(name(a));
            assertThat(answer.header(Freshness.SERVED_FROM)).isEqualTo("standby");
            long lag = Long.parseLong(answer.header(Freshness.LAG_RECORDS));
            assertThat(lag).isBetween(0L, 10_000L);
            assertThat(answer.json().get("servedFrom").asText()).isEqualTo("standby");
            assertThat(answer.json().get("lagRecords").asLong()).isEqualTo(lag);
            // No click since the standby caught up: the same history as the owner's.
            assertThat(answer.json().get("items").findValuesAsText("itemId")).containsExactlyElementsOf(
                    clicked.get(user));
            assertThat(withoutFreshness(answer.json())).isEqualTo(withoutFreshness(fromOwner.json()));

            ApiItSupport.Answer list = get(a, "/users/" + user + "/recommendations?k=3");
            assertThat(list.status()).as(list.body()).isEqualTo(200);
            assertThat(list.header(Freshness.SERVED_FROM)).isEqualTo("standby");
            assertThat(list.json().get("historyItems").asInt()).isEqualTo(CLICKS_PER_USER);
        }
        assertThat(served(a, "standby")).isEqualTo(standbyAnswersBefore + 2 * users.size());
        // The active copy stays first choice: A's own users are answered from its active copy.
        ApiItSupport.Answer own = get(a, "/users/" + usersOwnedBy(a).get(0) + "/history");
        assertThat(own.header(Freshness.SERVED_FROM)).isEqualTo("active");
        // B reaches A: A's users are answered by A's active copy through B.
        ApiItSupport.Answer routed = get(b, "/users/" + usersOwnedBy(a).get(0) + "/history");
        assertThat(routed.header(Forwarder.SERVED_BY)).isEqualTo(name(a));
        assertThat(routed.header(Freshness.SERVED_FROM)).isEqualTo("active");
    }

    @Test
    @Order(3)
    void aRequestThatAllowsNoStaleAnswerGets503AsBefore() {
        String user = usersOwnedBy(b).get(0);
        long start = System.nanoTime();
        ApiItSupport.Answer answer = get(a, "/users/" + user + "/history?max_lag=-1");
        assertThat(answer.status()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("retried until the deadline")
                .isGreaterThanOrEqualTo(Duration.ofMillis(QUERY_TIMEOUT_MS / 2));
        assertThat(answer.header("Retry-After")).isEqualTo("1");
        assertThat(answer.header(Freshness.SERVED_FROM)).isNull();
        assertThat(answer.json().get("error").asText()).contains("owner-unreachable");
    }

    @Test
    @Order(4)
    void aRequestForwardedForTheCopyHereIsAnsweredFromItWithoutReRouting() {
        String user = usersOwnedBy(b).get(0);
        Map<String, String> forOwnCopy = Map.of(Forwarder.FORWARDED_BY, "10.255.255.1:1", Forwarder.STALE_WITHIN,
                "10000");
        ApiItSupport.Answer standby = send(a, "GET", "/users/" + user + "/history", forOwnCopy);
        assertThat(standby.status()).isEqualTo(200);
        assertThat(standby.header(Freshness.SERVED_FROM)).isEqualTo("standby");
        assertThat(standby.header(Forwarder.SERVED_BY)).isEqualTo(name(a));
        ApiItSupport.Answer active = send(b, "GET", "/users/" + user + "/history", forOwnCopy);
        assertThat(active.header(Freshness.SERVED_FROM)).isEqualTo("active");
        // Without the bound the same forwarded request is for the owner, and A is not it: bounced at once.
        ApiItSupport.Answer notOwner = send(a, "GET", "/users/" + user + "/history",
                Map.of(Forwarder.FORWARDED_BY, "10.255.255.1:1"));
        assertThat(notOwner.status()).isEqualTo(503);
        assertThat(notOwner.header(Forwarder.UNAVAILABLE)).isEqualTo("not-owner");
        ApiItSupport.Answer tooStale = send(a, "GET", "/users/" + user + "/history",
                Map.of(Forwarder.FORWARDED_BY, "10.255.255.1:1", Forwarder.STALE_WITHIN, "0"));
        if (Long.parseLong(standby.header(Freshness.LAG_RECORDS)) > 0) {
            assertThat(tooStale.header(Forwarder.UNAVAILABLE)).isEqualTo("lag-exceeded");
        } else {
            assertThat(tooStale.header(Freshness.SERVED_FROM)).isEqualTo("standby");
        }
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: it stops instance B
    void whenTheOwnerLeavesTheSurvivorAnswersItsUsersFromItsCopyThroughoutTheHandOver() {
        List<String> users = usersOwnedBy(b).subList(0, 3);
        HostInfo addressOfB = b.httpAdvertised();
        b.close();
        List<String> sources = new ArrayList<>();
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (String user : users) {
                ApiItSupport.Answer answer = get(a, "/users/" + user + "/history");
                assertThat(answer.status()).as("after %s: %s", sources, answer.body()).isEqualTo(200);
                assertThat(answer.json().get("items").findValuesAsText("itemId")).containsExactlyElementsOf(
                        clicked.get(user));
                sources.add(answer.header(Freshness.SERVED_FROM));
            }
            return metadata(users.get(0)).activeHost().equals(a.httpAdvertised())
                    && sources.get(sources.size() - 1).equals("active");
        });
        // Typically standby until the hand-over, restoring while the promoted copy catches up, then active.
        assertThat(sources).as("copies that answered, in order").contains("active")
                .allMatch(from -> Set.of("standby", "restoring", "active").contains(from));
        assertThat(metadata(users.get(0)).standbyHosts()).doesNotContain(addressOfB);
    }
}
