package io.streamrec.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.avro.ClickEvent;
import io.streamrec.devstack.LocalStack;
import io.streamrec.devstack.LocalStackExtension;
import io.streamrec.schemas.serde.AvroDeserializer;
import io.streamrec.schemas.serde.RestSchemaRegistryClient;
import io.streamrec.schemas.topics.TopicCatalog;
import io.streamrec.trainer.data.Corpus;
import io.streamrec.trainer.data.SyntheticConfig;
import io.streamrec.trainer.data.SyntheticGenerator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * {@code streamrec generate} against a real broker and registry: for the given seconds it sends clicks at about
 * the given rate, each a valid Avro ClickEvent keyed by its user, whose users and items are the synthetic
 * corpus's; then it stops by itself and exits 0.
 */
@ExtendWith(LocalStackExtension.class)
class GenerateCommandIT {

    private static final int USERS = 300;
    private static final int ITEMS = 120;
    private static final long SEED = 7;

    @Test
    void sendsSyntheticClicksAtTheRateForTheDurationAndStops(LocalStack stack) throws Exception {
        String topic = "generate-it-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = stack.createAdmin()) {
            admin.createTopics(List.of(TopicCatalog.CLICKS.withReplicationFactor((short) 1).withPartitions(2)
                    .withName(topic).toNewTopic())).all().get();
        }
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        GenerateCommand command = new GenerateCommand();
        command.out = new PrintStream(console, true, StandardCharsets.UTF_8);
        int rate = 100;
        int seconds = 3;
        int exit = new CommandLine(command).execute("--bootstrap-server", stack.bootstrapServers(),
                "--schema-registry-url", stack.schemaRegistryUrl(), "--topic", topic, "--rate", String.valueOf(rate),
                "--users", String.valueOf(USERS), "--items", String.valueOf(ITEMS), "--seed", String.valueOf(SEED),
                "--duration-seconds", String.valueOf(seconds), "--progress-seconds", "1");
        String output = console.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(output).isZero();
        assertThat(output).contains("clicks acknowledged").contains("0 failed");

        List<ConsumerRecord<String, ClickEvent>> clicks = readAll(stack, topic, rate * seconds * 9 / 10);
        // The replayer schedules rate x seconds clicks; a loaded machine may send a few late, none extra.
        assertThat(clicks).hasSizeBetween(rate * seconds * 9 / 10, rate * seconds + 1);
        Corpus corpus = SyntheticGenerator.generate(SyntheticConfig.defaults().withSize(USERS, ITEMS).withSeed(SEED));
        Set<String> users = Set.copyOf(corpus.users().ids());
        Set<String> items = Set.copyOf(corpus.items().ids());
        Set<String> seenUsers = new HashSet<>();
        for (ConsumerRecord<String, ClickEvent> record : clicks) {
            ClickEvent click = record.value();
            assertThat(record.key()).isEqualTo(click.getUserId());
            assertThat(users).contains(click.getUserId());
            assertThat(items).contains(click.getItemId());
            seenUsers.add(click.getUserId());
        }
        assertThat(seenUsers).as("clicks spread over many users").hasSizeGreaterThan(50);
    }

    @Test
    void refusesARateThatIsNotPositiveAndNeedsTheBrokerAndRegistry() {
        CommandLine commandLine = new CommandLine(new GenerateCommand());
        commandLine.setErr(new java.io.PrintWriter(new java.io.StringWriter()));
        assertThat(commandLine.execute("--bootstrap-server", "127.0.0.1:1", "--schema-registry-url",
                "http://127.0.0.1:1", "--rate", "0")).isEqualTo(2);
        assertThat(commandLine.execute("--rate", "5")).isEqualTo(2);
        GenerateCommand parsed = new GenerateCommand();
        new CommandLine(parsed).parseArgs("--bootstrap-server", "k:1", "--schema-registry-url", "http://r:1");
        assertThat(parsed.topic).as("the default is the catalog's clicks topic").isEqualTo(TopicCatalog.CLICKS.name());
    }

    private static List<ConsumerRecord<String, ClickEvent>> readAll(LocalStack stack, String topic, int atLeast) {
        Map<String, Object> config = new HashMap<>(stack.clientProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "generate-it-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, ClickEvent>> records = new ArrayList<>();
        try (KafkaConsumer<String, ClickEvent> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new AvroDeserializer<>(ClickEvent.class, RestSchemaRegistryClient.forUrl(stack.schemaRegistryUrl()),
                        config, false))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int quietPolls = 0;
            while (System.nanoTime() < deadline && (records.size() < atLeast || quietPolls < 3)) {
                int before = records.size();
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
                quietPolls = records.size() == before ? quietPolls + 1 : 0;
            }
        }
        return records;
    }
}
