package io.streamrec.examples;

import io.streamrec.avro.ClickEvent;
import io.streamrec.avro.Recommendations;
import io.streamrec.avro.RecommendedItem;
import io.streamrec.schemas.serde.AvroSerde;
import io.streamrec.schemas.topics.TopicCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A click in, its list out, as an application does it: produce one {@code ClickEvent} for a user to the clicks
 * topic, keyed by the user id, then read the recommendations topic with a {@code read_committed} consumer until
 * the list for that user arrives. The consumer takes its position at the end of every partition before the click
 * is sent, so the list it returns is the answer to this click.
 *
 * <pre>
 * java -jar examples/target/examples-0.1.0-SNAPSHOT.jar [--bootstrap-servers localhost:9092]
 *      [--schema-registry-url http://localhost:8081] [--user quickstart-user] [--item i42] [--timeout-seconds 60]
 * </pre>
 *
 * Exit codes: 0 with the list printed, 1 when no list came within the timeout, 2 for bad arguments.
 */
public final class Quickstart {

    private Quickstart() {
    }

    /**
     * Where to send the click and what it says. Immutable.
     *
     * @param bootstrapServers     Kafka's {@code bootstrap.servers}
     * @param schemaRegistryUrl    the schema registry the serde registers and looks up schemas in
     * @param clicksTopic          where the click goes
     * @param recommendationsTopic where the list comes from
     * @param userId               the user who clicks (the record key)
     * @param itemId               the item clicked
     * @param timeout              how long to wait for the list
     */
    public record Settings(String bootstrapServers, String schemaRegistryUrl, String clicksTopic,
                           String recommendationsTopic, String userId, String itemId, Duration timeout) {

        /** The local stack's addresses ({@code ./streamrec demo}, devstack) and the catalog's topic names. */
        public static Settings defaults() {
            return fromArgs();
        }

        /** The defaults with {@code --name value} options applied. */
        public static Settings fromArgs(String... args) {
            Map<String, String> options = new LinkedHashMap<>();
            options.put("--bootstrap-servers", "localhost:9092");
            options.put("--schema-registry-url", "http://localhost:8081");
            options.put("--clicks-topic", TopicCatalog.CLICKS.name());
            options.put("--recommendations-topic", TopicCatalog.RECOMMENDATIONS.name());
            options.put("--user", "quickstart-user");
            options.put("--item", "i42");
            options.put("--timeout-seconds", "60");
            for (int i = 0; i < args.length; i += 2) {
                if (!options.containsKey(args[i])) {
                    throw new IllegalArgumentException("unknown option " + args[i] + "; options: "
                            + String.join(", ", options.keySet()));
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + args[i] + " needs a value");
                }
                options.put(args[i], args[i + 1]);
            }
            return new Settings(options.get("--bootstrap-servers"), options.get("--schema-registry-url"),
                    options.get("--clicks-topic"), options.get("--recommendations-topic"), options.get("--user"),
                    options.get("--item"), Duration.ofSeconds(Long.parseLong(options.get("--timeout-seconds"))));
        }
    }

    public static void main(String[] args) {
        Settings settings;
        try {
            settings = Settings.fromArgs(args);
        } catch (IllegalArgumentException e) {
            System.err.println("quickstart: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            Recommendations list = clickAndAwaitList(settings);
            System.out.println(describe(list));
            System.exit(0);
        } catch (TimeoutException e) {
            System.err.println("quickstart: " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            System.err.println("quickstart: " + e);
            System.exit(1);
        }
    }

    /**
     * Sends one click for the user and returns the list the streams app wrote for it.
     *
     * @throws TimeoutException when no list for the user arrived within the settings' timeout
     */
    public static Recommendations clickAndAwaitList(Settings settings) throws Exception {
        Map<String, Object> registry = Map.of("schema.registry.url", settings.schemaRegistryUrl());
        try (AvroSerde<ClickEvent> clicks = AvroSerde.specific(ClickEvent.class);
             AvroSerde<Recommendations> lists = AvroSerde.specific(Recommendations.class)) {
            clicks.configure(registry, false);
            lists.configure(registry, false);
            try (KafkaProducer<String, ClickEvent> producer = new KafkaProducer<>(Map.of(
                         ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                         ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), clicks.serializer());
                 KafkaConsumer<String, Recommendations> consumer = new KafkaConsumer<>(Map.of(
                         ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                         // Only lists of committed transactions: the app writes exactly-once.
                         ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                         new StringDeserializer(), lists.deserializer())) {
                List<TopicPartition> partitions = partitions(consumer, settings.recommendationsTopic());
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position); // the end as it is now, before the click

                ClickEvent click = ClickEvent.newBuilder().setUserId(settings.userId())
                        .setItemId(settings.itemId()).setEventType("click").setEventTime(Instant.now()).build();
                RecordMetadata sent = producer.send(new ProducerRecord<>(settings.clicksTopic(), settings.userId(),
                        click)).get();
                System.err.printf("sent: %s clicked %s (%s-%d@%d)%n", settings.userId(), settings.itemId(),
                        sent.topic(), sent.partition(), sent.offset());

                long deadline = System.nanoTime() + settings.timeout().toNanos();
                while (System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, Recommendations> list : consumer.poll(Duration.ofMillis(200))) {
                        if (settings.userId().equals(list.key())) {
                            return list.value();
                        }
                    }
                }
                throw new TimeoutException("no list for " + settings.userId() + " on "
                        + settings.recommendationsTopic() + " within " + settings.timeout().toSeconds() + " s: is"
                        + " the streams app running against " + settings.bootstrapServers() + "?");
            }
        }
    }

    /**
     * The topic's partitions. A topic created a moment ago may not be in the metadata yet, so an empty answer is
     * asked again for a few seconds.
     */
    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(partition -> new TopicPartition(partition.topic(), partition.partition())).toList();
            if (!partitions.isEmpty()) {
                return partitions;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no topic " + topic);
            }
            Thread.sleep(200);
        }
    }

    /** One line: the user, where the list came from, and its items best first. */
    public static String describe(Recommendations list) {
        String source = list.getFallback() ? "popularity fallback"
                : list.getModelName() + " v" + list.getModelVersion();
        String items = list.getItems().stream().map(RecommendedItem::getItemId).collect(Collectors.joining(", "));
        return list.getUserId() + " <- " + source + ": [" + items + "]";
    }
}
