package io.streamrec.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.app.StreamsApp;
import io.streamrec.app.StreamsAppConfig;
import io.streamrec.avro.ClickEvent;
import io.streamrec.avro.Recommendations;
import io.streamrec.avro.RecommendedItem;
import io.streamrec.devstack.LocalStack;
import io.streamrec.devstack.LocalStackExtension;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.serde.AvroSerde;
import io.streamrec.schemas.topics.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example against what it is written for: a real broker and schema registry (the local stack, one partition
 * per topic) and a real streams app on the catalog's topics. Other users' clicks come first, so the
 * quickstart user's list, answered from popularity before any model is published, has items to show.
 */
@ExtendWith(LocalStackExtension.class)
class QuickstartIT {

    @Test
    void theUsersOwnClickGetsAList(LocalStack stack, @TempDir Path stateDir) throws Exception {
        Map<String, Object> app = new HashMap<>(stack.clientProperties());
        app.put(StreamsConfig.APPLICATION_ID_CONFIG, "quickstart-it");
        app.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        app.put(StreamsAppConfig.MODEL_TRUSTED_KEYS_CONFIG, ReleaseKeys.publicKeyPem(ReleaseKeys.generate().getPublic()));
        app.put(StreamsAppConfig.HTTP_PORT_CONFIG, 0);
        app.put(StreamsAppConfig.HTTP_MANAGEMENT_PORT_CONFIG, 0);
        Quickstart.Settings settings = Quickstart.Settings.fromArgs("--bootstrap-servers", stack.bootstrapServers(),
                "--schema-registry-url", stack.schemaRegistryUrl(), "--user", "me", "--item", "i42",
                "--timeout-seconds", "60");

        try (StreamsApp streams = StreamsApp.start(app)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (streams.streams().state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(streams.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
            clicksOfOtherUsers(stack, "i7", "i7", "i9");

            Recommendations list = Quickstart.clickAndAwaitList(settings);

            assertThat(list.getUserId()).isEqualTo("me");
            assertThat(list.getFallback()).as("no model is published: popularity answers").isTrue();
            assertThat(list.getItems()).extracting(RecommendedItem::getItemId).containsExactly("i7", "i9");
            assertThat(Quickstart.describe(list)).isEqualTo("me <- popularity fallback: [i7, i9]");
        }
    }

    @Test
    void withoutAStreamsAppNoListComesAndTheExampleSaysSo(LocalStack stack) {
        Quickstart.Settings settings = Quickstart.Settings.fromArgs("--bootstrap-servers", stack.bootstrapServers(),
                "--schema-registry-url", stack.schemaRegistryUrl(), "--clicks-topic", TopicCatalog.DEAD_LETTERS.name(),
                "--recommendations-topic", TopicCatalog.MODELS.name(), "--timeout-seconds", "2");

        assertThatThrownBy(() -> Quickstart.clickAndAwaitList(settings)).isInstanceOf(TimeoutException.class)
                .hasMessageContaining("is the streams app running");
    }

    @Test
    void unknownOptionsAreRefusedWithTheListOfOptions() {
        assertThatThrownBy(() -> Quickstart.Settings.fromArgs("--broker", "x"))
                .hasMessageContaining("unknown option --broker").hasMessageContaining("--bootstrap-servers");
        assertThat(Quickstart.Settings.defaults().bootstrapServers()).isEqualTo("localhost:9092");
    }

    private static void clicksOfOtherUsers(LocalStack stack, String... items) throws Exception {
        Map<String, Object> registry = Map.of("schema.registry.url", stack.schemaRegistryUrl());
        try (AvroSerde<ClickEvent> clicks = AvroSerde.specific(ClickEvent.class)) {
            clicks.configure(registry, false);
            try (KafkaProducer<String, ClickEvent> producer = new KafkaProducer<>(
                    Map.of("bootstrap.servers", stack.bootstrapServers()), new StringSerializer(),
                    clicks.serializer())) {
                for (int i = 0; i < items.length; i++) {
                    String user = "other-" + i;
                    producer.send(new ProducerRecord<>(TopicCatalog.CLICKS.name(), user, ClickEvent.newBuilder()
                            .setUserId(user).setItemId(items[i]).setEventType("click").setEventTime(Instant.now())
                            .build())).get();
                }
            }
        }
    }
}
