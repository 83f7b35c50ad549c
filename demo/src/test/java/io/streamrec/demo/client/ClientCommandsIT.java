package io.streamrec.demo.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.app.StreamsApp;
import io.streamrec.app.StreamsAppConfig;
import io.streamrec.demo.StreamrecCli;
import io.streamrec.devstack.LocalStack;
import io.streamrec.devstack.LocalStackExtension;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.serde.RestSchemaRegistryClient;
import io.streamrec.schemas.topics.TopicCatalog;
import io.streamrec.schemas.topics.TopicSpec;
import io.streamrec.trainer.data.Corpus;
import io.streamrec.trainer.snapshot.InteractionSnapshot;
import io.streamrec.trainer.snapshot.InteractionSnapshotReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client commands as a user runs them, parsed by the real command line and run in-process against a real
 * broker and schema registry (devstack) and, for produce and consume, a real streams app: my click gets a list,
 * consume waits for it and says so when none comes, backfill writes what the trainer reads.
 */
@ExtendWith(LocalStackExtension.class)
class ClientCommandsIT {

    private Map<String, TopicSpec> topics;
    private String[] addresses;

    /** What one command run printed and returned. */
    private record Run(int exitCode, String out, String err) { }

    @BeforeEach
    void topics(LocalStack stack) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        topics = new HashMap<>();
        TopicCatalog catalog = TopicCatalog.standard().withReplicationFactor((short) 1).withPartitions(1);
        for (String name : List.of("clicks", "recommendations", "interactions", "models", "dead-letters")) {
            topics.put(name, catalog.topic(name).withName(name + "-" + suffix));
        }
        try (Admin admin = stack.createAdmin()) {
            admin.createTopics(topics.values().stream().map(TopicSpec::toNewTopic).toList()).all().get();
        }
        addresses = new String[] {"--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url",
                stack.schemaRegistryUrl()};
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(addresses));
        picocli.CommandLine commandLine = new picocli.CommandLine(new StreamrecCli());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(all.toArray(String[]::new));
        return new Run(exitCode, out.toString(), err.toString());
    }

    @Test
    void myOwnClickGetsAListThatConsumeShows(LocalStack stack, @TempDir Path stateDir) throws Exception {
        try (StreamsApp app = StreamsApp.start(appSettings(stack, stateDir))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (app.streams().state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(run("produce", "--user", "other", "--item", "i7", "--topic", topic("clicks")).exitCode())
                    .isZero();

            Run produced = run("produce", "--user", "me", "--item", "i42", "--type", "purchase",
                    "--topic", topic("clicks"));
            Run consumed = run("consume", "--user", "me", "--from-beginning", "--max", "1", "--timeout", "60",
                    "--topic", topic("recommendations"));

            assertThat(produced.exitCode()).as(produced.err()).isZero();
            assertThat(produced.out()).startsWith("sent: me purchase i42 at ").contains(topic("clicks") + "-0@1");
            assertThat(consumed.exitCode()).as(consumed.err()).isZero();
            assertThat(consumed.out().lines()).as("the list answering my click: popularity, no model yet")
                    .containsExactly("me <- popularity fallback: [i7]");

            Run everyone = run("consume", "--from-beginning", "--max", "2", "--timeout", "30", "--scores",
                    "--topic", topic("recommendations"));
            assertThat(everyone.out().lines()).hasSize(2).first().asString().startsWith("other <- popularity");
            assertThat(everyone.out().lines().toList().get(1)).isEqualTo("me <- popularity fallback: [i7 1.000]");
        }
    }

    @Test
    void consumeSaysSoWhenNoListComesAndProduceRefusesAnUnknownEventType() {
        Run nothing = run("consume", "--user", "nobody", "--max", "1", "--timeout", "2",
                "--topic", topic("recommendations"));
        assertThat(nothing.exitCode()).isEqualTo(1);
        assertThat(nothing.err()).contains("0 of 1 lists for nobody within 2 s");
        Run noTopic = run("consume", "--max", "1", "--timeout", "2", "--topic", "no-such-topic");
        assertThat(noTopic.exitCode()).isEqualTo(1);
        assertThat(noTopic.err()).contains("no topic no-such-topic");

        Run unknown = run("produce", "--user", "me", "--item", "i1", "--type", "teleport", "--topic", topic("clicks"));
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown --type teleport", "add_to_cart");
    }

    @Test
    void backfillWritesWhatTheTrainerReads(LocalStack stack, @TempDir Path directory) throws Exception {
        Path csv = directory.resolve("ratings.csv");
        Files.writeString(csv, "userId,movieId,rating,timestamp\n"
                + "u1,m1,5,978300760\n"
                + "u1,m2,3,978300761\n"
                + "u2,m1,4,978300762\n"
                + "u1,m1,4,978300799\n"
                + ",m3,1,978300800\n", StandardCharsets.UTF_8);

        Run backfill = run("backfill", "--csv", csv.toString(), "--user-column", "userId", "--item-column",
                "movieId", "--timestamp-column", "timestamp", "--topic", topic("interactions"));

        assertThat(backfill.exitCode()).as(backfill.err()).isZero();
        assertThat(backfill.out()).contains("read 5 rows", "3 pairs of 2 users and 2 items", "skipped 1 {blank id=1}",
                "wrote 3 interactions to " + topic("interactions"));
        InteractionSnapshot snapshot = new InteractionSnapshotReader(stack.clientProperties(),
                RestSchemaRegistryClient.forUrl(stack.schemaRegistryUrl()), topic("interactions"),
                Duration.ofSeconds(30)).read(() -> false);
        Corpus corpus = snapshot.corpus();
        assertThat(snapshot.pairs()).isEqualTo(3);
        assertThat(corpus.users().size()).isEqualTo(2);
        assertThat(corpus.items().size()).isEqualTo(2);

        Run missing = run("backfill", "--csv", csv.toString(), "--user-column", "user", "--item-column", "movieId");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("no column 'user'");
    }

    private String topic(String name) {
        return topics.get(name).name();
    }

    private Map<String, Object> appSettings(LocalStack stack, Path stateDir) {
        Map<String, Object> settings = new HashMap<>(stack.clientProperties());
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "client-commands-it-" + topic("clicks"));
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.put(StreamsAppConfig.TOPIC_CLICKS_CONFIG, topic("clicks"));
        settings.put(StreamsAppConfig.TOPIC_RECOMMENDATIONS_CONFIG, topic("recommendations"));
        settings.put(StreamsAppConfig.TOPIC_INTERACTIONS_CONFIG, topic("interactions"));
        settings.put(StreamsAppConfig.TOPIC_MODELS_CONFIG, topic("models"));
        settings.put(StreamsAppConfig.TOPIC_DEAD_LETTERS_CONFIG, topic("dead-letters"));
        settings.put(StreamsAppConfig.MODEL_TRUSTED_KEYS_CONFIG,
                ReleaseKeys.publicKeyPem(ReleaseKeys.generate().getPublic()));
        settings.put(StreamsAppConfig.HTTP_PORT_CONFIG, 0);
        settings.put(StreamsAppConfig.HTTP_MANAGEMENT_PORT_CONFIG, 0);
        return settings;
    }
}
