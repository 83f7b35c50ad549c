package io.streamrec.demo.chaos;

import io.streamrec.app.StreamsAppConfig;
import io.streamrec.demo.bench.ChildJvm;
import io.streamrec.trainer.service.TrainerServiceConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The processes a chaos scenario runs and breaks, each in its own JVM on 127.0.0.1: the Kafka broker, the schema
 * registry, the streams-app instances and the trainer service. Ports are fixed for the cluster's lifetime, so a
 * restarted process comes back at the same address (as a Kubernetes pod with a stable name would), and each
 * app instance keeps its state directory across restarts (a persistent volume).
 *
 * <p>Lifetime: {@link #close()} stops every process. Thread-safe where the methods say so; scenarios drive it
 * from one thread while the sampler reads it.
 */
final class ChaosCluster implements AutoCloseable {

    /** Where the jars are and how to run the apps. Immutable. */
    record Settings(Path directory, Path devstackJar, Path appJar, Path trainerJar, List<String> appJvmOptions,
                    Map<String, String> appOverrides, Map<String, String> trainerOverrides) {
        Settings {
            appJvmOptions = List.copyOf(appJvmOptions);
            appOverrides = Map.copyOf(appOverrides);
            trainerOverrides = Map.copyOf(trainerOverrides);
        }
    }

    /** One app instance's addresses. */
    record AppPorts(int http, int management) { }

    static final String APPLICATION_ID = "chaos";
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    private final Settings settings;
    private final int brokerPort;
    private final int controllerPort;
    private final int registryPort;
    private final int trainerPort;
    private final ChildJvm broker;
    private final ChildJvm registry;
    private final List<ChildJvm> apps = new ArrayList<>();
    private final List<AppPorts> appPorts = new ArrayList<>();
    private final Path trustedKeys;
    private final Path signingKey;
    private ChildJvm trainer; // guarded by 'this'
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "chaos-sampler");
        thread.setDaemon(true);
        return thread;
    });

    ChaosCluster(Settings settings, Path trustedKeys, Path signingKey) throws IOException {
        this.settings = settings;
        this.trustedKeys = trustedKeys;
        this.signingKey = signingKey;
        this.brokerPort = freePort();
        this.controllerPort = freePort();
        this.registryPort = freePort();
        this.trainerPort = freePort();
        Path dir = settings.directory();
        this.broker = ChildJvm.of("broker", settings.devstackJar(), List.of("-Xmx1g"), List.of("--component",
                "broker", "--data-dir", dir.resolve("broker").toString(), "--broker-port", Integer.toString(brokerPort),
                "--controller-port", Integer.toString(controllerPort)), dir.resolve("logs/broker.log"));
        this.registry = ChildJvm.of("registry", settings.devstackJar(), List.of("-Xmx256m"), List.of("--component",
                "registry", "--bootstrap-servers", bootstrapServers(), "--registry-port",
                Integer.toString(registryPort)), dir.resolve("logs/registry.log"));
        sampler.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    String registryUrl() {
        return "http://127.0.0.1:" + registryPort;
    }

    /** Client settings for the harness's own producers and consumers. */
    Map<String, Object> clientConfig() {
        return Map.of("bootstrap.servers", bootstrapServers(), "schema.registry.url", registryUrl());
    }

    ChildJvm broker() {
        return broker;
    }

    ChildJvm registry() {
        return registry;
    }

    /** Starts the broker and the registry and waits until both answer. */
    void startStack() throws IOException, InterruptedException {
        broker.start();
        Waits.until(Duration.ofMinutes(2), "the broker at " + bootstrapServers(), () -> Waits.brokerAnswers(
                bootstrapServers()));
        registry.start();
        Waits.until(Duration.ofMinutes(1), "the registry at " + registryUrl(), () -> Waits.httpAnswers(http,
                registryUrl() + "/subjects"));
    }

    /** Creates app instance {@code index} (0-based; not started). Synchronized with the sampler. */
    synchronized ChildJvm addApp() {
        int index = apps.size();
        AppPorts ports = new AppPorts(freePort(), freePort());
        Path appDir = settings.directory().resolve("app-" + (index + 1));
        Map<String, String> config = new LinkedHashMap<>();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put("schema.registry.url", registryUrl());
        config.put(StreamsConfig.STATE_DIR_CONFIG, appDir.resolve("state").toString());
        config.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "1");
        config.put(StreamsAppConfig.HTTP_HOST_CONFIG, "127.0.0.1");
        config.put(StreamsAppConfig.HTTP_PORT_CONFIG, Integer.toString(ports.http()));
        config.put(StreamsAppConfig.HTTP_MANAGEMENT_PORT_CONFIG, Integer.toString(ports.management()));
        config.put(StreamsAppConfig.MODEL_TRUSTED_KEYS_FILE_CONFIG, trustedKeys.toString());
        config.putAll(settings.appOverrides());
        List<String> arguments = new ArrayList<>();
        config.forEach((key, value) -> {
            arguments.add("--set");
            arguments.add(key + "=" + value);
        });
        ChildJvm app = ChildJvm.of("app-" + (index + 1), settings.appJar(), settings.appJvmOptions(), arguments,
                settings.directory().resolve("logs/app-" + (index + 1) + ".log"));
        apps.add(app);
        appPorts.add(ports);
        return app;
    }

    synchronized List<ChildJvm> apps() {
        return List.copyOf(apps);
    }

    synchronized AppPorts ports(ChildJvm app) {
        return appPorts.get(apps.indexOf(app));
    }

    /** Starts an app instance and waits until it serves {@code version} (or any model when it is -1). */
    void startApp(ChildJvm app, long version) throws IOException, InterruptedException {
        app.start();
        awaitServing(app, version);
    }

    /** Waits until the instance's API reports {@code version} serving (-1: any model). */
    void awaitServing(ChildJvm app, long version) throws InterruptedException {
        String url = "http://127.0.0.1:" + ports(app).http() + "/models";
        Waits.until(READY_TIMEOUT, app.name() + " serving " + (version < 0 ? "a model" : "v" + version), () -> {
            if (!app.running()) {
                throw new IllegalStateException(app.name() + " is not running; see its log");
            }
            long serving = servingVersion(app);
            return version < 0 ? serving > 0 : serving == version;
        });
    }

    /** The version the instance serves, -1 without a model or when it does not answer. */
    long servingVersion(ChildJvm app) {
        String url = "http://127.0.0.1:" + ports(app).http() + "/models";
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return -1;
            }
            java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\"version\"\\s*:\\s*(\\d+)")
                    .matcher(response.body());
            return response.body().contains("\"serving\":null") || !matcher.find() ? -1
                    : Long.parseLong(matcher.group(1));
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Starts (or restarts) the trainer service; it refits at once when {@code refitOnStart}. */
    synchronized ChildJvm startTrainer(boolean refitOnStart) throws IOException {
        if (trainer == null) {
            Map<String, String> config = new LinkedHashMap<>();
            config.put("bootstrap.servers", bootstrapServers());
            config.put("schema.registry.url", registryUrl());
            config.put(TrainerServiceConfig.RELEASE_SIGNING_KEY_FILE_CONFIG, signingKey.toString());
            config.put(TrainerServiceConfig.HTTP_HOST_CONFIG, "127.0.0.1");
            config.put(TrainerServiceConfig.HTTP_PORT_CONFIG, Integer.toString(trainerPort));
            config.put(TrainerServiceConfig.REPORT_DIR_CONFIG, settings.directory().resolve("trainer-reports")
                    .toString());
            config.put(TrainerServiceConfig.TRAIN_WARM_START_DIR_CONFIG, settings.directory().resolve(
                    "trainer-state").toString());
            config.put(TrainerServiceConfig.SERVICE_INTERVAL_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis()));
            config.put(TrainerServiceConfig.SERVICE_REFIT_ON_START_CONFIG, Boolean.toString(refitOnStart));
            config.putAll(settings.trainerOverrides());
            List<String> arguments = new ArrayList<>(List.of("serve"));
            config.forEach((key, value) -> {
                arguments.add("--set");
                arguments.add(key + "=" + value);
            });
            trainer = ChildJvm.of("trainer", settings.trainerJar(), List.of("-Xmx1g"), arguments,
                    settings.directory().resolve("logs/trainer.log"));
        }
        trainer.start();
        return trainer;
    }

    synchronized ChildJvm trainer() {
        return trainer;
    }

    Path trainerLog() {
        return settings.directory().resolve("logs/trainer.log");
    }

    /** Every process of the cluster so far. */
    synchronized List<ChildJvm> processes() {
        List<ChildJvm> all = new ArrayList<>(List.of(broker, registry));
        all.addAll(apps);
        if (trainer != null) {
            all.add(trainer);
        }
        return all;
    }

    private void sample() {
        for (ChildJvm process : processes()) {
            process.sample();
        }
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        List<ChildJvm> all = processes();
        // Apps and trainer first, so they do not spend their shutdown retrying a broker that is gone.
        for (int i = all.size() - 1; i >= 0; i--) {
            all.get(i).close();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
