package io.streamrec.demo.client;

import io.streamrec.avro.Recommendations;
import io.streamrec.schemas.serde.AvroSerde;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code streamrec consume}: prints recommendation lists as they are committed, one line each. It reads every
 * partition of the topic without a consumer group (so it commits nothing and disturbs no one), from the end or
 * from the beginning, and stops after {@code --max} lists, after {@code --timeout}, or on Ctrl-C.
 */
@Command(name = "consume", mixinStandardHelpOptions = true,
        description = {"Prints the recommendation lists the streams app writes, read read_committed (only lists of"
                + " committed transactions), one line each: user <- model and version (or popularity fallback):"
                + " [items, best first].",
                "Exit codes: 0 done (Ctrl-C, or --max lists printed), 1 fewer than --max lists within --timeout, no"
                + " such topic or the broker unreachable, 2 invalid arguments."})
public final class ConsumeCommand implements Callable<Integer> {

    /** How long to look for the topic in the cluster's metadata. */
    private static final Duration METADATA_WAIT = Duration.ofSeconds(10);

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Option(names = "--user", description = "Only this user's lists.")
    String user;

    @Option(names = "--from-beginning", description = "Start at the oldest list still on the topic instead of"
            + " the lists written from now on.")
    boolean fromBeginning;

    @Option(names = "--max", defaultValue = "0", paramLabel = "N", description = "Stop after N lists (default: do"
            + " not stop).")
    int max;

    @Option(names = "--timeout", defaultValue = "0", paramLabel = "SECONDS", description = "Stop after this long;"
            + " with --max, exit 1 if fewer lists came (default: no limit).")
    long timeoutSeconds;

    @Option(names = "--scores", description = "Print each item's score too.")
    boolean scores;

    @Option(names = "--topic", defaultValue = "recommendations", description = "The recommendations topic (default"
            + " ${DEFAULT-VALUE}).")
    String topic;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (max < 0 || timeoutSeconds < 0) {
            err.println("streamrec consume: --max and --timeout must not be negative");
            return 2;
        }
        Map<String, Object> config = client.clientConfig();
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false); // a misspelt --topic creates nothing
        long deadline = timeoutSeconds == 0 ? Long.MAX_VALUE : System.nanoTime() + Duration.ofSeconds(timeoutSeconds)
                .toNanos();
        int printed = 0;
        try (AvroSerde<Recommendations> lists = AvroSerde.specific(Recommendations.class)) {
            lists.configure(config, false);
            try (KafkaConsumer<String, Recommendations> consumer = new KafkaConsumer<>(config,
                    new StringDeserializer(), lists.deserializer())) {
                Thread main = Thread.currentThread();
                Thread wakeUp = new Thread(() -> {
                    consumer.wakeup();
                    try {
                        main.join(5_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "consume-shutdown");
                Runtime.getRuntime().addShutdownHook(wakeUp);
                try {
                    List<TopicPartition> partitions = partitions(consumer);
                    if (partitions.isEmpty()) {
                        err.println("streamrec consume: no topic " + topic + " at " + client.bootstrapServers());
                        return 1;
                    }
                    consumer.assign(partitions);
                    if (fromBeginning) {
                        consumer.seekToBeginning(partitions);
                    } else {
                        consumer.seekToEnd(partitions);
                    }
                    partitions.forEach(consumer::position); // from here, whatever comes in while polling
                    while ((max == 0 || printed < max) && System.nanoTime() < deadline) {
                        for (ConsumerRecord<String, Recommendations> list : consumer.poll(Duration.ofMillis(200))) {
                            if (user == null || user.equals(list.key())) {
                                out.println(describe(list.value(), scores));
                                out.flush();
                                printed++;
                                if (printed == max) {
                                    break;
                                }
                            }
                        }
                    }
                } catch (WakeupException e) {
                    return 0; // Ctrl-C
                } finally {
                    removeHook(wakeUp);
                }
            }
        } catch (KafkaException e) {
            err.println("streamrec consume: cannot read " + topic + " at " + client.bootstrapServers() + ": " + e);
            return 1;
        }
        if (max > 0 && printed < max) {
            err.printf(Locale.ROOT, "streamrec consume: %d of %d lists%s within %d s%n", printed, max,
                    user == null ? "" : " for " + user, timeoutSeconds);
            return 1;
        }
        return 0;
    }

    /**
     * The topic's partitions; empty when it does not exist. A topic created a moment ago may not be in the
     * metadata yet, so an empty answer is asked again for a few seconds.
     */
    private List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer) throws InterruptedException {
        long deadline = System.nanoTime() + METADATA_WAIT.toNanos();
        while (true) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, METADATA_WAIT).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            if (!partitions.isEmpty() || System.nanoTime() > deadline) {
                return partitions;
            }
            Thread.sleep(200);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting: the hook runs (or ran) anyway
        }
    }

    /** One line: the user, where the list came from, and its items best first. */
    static String describe(Recommendations list, boolean withScores) {
        String source = list.getFallback() ? "popularity fallback"
                : list.getModelName() + " v" + list.getModelVersion();
        String items = list.getItems().stream()
                .map(item -> withScores ? item.getItemId() + String.format(Locale.ROOT, " %.3f", item.getScore())
                        : item.getItemId())
                .collect(Collectors.joining(", "));
        return list.getUserId() + " <- " + source + ": [" + items + "]";
    }
}
