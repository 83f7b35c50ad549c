package io.streamrec.deploy;

import io.streamrec.app.StreamsApp;
import io.streamrec.app.StreamsAppConfig;
import io.streamrec.avro.ClickEvent;
import io.streamrec.demo.bench.SyntheticReleases;
import io.streamrec.devstack.LocalStack;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.serde.AvroSerde;
import io.streamrec.schemas.topics.TopicCatalog;
import io.streamrec.schemas.topics.TopicSpec;
import io.streamrec.trainer.data.Corpus;
import io.streamrec.trainer.data.SyntheticConfig;
import io.streamrec.trainer.data.SyntheticGenerator;
import io.streamrec.trainer.kafka.ModelReleasePublisher;
import io.streamrec.trainer.service.TrainerServiceConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine;

/**
 * The {@code /metrics} text of the two services as they run, for the monitoring tests: the streams app started
 * in-process on the devstack (as the streams app's own integration tests start it) with topics of its own, a
 * signed model serving, valid clicks answered and one undecodable click dead-lettered, so that the meters that
 * only appear once used exist; and {@code trainer serve} from the trainer module's jar in a JVM of its own
 * (the process the image runs), after its first refit (which fails: its interactions topic is empty).
 * Lifetime: one use; the app and the trainer process are stopped before the scrapes are returned.
 */
final class LiveScrapes {

    /** Both scrapes, as the exposition text. */
    record Scrapes(String streamsApp, String trainer) {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int USERS = 60;
    private static final int ITEMS = 40;
    private static final int CLICKS = 40;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Scrapes scrape(LocalStack stack, Path scratch) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> topics = createTopics(stack, suffix);
        KeyPair keys = ReleaseKeys.generate();
        Corpus corpus = SyntheticGenerator.generate(SyntheticConfig.defaults().withSize(USERS, ITEMS).withSeed(3));
        Map<String, Object> client = new HashMap<>(stack.clientProperties());
        try (ModelReleasePublisher publisher = new ModelReleasePublisher(client, topics.get("models"))) {
            publisher.publish(SyntheticReleases.train("gmf", corpus, keys, 1, 3));
        }
        String appScrape = scrapeStreamsApp(stack, topics, keys, corpus, scratch.resolve("state"), suffix);
        String trainerScrape = scrapeTrainer(stack, suffix, scratch.resolve("trainer"));
        return new Scrapes(appScrape, trainerScrape);
    }

