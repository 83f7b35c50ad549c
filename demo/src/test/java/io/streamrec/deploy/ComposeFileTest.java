package io.streamrec.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamrec.app.StreamsAppConfig;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.serde.AvroSerdeConfig;
import io.streamrec.schemas.topics.TopicCatalog;
import io.streamrec.trainer.release.KeygenCommand;
import io.streamrec.trainer.release.SigningKeys;
import io.streamrec.trainer.service.TrainerServiceConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code infra/docker-compose.yml} checked against the code: every streamrec service's environment keys,
 * commands, ports, health checks and volumes ({@link WorkloadChecks}), then what only compose has: the start-up
 * order, the broker's settings for the topic catalog, the registry's store topic, the two streams-app instances,
 * the key pair the keygen service writes, and which service builds which image.
 */
class ComposeFileTest {

    /** The path of the image's entrypoint, as a wrapper script must call it. */
    private static final String ENTRYPOINT_CALL = "/app/bin/entrypoint.sh \"$@\"";
    /** The trainer's release.artifact.dir in trainer.env. */
    private static final String RELEASE_ARTIFACTS = "/var/lib/streamrec/artifacts";

    /** The generator's registry flag, as its parser knows it. */
    private static final String GENERATOR_REGISTRY_FLAG = "--schema-registry-url";

    private static Endpoints endpoints;
    private static JsonNode services;

    @BeforeAll
    static void read() {
        endpoints = new Endpoints();
        services = Project.readYaml(Project.file("infra/docker-compose.yml")).path("services");
        assertThat(services.isObject()).as("compose file has services").isTrue();
    }

    @AfterAll
    static void stop() {
        endpoints.close();
    }

    @Test
    void everyStreamrecServiceHoldsTheInvariants() {
        List<String> problems = new ArrayList<>();
        List<Workload> workloads = workloads();
        assertThat(workloads).extracting(w -> w.invocation().program()).contains(Program.STREAMS_APP,
                Program.TRAINER_SERVE, Program.PROVISION_TOPICS, Program.TRAINER_KEYGEN, Program.GENERATE);
        for (Workload workload : workloads) {
            problems.addAll(WorkloadChecks.problems(workload, endpoints));
            if (workload.invocation().program().serves() && workload.probes().isEmpty()) {
                problems.add(workload.name() + ": a long-running service without a health check");
            }
        }
        problems.addAll(WorkloadChecks.sharedArtifactProblems(workloads));
        assertThat(workloads).filteredOn(w -> w.invocation().program() == Program.STREAMS_APP).as("every app mounts"
                + " the trainer's release files").allSatisfy(app -> assertThat(app.mountOf(RELEASE_ARTIFACTS))
                        .hasValueSatisfying(mount -> assertThat(mount.readOnly()).isTrue()));
        assertThat(problems).as("problems of the compose services").isEmpty();
    }

