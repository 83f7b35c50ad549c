package io.streamrec.demo.client;

import io.streamrec.avro.ClickEvent;
import io.streamrec.schemas.EventType;
import io.streamrec.schemas.serde.AvroSerde;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code streamrec produce}: one click, keyed by the user id, with the project's Avro serde. */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = {"Sends one click to the clicks topic, as an application does: a ClickEvent keyed by the user"
                + " id, serialized with the project's Avro serde. The streams app answers it with a list on the"
                + " recommendations topic (streamrec consume).",
                "Exit codes: 0 sent, 1 not sent (broker or registry unreachable), 2 invalid arguments."})
public final class ProduceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(names = "--user", required = true, description = "The user id (the record key).")
    String user;

    @Option(names = "--item", required = true, description = "The item id clicked.")
    String item;

    @Option(names = "--type", defaultValue = "click", description = "The event type: one of view, click,"
            + " add_to_cart, purchase, rating (default ${DEFAULT-VALUE}).")
    String type;

    @Option(names = "--topic", defaultValue = "clicks", description = "The clicks topic (default ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS", description = "How long to wait for"
            + " the broker to take the click (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (EventType.fromWireName(type).isEmpty()) {
            err.println("streamrec produce: unknown --type " + type + "; one of " + Arrays.stream(EventType.values())
                    .map(EventType::wireName).collect(Collectors.joining(", ")));
            return 2;
        }
        if (user.isBlank() || item.isBlank()) {
            err.println("streamrec produce: --user and --item must not be blank");
            return 2;
        }
        Map<String, Object> config = client.clientConfig();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, TimeUnit.SECONDS.toMillis(timeoutSeconds));
        ClickEvent click = ClickEvent.newBuilder().setUserId(user).setItemId(item).setEventType(type)
                .setEventTime(Instant.now()).build();
        try (AvroSerde<ClickEvent> clicks = AvroSerde.specific(ClickEvent.class)) {
            clicks.configure(config, false);
            try (KafkaProducer<String, ClickEvent> producer = new KafkaProducer<>(config, new StringSerializer(),
                    clicks.serializer())) {
                RecordMetadata sent = producer.send(new ProducerRecord<>(topic, user, click))
                        .get(timeoutSeconds, TimeUnit.SECONDS);
                out.printf("sent: %s %s %s at %s (%s-%d@%d)%n", user, type, item, click.getEventTime(), sent.topic(),
                        sent.partition(), sent.offset());
                return 0;
            }
        } catch (ExecutionException e) {
            err.println("streamrec produce: not sent to " + topic + " at " + client.bootstrapServers() + ": "
                    + e.getCause());
            return 1;
        } catch (TimeoutException | KafkaException e) {
            err.println("streamrec produce: not sent to " + topic + " at " + client.bootstrapServers() + ": " + e);
            return 1;
        }
    }
}
