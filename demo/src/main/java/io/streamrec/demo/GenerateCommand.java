package io.streamrec.demo;

import io.streamrec.demo.bench.CyclingClickSource;
import io.streamrec.demo.load.ClickReplayer;
import io.streamrec.demo.load.ClickSource;
import io.streamrec.schemas.serde.AvroSerdeConfig;
import io.streamrec.schemas.serde.RestSchemaRegistryClient;
import io.streamrec.schemas.topics.TopicCatalog;
import io.streamrec.trainer.data.SyntheticConfig;
import io.streamrec.trainer.data.SyntheticGenerator;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code streamrec generate}: synthetic clicks, continuously, to a running stack's clicks topic, so a deployed
 * streamrec (docker compose, a cluster) has traffic to answer and the trainer has interactions to learn from.
 * The clicks follow the synthetic corpus the demo and the benchmarks use (users with tastes, a popularity long
 * tail, habitual item sequences), each user walking through their sequence again and again. Stops on SIGTERM
 * or Ctrl-C (flushing what was sent) or after {@code --duration-seconds}.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Sends synthetic clicks (Avro ClickEvent, key = user id) to a running stack's clicks topic at a"
                + " fixed rate until stopped: the users, items and habits of the demo's synthetic corpus.",
                "Prints a progress line every --progress-seconds. Exit 0 when stopped or the duration ended with"
                        + " every click acknowledged, 1 when the broker refused clicks or could not be reached."})
public final class GenerateCommand implements java.util.concurrent.Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--bootstrap-server", required = true, paramLabel = "HOST:PORT[,HOST:PORT]",
            description = "The Kafka brokers.")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", required = true, paramLabel = "URL",
            description = "The schema registry (the click schema is registered on the first send).")
    String schemaRegistryUrl;

    @Option(names = "--topic", defaultValue = "clicks", description = "The topic the streams app reads clicks from"
            + " (default ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--rate", defaultValue = "20", description = "Clicks per second (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--users", defaultValue = "2000", description = "Users of the synthetic corpus (default"
            + " ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--items", defaultValue = "1000", description = "Items of the synthetic corpus (default"
            + " ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--seed", defaultValue = "42", description = "Seeds the corpus and the order of the clicks"
            + " (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--duration-seconds", defaultValue = "0", description = "Stop after this long; 0 runs until"
            + " stopped (default ${DEFAULT-VALUE}).")
    long durationSeconds;

    @Option(names = "--progress-seconds", defaultValue = "10", description = "Seconds between progress lines"
            + " (default ${DEFAULT-VALUE}).")
    long progressSeconds;

    /** Where progress goes; tests replace it. */
    PrintStream out = System.out;

    @Override
    public Integer call() {
        validate();
        ClickSource source = new CyclingClickSource(SyntheticGenerator.generate(SyntheticConfig.defaults()
                .withSize(users, items).withSeed(seed)), seed);
        Map<String, Object> client = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, schemaRegistryUrl);
        Duration duration = durationSeconds == 0 ? Duration.ofDays(365 * 100L) : Duration.ofSeconds(durationSeconds);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread onSignal = new Thread(() -> {
            stop.set(true);
            try {
                finished.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "generate-shutdown");
        Runtime.getRuntime().addShutdownHook(onSignal);
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "generate-progress");
            thread.setDaemon(true);
            return thread;
        });
        long started = System.nanoTime();
        try (ClickReplayer replayer = new ClickReplayer(client, RestSchemaRegistryClient.forUrl(schemaRegistryUrl),
                topic)) {
            out.printf("generate: %.1f clicks/s of %d users and %d items to %s at %s%n", rate, users, items, topic,
                    bootstrapServers);
            replayer.warmUp();
            progress.scheduleAtFixedRate(() -> report(replayer, started), progressSeconds, progressSeconds,
                    TimeUnit.SECONDS);
            replayer.run(source, () -> rate, duration, stop::get);
            progress.shutdownNow();
            report(replayer, started);
            return replayer.failed() == 0 ? 0 : 1;
        } catch (KafkaException e) {
            out.println("generate: stopped: " + e.getMessage());
            return 1;
        } finally {
            progress.shutdownNow();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running and waits for the latch counted down above
            }
        }
    }

    private void validate() {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rate must be a positive number, got "
                    + rate);
        }
        if (users < 1 || items < 2) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--users must be at least 1 and --items at"
                    + " least 2");
        }
        if (durationSeconds < 0 || progressSeconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--duration-seconds must be 0 or more and"
                    + " --progress-seconds at least 1");
        }
        if (topic.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--topic must not be blank (the catalog's"
                    + " is " + TopicCatalog.CLICKS.name() + ")");
        }
    }

    private void report(ClickReplayer replayer, long startedNanos) {
        double seconds = Math.max(1e-9, (System.nanoTime() - startedNanos) / 1e9);
        out.printf("generate: %d clicks acknowledged (%.1f/s), %d failed%n", replayer.sent(),
                replayer.sent() / seconds, replayer.failed());
    }
}