    @Test
    void servicesStartInDependencyOrder() {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, String>> dependencies = new LinkedHashMap<>();
        services.properties().forEach(entry -> {
            Map<String, String> conditions = new LinkedHashMap<>();
            entry.getValue().path("depends_on").properties().forEach(dependency ->
                    conditions.put(dependency.getKey(), dependency.getValue().path("condition").asText()));
            dependencies.put(entry.getKey(), conditions);
        });
        dependencies.forEach((service, conditions) -> conditions.forEach((target, condition) -> {
            JsonNode definition = services.path(target);
            if (definition.isMissingNode()) {
                problems.add(service + " depends on the unknown service " + target);
            } else if (condition.equals("service_healthy") && definition.path("healthcheck").isMissingNode()) {
                problems.add(service + " waits for " + target + " to be healthy, which has no health check");
            } else if (condition.equals("service_completed_successfully")
                    && !definition.path("restart").asText().equals("no")) {
                problems.add(service + " waits for " + target + " to complete, which is not a one-shot (restart: \"no\")");
            } else if (!Set.of("service_healthy", "service_completed_successfully").contains(condition)) {
                problems.add(service + " depends on " + target + " with condition '" + condition + "': start order"
                        + " without readiness");
            }
        }));
        for (String service : dependencies.keySet()) {
            if (reaches(dependencies, service, service, new HashSet<>())) {
                problems.add(service + " depends on itself");
            }
        }
        String kafka = serviceWithImage("apache/kafka");
        String registry = serviceWithImage("confluentinc/cp-schema-registry");
        String provisioning = serviceRunning(Program.PROVISION_TOPICS).get(0);
        String keygen = serviceRunning(Program.TRAINER_KEYGEN).get(0);
        assertThat(dependencies.get(provisioning)).containsEntry(kafka, "service_healthy");
        // The registry's store topic comes from the catalog: provisioning first.
        assertThat(dependencies.get(registry)).containsEntry(provisioning, "service_completed_successfully");
        for (Workload workload : workloads()) {
            if (!workload.invocation().program().readsConfiguration()) {
                continue;
            }
            String service = workload.name();
            Map<String, String> needs = dependencies.get(service);
            if (!"service_healthy".equals(needs.get(kafka))) {
                problems.add(service + " does not wait for " + kafka + " to be healthy");
            }
            if (!"service_completed_successfully".equals(needs.get(provisioning))) {
                problems.add(service + " does not wait for the topics (" + provisioning + ")");
            }
            if (workload.environment().containsKey(env(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG))
                    && !"service_healthy".equals(needs.get(registry))) {
                problems.add(service + " does not wait for " + registry + " to be healthy");
            }
            boolean usesKeys = workload.mounts().stream().anyMatch(mount -> mountsOf(keygen).stream()
                    .anyMatch(written -> written.volume().equals(mount.volume())));
            if (usesKeys && !"service_completed_successfully".equals(needs.get(keygen))) {
                problems.add(service + " reads the keys volume without waiting for " + keygen);
            }
        }
        // The click generator needs the topics and the registry, and sends once the apps can answer.
        for (String generator : serviceRunning(Program.GENERATE)) {
            Map<String, String> needs = dependencies.get(generator);
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put(kafka, "service_healthy");
            expected.put(provisioning, "service_completed_successfully");
            expected.put(registry, "service_healthy");
            serviceRunning(Program.STREAMS_APP).forEach(app -> expected.put(app, "service_healthy"));
            expected.forEach((target, condition) -> {
                if (!condition.equals(needs.get(target))) {
                    problems.add(generator + " does not wait for " + target + " (" + condition + ")");
                }
            });
        }
        assertThat(problems).as("start-up order").isEmpty();
    }