    private String scrapeStreamsApp(LocalStack stack, Map<String, String> topics, KeyPair keys, Corpus corpus,
                                    Path stateDir, String suffix) throws Exception {
        Map<String, Object> settings = new HashMap<>(stack.clientProperties());
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "monitoring-it-" + suffix);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.put(StreamsAppConfig.TOPIC_CLICKS_CONFIG, topics.get("clicks"));
        settings.put(StreamsAppConfig.TOPIC_RECOMMENDATIONS_CONFIG, topics.get("recommendations"));
        settings.put(StreamsAppConfig.TOPIC_INTERACTIONS_CONFIG, topics.get("interactions"));
        settings.put(StreamsAppConfig.TOPIC_MODELS_CONFIG, topics.get("models"));
        settings.put(StreamsAppConfig.TOPIC_DEAD_LETTERS_CONFIG, topics.get("dead-letters"));
        settings.put(StreamsAppConfig.MODEL_TRUSTED_KEYS_CONFIG, ReleaseKeys.publicKeyPem(keys.getPublic()));
        settings.put(StreamsAppConfig.HTTP_HOST_CONFIG, "127.0.0.1");
        settings.put(StreamsAppConfig.HTTP_PORT_CONFIG, 0);
        settings.put(StreamsAppConfig.HTTP_MANAGEMENT_PORT_CONFIG, 0);
        try (StreamsApp app = StreamsApp.start(settings)) {
            String metrics = "http://127.0.0.1:" + app.managementPort() + "/metrics";
            await(() -> app.streams().state() == KafkaStreams.State.RUNNING
                    && app.models().serving().isPresent(), "the app to run and serve model v1");
            sendClicks(stack, topics.get("clicks"), corpus);
            // Every click answered by the model and the bad record dead-lettered: the meters exist and moved.
            return awaitScrape(metrics, text -> sum(text, "streamrec_recommendations_total") >= CLICKS
                    && sum(text, "streamrec_dead_letters_total") >= 1, "every click answered and one dead letter");
        }
    }

    private String scrapeTrainer(LocalStack stack, String suffix, Path directory) throws Exception {
        Files.createDirectories(directory);
        Path jar = trainerJar();
        if (new CommandLine(new io.streamrec.trainer.cli.TrainerCli()).execute("keygen", "--name", "release-signing",
                "--dir", directory.toString()) != 0) {
            throw new IllegalStateException("trainer keygen failed");
        }
        String emptyInteractions = "monitoring-it-interactions-empty-" + suffix;
        try (Admin admin = stack.createAdmin()) {
            admin.createTopics(List.of(TopicCatalog.INTERACTIONS.withReplicationFactor((short) 1).withPartitions(1)
                    .withName(emptyInteractions).toNewTopic())).all().get();
        }
        int port = freePort();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("bootstrap.servers", stack.bootstrapServers());
        settings.put("schema.registry.url", stack.schemaRegistryUrl());
        settings.put(TrainerServiceConfig.HTTP_HOST_CONFIG, "127.0.0.1");
        settings.put(TrainerServiceConfig.HTTP_PORT_CONFIG, port);
        settings.put(TrainerServiceConfig.RELEASE_SIGNING_KEY_FILE_CONFIG,
                directory.resolve("release-signing.key").toString());
        settings.put(TrainerServiceConfig.REPORT_DIR_CONFIG, directory.resolve("reports").toString());
        settings.put("interactions.topic", emptyInteractions);
        settings.put("models.topic", "monitoring-it-models-unused-" + suffix);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-jar", jar.toString(), "serve"));
        settings.forEach((key, value) -> {
            command.add("--set");
            command.add(key + "=" + value);
        });
        Path log = directory.resolve("trainer.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        try {
            // After its first refit (on start), the run counter and the last run's time exist.
            return awaitScrape("http://127.0.0.1:" + port + "/metrics",
                    text -> text.contains("streamrec_trainer_runs_total{"), "the trainer's first refit; see " + log,
                    process);
        } finally {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** The trainer module's runnable jar, built by the reactor before this module's integration tests. */
    private static Path trainerJar() throws IOException {
        Path target = Project.file("trainer/target");
        try (var files = Files.list(target)) {
            return files.filter(file -> file.getFileName().toString().matches("trainer-[0-9][^-]*(-SNAPSHOT)?\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no trainer jar in " + target
                            + ": build with mvn -pl demo -am verify"));
        }
    }

    private static Map<String, String> createTopics(LocalStack stack, String suffix) throws Exception {
        Map<String, String> names = new LinkedHashMap<>();
        List<TopicSpec> specs = new ArrayList<>();
        TopicCatalog catalog = TopicCatalog.standard().withReplicationFactor((short) 1).withPartitions(2);
        for (String name : List.of("clicks", "recommendations", "interactions", "models", "dead-letters")) {
            String topic = "monitoring-it-" + name + "-" + suffix;
            names.put(name, topic);
            specs.add(catalog.topic(name).withName(topic));
        }
        try (Admin admin = stack.createAdmin()) {
            admin.createTopics(specs.stream().map(TopicSpec::toNewTopic).toList()).all().get();
        }
        return names;
    }

    private static void sendClicks(LocalStack stack, String topic, Corpus corpus) throws Exception {
        Map<String, Object> config = new HashMap<>(stack.clientProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        AvroSerde<ClickEvent> serde = AvroSerde.specific(ClickEvent.class);
        serde.configure(config, false);
        try (KafkaProducer<String, ClickEvent> clicks = new KafkaProducer<>(config, new StringSerializer(),
                serde.serializer());
             KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(config, new ByteArraySerializer(),
                     new ByteArraySerializer())) {
            for (int n = 0; n < CLICKS; n++) {
                String user = corpus.users().id(1 + n % USERS);
                clicks.send(new ProducerRecord<>(topic, user, ClickEvent.newBuilder().setUserId(user)
                        .setItemId(corpus.items().id(1 + (n * 7) % ITEMS)).setEventType("click")
                        .setEventTime(Instant.now()).build()));
            }
            clicks.flush();
            raw.send(new ProducerRecord<>(topic, "u1".getBytes(StandardCharsets.UTF_8),
                    "not avro".getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    private String awaitScrape(String url, Predicate<String> ready, String what) throws Exception {
        return awaitScrape(url, ready, what, null);
    }

    private String awaitScrape(String url, Predicate<String> ready, String what, Process process) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException("the process exited with " + process.exitValue() + " before " + what);
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    last = response.body();
                    if (ready.test(last)) {
                        return last;
                    }
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("timed out waiting for " + what + " at " + url + "; last scrape:\n" + last);
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** The sum of every sample of the series name (any labels). */
    static double sum(String exposition, String name) {
        return PrometheusText.parse(exposition).samples().stream().filter(sample -> sample.name().equals(name))
                .mapToDouble(PrometheusText.Sample::value).sum();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