    @Test
    void theBrokerTakesTheCatalogsLargestRecordsAndServesTheAddressesTheServicesUse() throws IOException {
        String kafka = serviceWithImage("apache/kafka");
        JsonNode broker = services.path(kafka);
        assertThat(broker.path("image").asText()).as("the broker is the project's Kafka version")
                .isEqualTo("apache/kafka:" + kafkaClientsVersion());
        Map<String, String> environment = environment(broker);
        for (String key : List.of("KAFKA_MESSAGE_MAX_BYTES", "KAFKA_REPLICA_FETCH_MAX_BYTES")) {
            assertThat(Long.parseLong(environment.getOrDefault(key, "0"))).as(key + " vs the models topic")
                    .isGreaterThanOrEqualTo(TopicCatalog.MODELS_MAX_MESSAGE_BYTES);
        }
        assertThat(environment).containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        Set<String> advertised = new HashSet<>();
        for (String listener : environment.get("KAFKA_ADVERTISED_LISTENERS").split(",")) {
            advertised.add(listener.substring(listener.indexOf("://") + 3));
        }
        List<String> problems = new ArrayList<>();
        for (Workload workload : workloads()) {
            Program program = workload.invocation().program();
            String bootstrap = program == Program.PROVISION_TOPICS || program == Program.GENERATE
                    ? argumentAfter(workload.invocation().arguments(), WorkloadChecks.BOOTSTRAP_FLAG)
                    : workload.environment().get(env(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
            if (bootstrap == null) {
                continue;
            }
            for (String address : bootstrap.split(",")) {
                if (!advertised.contains(address) || !address.startsWith(kafka + ":")) {
                    problems.add(workload.name() + " bootstraps from " + address + ", which the broker does not"
                            + " advertise to containers (" + advertised + ")");
                }
            }
        }
        String store = environment(services.path(serviceWithImage("confluentinc/cp-schema-registry")))
                .get("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS").replace("PLAINTEXT://", "");
        if (!advertised.contains(store)) {
            problems.add("the schema registry's store bootstraps from " + store + ", not advertised");
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theRegistryKeepsItsSchemasInTheCatalogsTopicAndIsWhereTheServicesLook() {
        String registry = serviceWithImage("confluentinc/cp-schema-registry");
        Map<String, String> environment = environment(services.path(registry));
        assertThat(environment).containsEntry("SCHEMA_REGISTRY_KAFKASTORE_TOPIC", TopicCatalog.SCHEMAS.name());
        int port = URI.create(environment.get("SCHEMA_REGISTRY_LISTENERS")).getPort();
        List<String> urls = workloads().stream()
                .map(w -> w.invocation().program() == Program.GENERATE
                        ? argumentAfter(w.invocation().arguments(), GENERATOR_REGISTRY_FLAG)
                        : w.environment().get(env(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG)))
                .filter(java.util.Objects::nonNull).toList();
        assertThat(urls).hasSizeGreaterThan(serviceRunning(Program.GENERATE).size()).allSatisfy(url -> {
            URI uri = URI.create(url);
            assertThat(uri.getHost()).isEqualTo(registry);
            assertThat(uri.getPort()).isEqualTo(port);
        });
    }

    @Test
    void twoStreamsAppInstancesFormOneApplicationWithTheirOwnStateAndAddresses() {
        List<Workload> instances = workloads().stream()
                .filter(w -> w.invocation().program() == Program.STREAMS_APP).toList();
        assertThat(instances).hasSizeGreaterThanOrEqualTo(2);
        Set<String> applicationIds = new HashSet<>();
        Set<String> stateVolumes = new HashSet<>();
        for (Workload instance : instances) {
            Map<String, Object> configuration = instance.configuration();
            applicationIds.add(String.valueOf(configuration.get(StreamsConfig.APPLICATION_ID_CONFIG)));
            // Other instances forward to http.advertised.host: the service's name on the compose network.
            assertThat(configuration.get(StreamsAppConfig.HTTP_ADVERTISED_HOST_CONFIG)).as(instance.name())
                    .isEqualTo(instance.name());
            String stateDir = String.valueOf(configuration.get(StreamsConfig.STATE_DIR_CONFIG));
            stateVolumes.add(instance.mountOf(stateDir).orElseThrow().volume());
        }
        assertThat(applicationIds).as("one application.id").hasSize(1);
        assertThat(stateVolumes).as("a state volume per instance").hasSize(instances.size());
    }

    @Test
    void theTrainerSignsWithTheKeyThatKeygenWritesAndTheAppsTrustItsPublicHalf(@TempDir Path keysVolume)
            throws IOException {
        String keygenService = serviceRunning(Program.TRAINER_KEYGEN).get(0);
        Workload keygen = workloads().stream().filter(w -> w.name().equals(keygenService)).findFirst().orElseThrow();
        // Run the real keygen with its compose arguments, its output directory moved to a stand-in volume.
        List<String> arguments = new ArrayList<>(keygen.invocation().arguments());
        String directory = argumentAfter(arguments, "--dir");
        Workload.Mount written = keygen.mountOf(directory).orElseThrow();
        assertThat(written.readOnly()).isFalse();
        Path standIn = keysVolume.resolve(written.relative(directory).orElseThrow());
        arguments.set(arguments.indexOf("--dir") + 1, standIn.toString());
        assertThat(new CommandLine(new io.streamrec.trainer.cli.TrainerCli()).execute(arguments.toArray(String[]::new)))
                .as("keygen " + arguments).isZero();
        List<String> producedFiles;
        try (var files = Files.list(standIn)) {
            producedFiles = files.map(path -> path.getFileName().toString()).sorted().toList();
        }
        assertThat(producedFiles).hasSize(2);

        // The wrapper keeps an existing pair: it must test for the private key keygen writes.
        String keyPath = null;
        for (String file : producedFiles) {
            if (isSigningKey(standIn.resolve(file))) {
                keyPath = directory + "/" + file;
            }
        }
        assertThat(keyPath).as("keygen wrote a signing key").isNotNull();
        assertThat(services.path(keygenService).path("entrypoint").toString()).contains("[ -f " + keyPath + " ]");

        Path signingKey = null;
        Path trustedKey = null;
        for (Workload workload : workloads()) {
            Map<String, Object> configuration = workload.configuration();
            String file = switch (workload.invocation().program()) {
                case TRAINER_SERVE, TRAINER_ONCE ->
                        (String) configuration.get(TrainerServiceConfig.RELEASE_SIGNING_KEY_FILE_CONFIG);
                case STREAMS_APP -> (String) configuration.get(StreamsAppConfig.MODEL_TRUSTED_KEYS_FILE_CONFIG);
                default -> null;
            };
            if (file == null) {
                continue;
            }
            Workload.Mount mount = workload.mountOf(file).orElseThrow(() -> new AssertionError(workload.name()));
            assertThat(mount.volume()).as(workload.name() + " reads its key from keygen's volume")
                    .isEqualTo(written.volume());
            assertThat(mount.readOnly()).as(workload.name() + " mounts the keys read-only").isTrue();
            Path local = keysVolume.resolve(mount.relative(file).orElseThrow());
            assertThat(local).as(workload.name() + ": " + file + " is a file keygen writes").exists();
            if (workload.invocation().program() == Program.STREAMS_APP) {
                trustedKey = local;
            } else {
                signingKey = local;
            }
        }
        assertThat(signingKey).as("the trainer's signing key").isNotNull();
        assertThat(trustedKey).as("the streams apps' trusted key").isNotNull();
        assertThat(ReleaseKeys.readPublicKeys(Files.readString(trustedKey)))
                .containsExactly(SigningKeys.fromFile(signingKey).publicKey());
        // The keygen command the wrapper calls is the one these tests ran.
        assertThat(KeygenCommand.class.getAnnotation(CommandLine.Command.class).name())
                .isEqualTo(keygen.invocation().arguments().get(0));
    }

    @Test
    void eachStreamrecImageIsBuiltOnceFromItsDockerfileAndUsedUnderOneTag() {
        Map<Image, List<String>> builders = new HashMap<>();
        Map<Image, Set<String>> references = new HashMap<>();
        services.properties().forEach(entry -> {
            JsonNode service = entry.getValue();
            Optional<Image> image = Image.of(service.path("image").asText());
            if (image.isEmpty()) {
                return;
            }
            references.computeIfAbsent(image.get(), i -> new HashSet<>()).add(service.path("image").asText());
            JsonNode build = service.path("build");
            if (build.isMissingNode()) {
                assertThat(service.path("pull_policy").asText()).as(entry.getKey() + ": a local image is never pulled")
                        .isEqualTo("never");
            } else {
                builders.computeIfAbsent(image.get(), i -> new ArrayList<>()).add(entry.getKey());
                assertThat(build.path("context").asText()).as(entry.getKey()).isEqualTo("..");
                assertThat(build.path("dockerfile").asText()).as(entry.getKey())
                        .isEqualTo(image.get().dockerfilePath());
            }
        });
        for (Image image : Image.values()) {
            assertThat(builders.get(image)).as("services building " + image).hasSize(1);
            assertThat(references.get(image)).as("tags of " + image).hasSize(1);
        }
    }

    @Test
    void theClickGeneratorSendsToTheTopicTheStreamsAppsReadAndRunsUntilStopped() {
        List<String> generators = serviceRunning(Program.GENERATE);
        for (Workload generator : workloads()) {
            if (generator.invocation().program() != Program.GENERATE) {
                continue;
            }
            // Parsed by the real command line: its topic (the flag or the default) and its duration.
            CommandLine.Model.CommandSpec command = new CommandLine(new io.streamrec.demo.StreamrecCli())
                    .parseArgs(generator.invocation().arguments().toArray(String[]::new)).subcommand().commandSpec();
            String topic = command.findOption("--topic").getValue();
            long duration = command.findOption("--duration-seconds").<Long>getValue();
            double rate = command.findOption("--rate").<Double>getValue();
            Map<String, String> topicsRead = new LinkedHashMap<>();
            for (Workload app : workloads()) {
                if (app.invocation().program() == Program.STREAMS_APP) {
                    topicsRead.put(app.name(), new StreamsAppConfig(withAppDefaults(app.configuration())).clicksTopic());
                }
            }
            assertThat(topicsRead).as("clicks.topic of the streams apps").isNotEmpty()
                    .allSatisfy((app, read) -> assertThat(read).as(app).isEqualTo(topic));
            assertThat(duration).as(generator.name() + " runs until stopped").isZero();
            assertThat(rate).as(generator.name() + " --rate").isPositive();
            assertThat(services.path(generator.name()).path("restart").asText())
                    .as(generator.name() + " starts again after a failure").isIn("on-failure", "unless-stopped", "always");
        }
        assertThat(generators).hasSize(1);
    }

    @Test
    void provisioningUsesTheReplicationFactorOfTheStreamsAppsInternalTopics() {
        Workload provisioning = workloads().stream()
                .filter(w -> w.invocation().program() == Program.PROVISION_TOPICS).findFirst().orElseThrow();
        String replication = argumentAfter(provisioning.invocation().arguments(), "--replication-factor");
        for (Workload app : workloads()) {
            if (app.invocation().program() == Program.STREAMS_APP) {
                assertThat(app.configuration().get(StreamsConfig.REPLICATION_FACTOR_CONFIG)).as(app.name())
                        .isEqualTo(replication);
            }
        }
    }

    @Test
    void prometheusScrapesEveryServingStreamrecServiceOnItsMetricsListenerAndLoadsTheAlertRules() {
        String prometheus = serviceWithImage("prom/prometheus");
        List<String> arguments = strings(services.path(prometheus).path("command"));
        Path config = mounted(prometheus, optionValue(arguments, "--config.file"));
        JsonNode scrapeConfig = Project.readYaml(config);
        Map<String, String> jobOfTarget = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode job : scrapeConfig.path("scrape_configs")) {
            String path = job.path("metrics_path").asText("/metrics");
            for (JsonNode group : job.path("static_configs")) {
                for (JsonNode target : group.path("targets")) {
                    if (jobOfTarget.put(target.asText(), job.path("job_name").asText()) != null) {
                        problems.add(target.asText() + " is scraped twice");
                    }
                    String[] hostPort = target.asText().split(":");
                    Workload workload = workloads().stream().filter(w -> w.name().equals(hostPort[0])).findFirst()
                            .orElse(null);
                    if (workload == null || !workload.invocation().program().serves()) {
                        problems.add(target.asText() + " is no serving streamrec service");
                        continue;
                    }
                    Program program = workload.invocation().program();
                    Map<String, Integer> ports = ConfigKeys.httpPorts(program, workload.configuration());
                    int metricsPort = ports.get(ConfigKeys.probePortKey(program));
                    if (Integer.parseInt(hostPort[1]) != metricsPort) {
                        problems.add(target.asText() + ": the metrics listener of " + program + " is port " + metricsPort);
                    }
                    boolean management = !ConfigKeys.probePortKey(program).equals(ports.keySet().iterator().next());
                    if (endpoints.kindOf(program, path, management).orElse(null) != Endpoints.Kind.METRICS) {
                        problems.add(target.asText() + ": " + path + " is not the metrics endpoint of " + program);
                    }
                    if (!job.path("job_name").asText().equals(jobName(program))) {
                        problems.add(target.asText() + ": job " + job.path("job_name").asText() + ", but the alert"
                                + " rules and dashboards call " + program + "'s job " + jobName(program));
                    }
                }
            }
        }
        for (Workload workload : workloads()) {
            if (workload.invocation().program().serves() && jobOfTarget.keySet().stream()
                    .noneMatch(target -> target.startsWith(workload.name() + ":"))) {
                problems.add(workload.name() + " is not scraped");
            }
        }
        List<Path> ruleFiles = new ArrayList<>();
        scrapeConfig.path("rule_files").forEach(file -> ruleFiles.add(mounted(prometheus, file.asText())));
        assertThat(ruleFiles).as("rule files").containsExactly(MonitoringFiles.ALERTS);
        assertThat(problems).as("scrape targets").isEmpty();
    }

    @Test
    void grafanaReadsPrometheusAndTheDashboardsWhereComposeMountsThem() {
        String prometheus = serviceWithImage("prom/prometheus");
        String grafana = serviceWithImage("grafana/grafana");
        Path provisioning = mounted(grafana, "/etc/grafana/provisioning");
        List<JsonNode> dataSources = new ArrayList<>();
        Project.readYaml(provisioning.resolve("datasources/prometheus.yml")).path("datasources")
                .forEach(dataSources::add);
        assertThat(dataSources).singleElement().satisfies(source -> {
            assertThat(source.path("type").asText()).isEqualTo("prometheus");
            URI url = URI.create(source.path("url").asText());
            assertThat(url.getHost()).isEqualTo(prometheus);
            String listen = optionValue(strings(services.path(prometheus).path("command")), "--web.listen-address");
            assertThat(url.getPort()).isEqualTo(listen == null ? 9090 : Integer.parseInt(listen.replaceAll(".*:", "")));
        });
        List<JsonNode> providers = new ArrayList<>();
        Project.readYaml(provisioning.resolve("dashboards/streamrec.yml")).path("providers").forEach(providers::add);
        assertThat(providers).singleElement().satisfies(provider -> assertThat(
                mounted(grafana, provider.path("options").path("path").asText())).isEqualTo(MonitoringFiles.DASHBOARDS));
        String home = environment(services.path(grafana)).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        assertThat(mounted(grafana, home)).exists();
        assertThat(services.path(grafana).path("depends_on").path(prometheus).path("condition").asText())
                .isEqualTo("service_healthy");
    }

    @Test
    void everyImageNotBuiltHereIsPinnedToARelease() {
        services.properties().forEach(entry -> {
            String image = entry.getValue().path("image").asText();
            if (Image.of(image).isEmpty()) {
                String tag = image.substring(image.lastIndexOf(':') + 1);
                assertThat(image).as(entry.getKey()).contains(":");
                assertThat(tag).as(entry.getKey() + " tag").matches("v?[0-9]+\\.[0-9]+\\.[0-9]+.*");
            }
        });
    }

    /** The job name the alert rules and dashboards give a program's targets (their pods' app label in k8s). */
    static String jobName(Program program) {
        return switch (program) {
            case STREAMS_APP -> "streams-app";
            case TRAINER_SERVE -> "trainer";
            default -> throw new IllegalArgumentException(program + " is not scraped");
        };
    }

    /** The repository file a container path of a service's bind mount ({@code ./dir:/path}) shows. */
    private static Path mounted(String service, String containerPath) {
        for (JsonNode volume : services.path(service).path("volumes")) {
            String[] parts = volume.asText().split(":");
            if (!parts[0].startsWith(".")) {
                continue;
            }
            String target = parts[1].endsWith("/") ? parts[1] : parts[1] + "/";
            if (containerPath.equals(parts[1]) || containerPath.startsWith(target)) {
                Path host = Project.file("infra").resolve(parts[0]).normalize();
                return containerPath.equals(parts[1]) ? host
                        : host.resolve(containerPath.substring(target.length())).normalize();
            }
        }
        throw new AssertionError(service + " mounts nothing of the repository at " + containerPath);
    }

    /** The value of a {@code --name=value} or {@code --name value} option, or null. */
    private static String optionValue(List<String> arguments, String name) {
        for (int i = 0; i < arguments.size(); i++) {
            if (arguments.get(i).startsWith(name + "=")) {
                return arguments.get(i).substring(name.length() + 1);
            }
            if (arguments.get(i).equals(name) && i + 1 < arguments.size()) {
                return arguments.get(i + 1);
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Every service that runs a streamrec image, as a workload. */
    static List<Workload> workloads() {
        List<Workload> workloads = new ArrayList<>();
        services.properties().forEach(entry -> Image.of(entry.getValue().path("image").asText()).ifPresent(image ->
                workloads.add(workload(entry.getKey(), entry.getValue(), image))));
        return workloads;
    }

    private static Workload workload(String name, JsonNode service, Image image) {
        List<String> arguments = service.has("command") ? strings(service.path("command"))
                : image.dockerfile().execForm("CMD");
        if (service.has("entrypoint")) {
            List<String> entrypoint = strings(service.path("entrypoint"));
            // Only a shell wrapper that hands its arguments to the image's entrypoint is understood.
            assertThat(entrypoint).as(name + " entrypoint").hasSize(4);
            assertThat(entrypoint.subList(0, 2)).as(name).containsExactly("/bin/sh", "-c");
            assertThat(entrypoint.get(2).replace("$$", "$")).as(name).contains("exec " + ENTRYPOINT_CALL);
        }
        Program.Invocation invocation = Program.of(image, arguments);
        List<Integer> ports = new ArrayList<>();
        for (JsonNode port : service.path("ports")) {
            String[] parts = port.asText().split(":");
            ports.add(Integer.valueOf(parts[parts.length - 1]));
        }
        List<Workload.Probe> probes = new ArrayList<>();
        JsonNode test = service.path("healthcheck").path("test");
        if (!test.isMissingNode()) {
            List<String> words = strings(test);
            URI uri = URI.create(words.get(words.size() - 1));
            assertThat(uri.getHost()).as(name + " health check host").isEqualTo("localhost");
            probes.add(new Workload.Probe("healthcheck", Endpoints.Kind.READY, uri.getPath(), uri.getPort()));
        }
        return new Workload(name, invocation, environment(service), mountsOf(name), ports, probes,
                Optional.empty(), Optional.empty());
    }

    private static List<Workload.Mount> mountsOf(String serviceName) {
        List<Workload.Mount> mounts = new ArrayList<>();
        for (JsonNode volume : services.path(serviceName).path("volumes")) {
            String[] parts = volume.asText().split(":");
            assertThat(parts[0]).as(serviceName + ": named volumes only").doesNotStartWith(".").doesNotStartWith("/");
            mounts.add(new Workload.Mount(parts[1], parts[0], Workload.Source.PERSISTENT,
                    parts.length > 2 && parts[2].equals("ro"), Map.of(), Optional.empty()));
        }
        return mounts;
    }

    /** The service's environment: its env_file(s), then its environment section, as compose merges them. */
    private static Map<String, String> environment(JsonNode service) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (JsonNode file : service.path("env_file")) {
            environment.putAll(Project.readEnvFile(Project.file("infra").resolve(file.asText())));
        }
        JsonNode section = service.path("environment");
        if (section.isArray()) {
            for (JsonNode item : section) {
                String[] nameValue = item.asText().split("=", 2);
                environment.put(nameValue[0], nameValue.length > 1 ? nameValue[1] : "");
            }
        } else {
            section.properties().forEach(entry -> environment.put(entry.getKey(), entry.getValue().asText()));
        }
        return environment;
    }

    private static Map<String, Object> withAppDefaults(Map<String, Object> configuration) {
        Map<String, Object> merged = io.streamrec.app.StreamsAppSettings.defaults();
        merged.putAll(configuration);
        return merged;
    }

    private static List<String> strings(JsonNode node) {
        List<String> strings = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(item -> strings.add(item.asText()));
        } else {
            strings.addAll(List.of(node.asText().trim().split("\\s+")));
        }
        return strings;
    }

    private static String serviceWithImage(String repository) {
        List<String> found = new ArrayList<>();
        services.properties().forEach(entry -> {
            if (entry.getValue().path("image").asText().startsWith(repository + ":")) {
                found.add(entry.getKey());
            }
        });
        assertThat(found).as("services running " + repository).hasSize(1);
        return found.get(0);
    }

    private static List<String> serviceRunning(Program program) {
        List<String> found = workloads().stream().filter(w -> w.invocation().program() == program)
                .map(Workload::name).toList();
        assertThat(found).as("services running " + program).isNotEmpty();
        return found;
    }

    private static boolean reaches(Map<String, Map<String, String>> dependencies, String from, String target,
                                   Set<String> seen) {
        for (String next : dependencies.getOrDefault(from, Map.of()).keySet()) {
            if (next.equals(target) || (seen.add(next) && reaches(dependencies, next, target, seen))) {
                return true;
            }
        }
        return false;
    }

    /** The version of the kafka-clients jar on the class path (the resource Kafka's own AppInfoParser reads). */
    private static String kafkaClientsVersion() throws IOException {
        java.util.Properties properties = new java.util.Properties();
        try (var in = org.apache.kafka.clients.producer.KafkaProducer.class
                .getResourceAsStream("/kafka/kafka-version.properties")) {
            assertThat(in).as("kafka-version.properties").isNotNull();
            properties.load(in);
        }
        return properties.getProperty("version");
    }

    private static boolean isSigningKey(Path file) {
        try {
            SigningKeys.fromFile(file);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String argumentAfter(List<String> arguments, String flag) {
        int index = arguments.indexOf(flag);
        assertThat(index).as(flag + " in " + arguments).isNotNegative();
        return arguments.get(index + 1);
    }

    private static String env(String key) {
        return io.streamrec.schemas.config.ConfigSources.environmentVariableOf(key);
    }
}
