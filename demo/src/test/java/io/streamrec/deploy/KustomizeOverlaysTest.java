package io.streamrec.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.streamrec.app.StreamsAppConfig;
import io.streamrec.schemas.config.ConfigSources;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.trainer.release.SigningKeys;
import io.streamrec.trainer.service.TrainerServiceConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Every kustomize overlay in {@code k8s/overlays}, rendered by {@code kubectl kustomize} (skipped with a message
 * where kubectl is absent), read into fabric8's typed objects with no unknown field, and checked against the
 * code: each container through {@link WorkloadChecks} (configuration keys and values, ports, probes, mounted
 * files, the provisioning command's flags), then the Kubernetes-only invariants: references resolve, the
 * streams app's StatefulSet, headless service, advertised host and disruption budget, Services that publish
 * the API port and never the management listener's, the signing key and its trusted public half,
 * placeholder-only Secrets, the CronJob's exit codes, and each overlay's sizing.
 */
class KustomizeOverlaysTest {

    /** The annotations Prometheus' Kubernetes service discovery reads (by the common convention). */
    private static final String SCRAPE = "prometheus.io/scrape";
    private static final String SCRAPE_PORT = "prometheus.io/port";
    private static final String SCRAPE_PATH = "prometheus.io/path";
    private static final String ENTRYPOINT_CALL = "/app/bin/entrypoint.sh \"$@\"";
    /** Where components/shared-artifacts mounts the release files. */
    private static final String RELEASE_ARTIFACTS = "/var/lib/streamrec/artifacts";
    private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    private static final Map<String, List<HasMetadata>> RENDERED = new ConcurrentHashMap<>();
    private static Endpoints endpoints;

    @BeforeAll
    static void start() {
        Manifests.kubectlUnavailable().ifPresent(reason ->
                Assumptions.abort("kubectl is needed to render k8s/overlays: " + reason));
        endpoints = new Endpoints();
    }

    @AfterAll
    static void stop() {
        if (endpoints != null) {
            endpoints.close();
        }
    }

    /** The rendered overlay as typed objects (rendered once per test class). */
    private static List<HasMetadata> objects(String overlay) {
        return RENDERED.computeIfAbsent(overlay, name ->
                Manifests.parse(Manifests.render(Project.file("k8s/overlays/" + name))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "monitoring", "large-catalogue"})
    void theOverlayRendersIntoTypedObjectsWithoutUnknownFields(String overlay) {
        List<HasMetadata> objects = objects(overlay);
        assertThat(objects).extracting(HasMetadata::getKind).contains("StatefulSet", "Service", "Deployment",
                "CronJob", "Job", "PodDisruptionBudget", "ConfigMap");
        List<String> unknown = new ArrayList<>();
        for (HasMetadata object : objects) {
            if (object instanceof GenericKubernetesResource) {
                continue; // a custom resource (prometheus-operator, Strimzi): checked by the tests of its overlay
            }
            Manifests.unknownFields(object).forEach(field -> unknown.add(id(object) + ": " + field));
            assertThat(object.getMetadata().getNamespace()).as(id(object) + " namespace").isNotBlank();
        }
        assertThat(unknown).as("fields the Kubernetes model does not know (typos?)").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "monitoring", "large-catalogue"})
    void everyContainerHoldsTheInvariants(String overlay) {
        List<String> problems = new ArrayList<>();
        List<Workload> workloads = workloads(overlay, problems);
        assertThat(workloads).extracting(w -> w.invocation().program()).contains(Program.STREAMS_APP,
                Program.TRAINER_SERVE, Program.TRAINER_ONCE, Program.PROVISION_TOPICS);
        for (Workload workload : workloads) {
            problems.addAll(WorkloadChecks.problems(workload, endpoints));
            if (workload.invocation().program().serves()) {
                for (String role : List.of("livenessProbe", "readinessProbe", SCRAPE)) {
                    if (workload.probes().stream().noneMatch(probe -> probe.role().equals(role))) {
                        problems.add(workload.name() + ": no " + role);
                    }
                }
            }
            String user = workload.invocation().image().dockerfile().runtime("USER").get(0).split(":")[0];
            if (!workload.runAsUser().map(String::valueOf).orElse("").equals(user)) {
                problems.add(workload.name() + ": runAsUser " + workload.runAsUser().orElse(null) + " is not the"
                        + " image's USER " + user);
            }
        }
        problems.addAll(WorkloadChecks.sharedArtifactProblems(workloads));
        assertThat(problems).as("problems of the " + overlay + " overlay").isEmpty();
    }

    @org.junit.jupiter.api.Test
    void theLargeCatalogueOverlaySharesTheTrainersReleaseFilesWithEveryAppThroughOneReadWriteManyClaim() {
        List<Workload> workloads = workloads("large-catalogue", new ArrayList<>());
        List<Workload> trainers = workloads.stream().filter(w -> w.invocation().program() == Program.TRAINER_SERVE
                || w.invocation().program() == Program.TRAINER_ONCE).toList();
        assertThat(trainers).hasSize(2).allSatisfy(trainer -> assertThat(trainer.mountOf(RELEASE_ARTIFACTS))
                .as(trainer.name()).hasValueSatisfying(mount -> assertThat(mount.readOnly()).isFalse()));
        assertThat(configurationOf("large-catalogue", Program.TRAINER_SERVE)
                .get(TrainerServiceConfig.RELEASE_ARTIFACT_DIR_CONFIG)).isEqualTo(RELEASE_ARTIFACTS);
        assertThat(WorkloadChecks.sharedArtifactProblems(workloads)).isEmpty();
        PersistentVolumeClaim claim = objects("large-catalogue").stream()
                .filter(o -> o instanceof PersistentVolumeClaim pvc
                        && pvc.getMetadata().getName().equals("release-artifacts"))
                .map(PersistentVolumeClaim.class::cast).findFirst().orElseThrow();
        assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
        assertThat(configurationOf("prod", Program.TRAINER_SERVE))
                .doesNotContainKey(TrainerServiceConfig.RELEASE_ARTIFACT_DIR_CONFIG);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "monitoring", "large-catalogue"})
    void podsAreNonRootWithRequestsAndLimits(String overlay) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<HasMetadata, PodTemplateSpec> entry : podTemplates(overlay).entrySet()) {
            PodSecurityContext security = entry.getValue().getSpec().getSecurityContext();
            if (security == null || !Boolean.TRUE.equals(security.getRunAsNonRoot())) {
                problems.add(id(entry.getKey()) + ": runAsNonRoot is not set");
            }
            for (Container container : entry.getValue().getSpec().getContainers()) {
                var resources = container.getResources();
                for (String resource : List.of("cpu", "memory")) {
                    if (resources == null || resources.getRequests() == null
                            || !resources.getRequests().containsKey(resource)) {
                        problems.add(id(entry.getKey()) + "/" + container.getName() + ": no " + resource + " request");
                    }
                    if (resources == null || resources.getLimits() == null
                            || !resources.getLimits().containsKey(resource)) {
                        problems.add(id(entry.getKey()) + "/" + container.getName() + ": no " + resource + " limit");
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "monitoring", "large-catalogue"})
    void theStreamsAppIsAStatefulSetAdvertisingItsPodsNameBehindTheHeadlessService(String overlay) {
        List<HasMetadata> objects = objects(overlay);
        StatefulSet statefulSet = only(objects, StatefulSet.class);
        Map<String, String> podLabels = statefulSet.getSpec().getTemplate().getMetadata().getLabels();
        Service headless = objects.stream().filter(Service.class::isInstance).map(Service.class::cast)
                .filter(s -> s.getMetadata().getName().equals(statefulSet.getSpec().getServiceName()))
                .findFirst().orElseThrow(() -> new AssertionError("no Service " + statefulSet.getSpec().getServiceName()));
        assertThat(headless.getSpec().getClusterIP()).as("headless").isEqualTo("None");
        assertThat(headless.getSpec().getPublishNotReadyAddresses()).as("pods resolvable before ready").isTrue();
        assertThat(podLabels).containsAllEntriesOf(headless.getSpec().getSelector());

        Container app = statefulSet.getSpec().getTemplate().getSpec().getContainers().get(0);
        List<EnvVar> env = app.getEnv();
        String advertised = ConfigSources.environmentVariableOf(StreamsAppConfig.HTTP_ADVERTISED_HOST_CONFIG);
        int at = indexOf(env, advertised);
        assertThat(at).as(advertised + " is set").isNotNegative();
        Matcher references = REFERENCE.matcher(env.get(at).getValue());
        List<String> used = new ArrayList<>();
        while (references.find()) {
            used.add(references.group(1));
        }
        assertThat(used).hasSize(2);
        // <pod>.<headless service>.<namespace>.svc, the pod's own DNS record, from the downward API.
        assertThat(env.get(at).getValue()).isEqualTo("$(" + used.get(0) + ")." + headless.getMetadata().getName()
                + ".$(" + used.get(1) + ").svc");
        assertThat(fieldRef(env, used.get(0), at)).isEqualTo("metadata.name");
        assertThat(fieldRef(env, used.get(1), at)).isEqualTo("metadata.namespace");

        PodDisruptionBudget budget = only(objects, PodDisruptionBudget.class);
        assertThat(podLabels).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
        assertThat(budget.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));

        Map<String, Object> configuration = configurationOf(overlay, Program.STREAMS_APP);
        int standbys = Integer.parseInt(ConfigKeys.value(Program.STREAMS_APP, configuration,
                StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG));
        assertThat(standbys).as("standby replicas need other instances").isLessThan(statefulSet.getSpec().getReplicas());
        // The catalog's topics and Kafka Streams' internal topics at one replication factor.
        Workload provisioning = workloads(overlay, new ArrayList<>()).stream()
                .filter(w -> w.invocation().program() == Program.PROVISION_TOPICS).findFirst().orElseThrow();
        assertThat(configuration.get(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(
                ComposeFileTest.argumentAfter(provisioning.invocation().arguments(), "--replication-factor"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "monitoring", "large-catalogue"})
    void theStreamsAppsServicesPublishItsApiPortAndNeverItsManagementListener(String overlay) {
        List<HasMetadata> objects = objects(overlay);
        StatefulSet statefulSet = only(objects, StatefulSet.class);
        Map<String, String> podLabels = statefulSet.getSpec().getTemplate().getMetadata().getLabels();
        Map<String, Integer> namedPorts = new LinkedHashMap<>();
        for (ContainerPort port : statefulSet.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts()) {
            namedPorts.put(port.getName(), port.getContainerPort());
        }
        Map<String, Integer> ports = ConfigKeys.httpPorts(Program.STREAMS_APP,
                configurationOf(overlay, Program.STREAMS_APP));
        List<String> targets = new ArrayList<>();
        for (HasMetadata object : objects) {
            if (object instanceof Service service && service.getSpec().getSelector() != null
                    && podLabels.entrySet().containsAll(service.getSpec().getSelector().entrySet())) {
                for (ServicePort port : service.getSpec().getPorts()) {
                    IntOrString target = port.getTargetPort();
                    Integer number = target.getIntVal() != null ? target.getIntVal()
                            : namedPorts.get(target.getStrVal());
                    targets.add(id(service) + " -> " + number);
                    assertThat(number).as(id(service) + " port " + port.getName())
                            .isEqualTo(ports.get(StreamsAppConfig.HTTP_PORT_CONFIG));
                }
            }
        }
        assertThat(targets).as("Services of the streams app").hasSizeGreaterThanOrEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "monitoring", "large-catalogue"})
    void theTrainerSignsWithTheSecretsKeyAndTheAppTrustsItsPublicHalfOnly(String overlay, @TempDir Path keys)
            throws IOException {
        List<Workload> workloads = workloads(overlay, new ArrayList<>());
        Workload trainer = workloads.stream().filter(w -> w.invocation().program() == Program.TRAINER_SERVE)
                .findFirst().orElseThrow();
        Workload app = workloads.stream().filter(w -> w.invocation().program() == Program.STREAMS_APP)
                .findFirst().orElseThrow();
        String keyFile = (String) configurationOf(overlay, Program.TRAINER_SERVE)
                .get(TrainerServiceConfig.RELEASE_SIGNING_KEY_FILE_CONFIG);
        String trustFile = (String) configurationOf(overlay, Program.STREAMS_APP)
                .get(StreamsAppConfig.MODEL_TRUSTED_KEYS_FILE_CONFIG);
        assertThat(keyFile).isNotBlank();
        assertThat(trustFile).isNotBlank();
        Workload.Mount keyMount = trainer.mountOf(keyFile).orElseThrow();
        Workload.Mount trustMount = app.mountOf(trustFile).orElseThrow();
        assertThat(keyMount.source()).as("the signing key comes from a Secret").isEqualTo(Workload.Source.SECRET);
        String keyName = keyMount.relative(keyFile).orElseThrow();
        String trustName = trustMount.relative(trustFile).orElseThrow();
        // What `trainer keygen` writes for the key's base name: the Secret holds one file, the trust the other.
        String base = keyName.substring(0, keyName.lastIndexOf('.'));
        assertThat(new CommandLine(new io.streamrec.trainer.cli.TrainerCli())
                .execute("keygen", "--name", base, "--dir", keys.toString())).isZero();
        assertThat(SigningKeys.fromFile(keys.resolve(keyName))).as("the Secret's file is keygen's private key")
                .isNotNull();
        assertThat(ReleaseKeys.readPublicKeys(Files.readString(keys.resolve(trustName), StandardCharsets.US_ASCII)))
                .as("the trusted file is keygen's public key of the same pair")
                .containsExactly(SigningKeys.fromFile(keys.resolve(keyName)).publicKey());
        // The streams app never mounts the signing Secret.
        String signingSecret = secretVolumeName(overlay, Deployment.class, keyMount.volume());
        for (Workload.Mount mount : app.mounts()) {
            if (mount.source() == Workload.Source.SECRET) {
                assertThat(secretVolumeName(overlay, StatefulSet.class, mount.volume())).as(app.name())
                        .isNotEqualTo(signingSecret);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "monitoring", "large-catalogue", "strimzi"})
    void noSecretValueIsRenderedAndEverySecretAPodUsesIsDocumented(String overlay) {
        List<String> problems = new ArrayList<>();
        for (HasMetadata object : objects(overlay)) {
            if (object instanceof Secret secret && (secret.getData() != null || secret.getStringData() != null)) {
                problems.add(id(secret) + " carries values: create it in the cluster (k8s/README.md) instead");
            }
        }
        // Every Secret reference resolves to a documented kubectl create secret command with that key.
        workloads(overlay, problems);
        assertThat(problems).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void noCommittedFileUnderK8sIsASecretWithValues() throws IOException {
        List<String> found = new ArrayList<>();
        try (var files = Files.walk(Project.file("k8s"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .toList()) {
                for (com.fasterxml.jackson.databind.JsonNode document : Project.YAML
                        .readerFor(com.fasterxml.jackson.databind.JsonNode.class)
                        .<com.fasterxml.jackson.databind.JsonNode>readValues(Files.readString(file)).readAll()) {
                    if (document != null && document.path("kind").asText().equals("Secret")
                            && (document.has("data") || document.has("stringData"))) {
                        found.add(Project.root().relativize(file).toString());
                    }
                    if (document != null && document.has("secretGenerator")) {
                        found.add(Project.root().relativize(file) + " (a secretGenerator: its values would be files"
                                + " in the repository)");
                    }
                }
            }
        }
        assertThat(found).as("committed Secret values").isEmpty();
        // The documented commands' parser, on a line of each form.
        assertThat(ExternalSecrets.parse("kubectl -n x create secret generic s --from-file=a.key=keys/a.key"
                + " --from-literal=B='x y=\"z\"' # c")).containsExactly(Map.entry("s", Map.of("a.key", "", "B",
                "x y=\"z\"")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "monitoring", "large-catalogue"})
    void theTrainerRunsAloneAndTheCronJobVariantReportsAKeptModelAsSuccess(String overlay, @TempDir Path scratch)
            throws Exception {
        List<HasMetadata> objects = objects(overlay);
        Deployment trainer = only(objects, Deployment.class);
        assertThat(trainer.getSpec().getReplicas()).as("one trainer publishes").isEqualTo(1);
        assertThat(trainer.getSpec().getStrategy().getType()).as("never two trainers during a rollout")
                .isEqualTo("Recreate");
        CronJob cronJob = only(objects, CronJob.class);
        assertThat(cronJob.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
        assertThat(cronJob.getSpec().getSuspend()).as("the Deployment is the default; the CronJob is opt-in")
                .isTrue();
        Container container = cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0);
        String script = container.getCommand().get(2);
        // Run the wrapper with a stand-in entrypoint that exits with a given code: once's exit codes.
        Path fake = scratch.resolve("entrypoint.sh");
        Files.writeString(fake, "#!/bin/sh\nexit \"$EXIT_CODE\"\n");
        assertThat(fake.toFile().setExecutable(true)).isTrue();
        String runnable = script.replace("/app/bin/entrypoint.sh", fake.toString());
        assertThat(runnable).as("the wrapper calls the image's entrypoint").isNotEqualTo(script);
        Map<Integer, Integer> expected = Map.of(0, 0, 3, 0, 1, 1, 2, 2);
        for (Map.Entry<Integer, Integer> code : expected.entrySet()) {
            ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", runnable, container.getCommand().get(3), "once")
                    .redirectErrorStream(true);
            builder.environment().put("EXIT_CODE", code.getKey().toString());
            Process process = builder.start();
            process.getInputStream().readAllBytes();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("once exiting " + code.getKey()).isEqualTo(code.getValue());
        }
        // A configuration error fails the Job at once instead of retrying.
        var rules = cronJob.getSpec().getJobTemplate().getSpec().getPodFailurePolicy().getRules();
        assertThat(rules).anySatisfy(rule -> {
            assertThat(rule.getAction()).isEqualTo("FailJob");
            assertThat(rule.getOnExitCodes().getValues()).containsExactly(2);
            assertThat(rule.getOnExitCodes().getContainerName()).isEqualTo(container.getName());
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "monitoring", "large-catalogue"})
    void theStreamsAppsReplicasAndSoTheirStandbysSpreadOverNodes(String overlay) {
        StatefulSet statefulSet = only(objects(overlay), StatefulSet.class);
        var spec = statefulSet.getSpec().getTemplate().getSpec();
        Map<String, String> podLabels = statefulSet.getSpec().getTemplate().getMetadata().getLabels();
        String hostname = "kubernetes.io/hostname";
        boolean strict = !overlay.equals("dev");
        var antiAffinity = spec.getAffinity() == null ? null : spec.getAffinity().getPodAntiAffinity();
        assertThat(antiAffinity).as("podAntiAffinity").isNotNull();
        List<io.fabric8.kubernetes.api.model.PodAffinityTerm> terms = new ArrayList<>(Objects.requireNonNullElse(
                antiAffinity.getRequiredDuringSchedulingIgnoredDuringExecution(), List.of()));
        if (!strict) {
            Objects.requireNonNullElse(antiAffinity.getPreferredDuringSchedulingIgnoredDuringExecution(),
                    List.<io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm>of())
                    .forEach(weighted -> terms.add(weighted.getPodAffinityTerm()));
            assertThat(antiAffinity.getRequiredDuringSchedulingIgnoredDuringExecution())
                    .as("dev must schedule on one node").isNullOrEmpty();
        }
        assertThat(terms).as(overlay + ": " + (strict ? "required" : "preferred") + " anti-affinity per node")
                .anySatisfy(term -> {
                    assertThat(term.getTopologyKey()).isEqualTo(hostname);
                    assertThat(podLabels).containsAllEntriesOf(term.getLabelSelector().getMatchLabels());
                });
        assertThat(spec.getTopologySpreadConstraints()).as(overlay + " topologySpreadConstraints")
                .anySatisfy(constraint -> {
                    assertThat(constraint.getTopologyKey()).isEqualTo(hostname);
                    assertThat(constraint.getMaxSkew()).isEqualTo(1);
                    assertThat(constraint.getWhenUnsatisfiable()).isEqualTo(strict ? "DoNotSchedule" : "ScheduleAnyway");
                    assertThat(podLabels).containsAllEntriesOf(constraint.getLabelSelector().getMatchLabels());
                });
    }

    @org.junit.jupiter.api.Test
    void theMonitoringOverlayShipsTheComposeRulesTheDashboardFileAndAPodMonitorPerServingContainer()
            throws IOException {
        List<HasMetadata> objects = objects("monitoring");
        // The PrometheusRule's groups are alerts.yml's, as compose's Prometheus loads them.
        List<GenericKubernetesResource> rules = custom(objects, "PrometheusRule");
        assertThat(rules).hasSize(1);
        com.fasterxml.jackson.databind.JsonNode k8sGroups = Project.YAML.valueToTree(
                rules.get(0).getAdditionalProperties().get("spec")).path("groups");
        assertThat(k8sGroups).as("k8s/components/monitoring/prometheus-rule.yaml spec.groups vs"
                + " infra/prometheus/alerts.yml groups").isEqualTo(MonitoringFiles.alerts().path("groups"));
        // The dashboard ConfigMap is generated from the infra file (no copy under k8s/), labelled for the sidecar.
        List<ConfigMap> dashboards = objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                .filter(map -> "1".equals(Objects.requireNonNullElse(map.getMetadata().getLabels(),
                        Map.<String, String>of()).get("grafana_dashboard"))).toList();
        assertThat(dashboards).hasSize(1);
        Map<String, String> files = new LinkedHashMap<>();
        MonitoringFiles.dashboardFiles().forEach(file -> files.put(file.getFileName().toString(), Project.read(file)));
        assertThat(dashboards.get(0).getData()).isEqualTo(files);
        try (var json = Files.walk(Project.file("k8s"))) {
            assertThat(json.filter(file -> file.toString().endsWith(".json")).toList()).as("dashboard copies").isEmpty();
        }
        // One PodMonitor per serving container: its pods, its metrics port and path, the job the rules expect.
        List<GenericKubernetesResource> monitors = custom(objects, "PodMonitor");
        List<String> problems = new ArrayList<>();
        int serving = 0;
        for (Map.Entry<HasMetadata, PodTemplateSpec> entry : podTemplates("monitoring").entrySet()) {
            Map<String, String> labels = entry.getValue().getMetadata().getLabels();
            for (Workload workload : workloads("monitoring", new ArrayList<>())) {
                if (!workload.name().startsWith("monitoring " + id(entry.getKey()) + "/")
                        || !workload.invocation().program().serves() || entry.getKey() instanceof Job) {
                    continue;
                }
                serving++;
                Program program = workload.invocation().program();
                List<GenericKubernetesResource> selecting = monitors.stream().filter(monitor -> labels.entrySet()
                        .containsAll(matchLabels(monitor).entrySet())).toList();
                if (selecting.size() != 1) {
                    problems.add(workload.name() + ": selected by " + selecting.size() + " PodMonitors");
                    continue;
                }
                com.fasterxml.jackson.databind.JsonNode spec = Project.YAML.valueToTree(
                        selecting.get(0).getAdditionalProperties().get("spec"));
                String job = labels.get(spec.path("jobLabel").asText());
                if (!ComposeFileTest.jobName(program).equals(job)) {
                    problems.add(workload.name() + ": job label '" + job + "', the rules expect "
                            + ComposeFileTest.jobName(program));
                }
                Map<String, Object> configuration = configurationOf("monitoring", program);
                Map<String, Integer> ports = ConfigKeys.httpPorts(program, configuration);
                int metricsPort = ports.get(ConfigKeys.probePortKey(program));
                Map<String, Integer> named = new LinkedHashMap<>();
                entry.getValue().getSpec().getContainers().forEach(container -> Objects.requireNonNullElse(
                        container.getPorts(), List.<ContainerPort>of()).forEach(port -> named.put(port.getName(),
                        port.getContainerPort())));
                for (com.fasterxml.jackson.databind.JsonNode endpoint : spec.path("podMetricsEndpoints")) {
                    Integer port = named.get(endpoint.path("port").asText());
                    if (port == null || port != metricsPort) {
                        problems.add(workload.name() + ": scraped on port " + endpoint.path("port").asText() + " ("
                                + port + "), its metrics listener is " + metricsPort);
                    }
                    boolean management = !ConfigKeys.probePortKey(program).equals(ports.keySet().iterator().next());
                    if (endpoints.kindOf(program, endpoint.path("path").asText(), management)
                            .orElse(null) != Endpoints.Kind.METRICS) {
                        problems.add(workload.name() + ": " + endpoint.path("path").asText() + " is no metrics path");
                    }
                }
            }
        }
        assertThat(serving).as("serving containers").isEqualTo(2);
        assertThat(monitors).hasSize(serving);
        assertThat(problems).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void prodIsReplicatedAndDevIsSmall() {
        StatefulSet prod = only(objects("prod"), StatefulSet.class);
        StatefulSet dev = only(objects("dev"), StatefulSet.class);
        assertThat(prod.getSpec().getReplicas()).isGreaterThanOrEqualTo(3);
        assertThat(dev.getSpec().getReplicas()).isEqualTo(1);
        Map<String, Object> prodConfiguration = configurationOf("prod", Program.STREAMS_APP);
        assertThat(prodConfiguration.get(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo("3");
        assertThat(Integer.parseInt((String) prodConfiguration.get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)))
                .isGreaterThanOrEqualTo(1);
        assertThat(configurationOf("dev", Program.STREAMS_APP).get(StreamsConfig.REPLICATION_FACTOR_CONFIG))
                .isEqualTo("1");
        var prodMemory = prod.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getRequests()
                .get("memory");
        var devMemory = dev.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getRequests()
                .get("memory");
        assertThat(prodMemory.getNumericalAmount()).isGreaterThan(devMemory.getNumericalAmount());
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Pod templates of the rendered overlay, by their owner. */
    private static Map<HasMetadata, PodTemplateSpec> podTemplates(String overlay) {
        Map<HasMetadata, PodTemplateSpec> templates = new LinkedHashMap<>();
        for (HasMetadata object : objects(overlay)) {
            if (object instanceof StatefulSet set) {
                templates.put(set, set.getSpec().getTemplate());
            } else if (object instanceof Deployment deployment) {
                templates.put(deployment, deployment.getSpec().getTemplate());
            } else if (object instanceof Job job) {
                templates.put(job, job.getSpec().getTemplate());
            } else if (object instanceof CronJob cronJob) {
                templates.put(cronJob, cronJob.getSpec().getJobTemplate().getSpec().getTemplate());
            }
        }
        return templates;
    }

    /** The configuration the first container running the program sees (image ENV, then the deployment's). */
    private static Map<String, Object> configurationOf(String overlay, Program program) {
        return workloads(overlay, new ArrayList<>()).stream().filter(w -> w.invocation().program() == program)
                .findFirst().orElseThrow().configuration();
    }

    /** Every streamrec container of the overlay as a workload; unresolved references go to problems. */
    private static List<Workload> workloads(String overlay, List<String> problems) {
        List<HasMetadata> objects = objects(overlay);
        List<Workload> workloads = new ArrayList<>();
        podTemplates(overlay).forEach((owner, template) -> {
            for (Container container : template.getSpec().getContainers()) {
                Optional<Image> image = Image.of(container.getImage());
                if (image.isEmpty()) {
                    problems.add(id(owner) + "/" + container.getName() + ": image " + container.getImage()
                            + " is not built by infra/docker");
                    continue;
                }
                workloads.add(workload(overlay + " " + id(owner) + "/" + container.getName(), owner, template,
                        container, image.get(), objects, problems));
            }
        });
        return workloads;
    }

    private static Workload workload(String name, HasMetadata owner, PodTemplateSpec template, Container container,
                                     Image image, List<HasMetadata> objects, List<String> problems) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (EnvFromSource source : Objects.requireNonNullElse(container.getEnvFrom(), List.<EnvFromSource>of())) {
            String prefix = Objects.requireNonNullElse(source.getPrefix(), "");
            if (source.getConfigMapRef() != null) {
                configMap(objects, source.getConfigMapRef().getName(), name, problems)
                        .ifPresent(map -> map.forEach((k, v) -> environment.put(prefix + k, v)));
            }
            if (source.getSecretRef() != null) {
                secret(objects, source.getSecretRef().getName(), name, problems)
                        .ifPresent(map -> map.forEach((k, v) -> environment.put(prefix + k, v)));
            }
        }
        for (EnvVar variable : Objects.requireNonNullElse(container.getEnv(), List.<EnvVar>of())) {
            String value;
            if (variable.getValueFrom() == null) {
                value = expand(variable.getValue(), environment);
            } else if (variable.getValueFrom().getFieldRef() != null) {
                String field = variable.getValueFrom().getFieldRef().getFieldPath();
                value = switch (field) {
                    case "metadata.name" -> owner.getMetadata().getName() + "-0";
                    case "metadata.namespace" -> owner.getMetadata().getNamespace();
                    default -> field;
                };
            } else if (variable.getValueFrom().getConfigMapKeyRef() != null) {
                var ref = variable.getValueFrom().getConfigMapKeyRef();
                value = configMap(objects, ref.getName(), name, problems).map(map -> map.get(ref.getKey())).orElse(null);
                if (value == null) {
                    problems.add(name + ": " + variable.getName() + " refers to the missing key " + ref.getKey()
                            + " of ConfigMap " + ref.getName());
                }
            } else if (variable.getValueFrom().getSecretKeyRef() != null) {
                var ref = variable.getValueFrom().getSecretKeyRef();
                value = secret(objects, ref.getName(), name, problems).map(map -> map.get(ref.getKey())).orElse(null);
                if (value == null) {
                    problems.add(name + ": " + variable.getName() + " refers to the missing key " + ref.getKey()
                            + " of Secret " + ref.getName());
                }
            } else {
                value = null;
            }
            if (value != null) {
                environment.put(variable.getName(), value);
            }
        }

        List<String> arguments = container.getArgs() == null || container.getArgs().isEmpty()
                ? image.dockerfile().execForm("CMD")
                : container.getArgs().stream().map(argument -> expand(argument, environment)).toList();
        if (container.getCommand() != null && !container.getCommand().isEmpty()) {
            List<String> command = container.getCommand();
            // Only a shell wrapper that hands its arguments to the image's entrypoint is understood.
            assertThat(command).as(name + " command").hasSize(4);
            assertThat(command.subList(0, 2)).as(name).containsExactly("/bin/sh", "-c");
            assertThat(command.get(2)).as(name).contains(ENTRYPOINT_CALL);
        }
        Program.Invocation invocation = Program.of(image, arguments);

        Map<String, Volume> volumes = new LinkedHashMap<>();
        Objects.requireNonNullElse(template.getSpec().getVolumes(), List.<Volume>of())
                .forEach(volume -> volumes.put(volume.getName(), volume));
        List<String> claims = owner instanceof StatefulSet set
                ? Objects.requireNonNullElse(set.getSpec().getVolumeClaimTemplates(), List.<PersistentVolumeClaim>of())
                        .stream().map(claim -> claim.getMetadata().getName()).toList()
                : List.of();
        List<Workload.Mount> mounts = new ArrayList<>();
        for (VolumeMount mount : Objects.requireNonNullElse(container.getVolumeMounts(), List.<VolumeMount>of())) {
            assertThat(mount.getSubPath()).as(name + " subPath mounts are not modelled").isNull();
            boolean readOnly = Boolean.TRUE.equals(mount.getReadOnly());
            Volume volume = volumes.get(mount.getName());
            if (claims.contains(mount.getName())) {
                mounts.add(new Workload.Mount(mount.getMountPath(), mount.getName(), Workload.Source.PERSISTENT,
                        readOnly, Map.of(), Optional.empty()));
            } else if (volume == null) {
                problems.add(name + ": mounts the undeclared volume " + mount.getName());
            } else if (volume.getPersistentVolumeClaim() != null) {
                String claim = volume.getPersistentVolumeClaim().getClaimName();
                if (objects.stream().noneMatch(o -> o instanceof PersistentVolumeClaim pvc
                        && claim.equals(pvc.getMetadata().getName()))) {
                    problems.add(name + ": volume " + mount.getName() + " names the undeclared claim " + claim);
                }
                // The claim, not the pod's name for it, is what two workloads share.
                mounts.add(new Workload.Mount(mount.getMountPath(), claim, Workload.Source.PERSISTENT,
                        readOnly, Map.of(), Optional.empty()));
            } else if (volume.getEmptyDir() != null) {
                mounts.add(new Workload.Mount(mount.getMountPath(), mount.getName(), Workload.Source.EMPTY_DIR,
                        readOnly, Map.of(), Optional.empty()));
            } else if (volume.getConfigMap() != null) {
                Map<String, String> data = configMap(objects, volume.getConfigMap().getName(), name, problems)
                        .orElse(Map.of());
                mounts.add(new Workload.Mount(mount.getMountPath(), mount.getName(), Workload.Source.CONFIG_MAP,
                        readOnly, project(data, volume.getConfigMap().getItems()),
                        Optional.ofNullable(volume.getConfigMap().getDefaultMode())));
            } else if (volume.getSecret() != null) {
                Map<String, String> data = secret(objects, volume.getSecret().getSecretName(), name, problems)
                        .orElse(Map.of());
                mounts.add(new Workload.Mount(mount.getMountPath(), mount.getName(), Workload.Source.SECRET,
                        readOnly, project(data, volume.getSecret().getItems()),
                        Optional.ofNullable(volume.getSecret().getDefaultMode())));
            } else {
                problems.add(name + ": volume " + mount.getName() + " is of a kind the tests do not model");
            }
        }

        Map<String, Integer> namedPorts = new LinkedHashMap<>();
        List<Integer> ports = new ArrayList<>();
        for (ContainerPort port : Objects.requireNonNullElse(container.getPorts(), List.<ContainerPort>of())) {
            ports.add(port.getContainerPort());
            if (port.getName() != null) {
                namedPorts.put(port.getName(), port.getContainerPort());
            }
        }
        List<Workload.Probe> probes = new ArrayList<>();
        addProbe(probes, "livenessProbe", Endpoints.Kind.LIVE, container.getLivenessProbe(), namedPorts, name, problems);
        addProbe(probes, "readinessProbe", Endpoints.Kind.READY, container.getReadinessProbe(), namedPorts, name,
                problems);
        addProbe(probes, "startupProbe", Endpoints.Kind.LIVE, container.getStartupProbe(), namedPorts, name, problems);
        Map<String, String> annotations = Objects.requireNonNullElse(template.getMetadata().getAnnotations(), Map.of());
        if ("true".equals(annotations.get(SCRAPE))) {
            probes.add(new Workload.Probe(SCRAPE, Endpoints.Kind.METRICS, annotations.getOrDefault(SCRAPE_PATH, "/metrics"),
                    Integer.parseInt(annotations.getOrDefault(SCRAPE_PORT, "-1"))));
        }
        PodSecurityContext pod = template.getSpec().getSecurityContext();
        Long runAsUser = container.getSecurityContext() != null && container.getSecurityContext().getRunAsUser() != null
                ? container.getSecurityContext().getRunAsUser() : pod == null ? null : pod.getRunAsUser();
        return new Workload(name, invocation, environment, mounts, ports, probes, Optional.ofNullable(runAsUser),
                Optional.ofNullable(pod == null ? null : pod.getFsGroup()));
    }

    private static void addProbe(List<Workload.Probe> probes, String role, Endpoints.Kind kind, Probe probe,
                                 Map<String, Integer> namedPorts, String name, List<String> problems) {
        if (probe == null) {
            return;
        }
        if (probe.getHttpGet() == null) {
            problems.add(name + ": " + role + " is not an HTTP probe of the app's health endpoints");
            return;
        }
        IntOrString port = probe.getHttpGet().getPort();
        Integer number = port.getIntVal() != null ? port.getIntVal() : namedPorts.get(port.getStrVal());
        if (number == null) {
            problems.add(name + ": " + role + " names the undeclared port " + port.getStrVal());
            return;
        }
        probes.add(new Workload.Probe(role, kind, probe.getHttpGet().getPath(), number));
    }

    /** Files of a ConfigMap or Secret volume: every key, or only the listed items under their paths. */
    private static Map<String, String> project(Map<String, String> data, List<KeyToPath> items) {
        if (items == null || items.isEmpty()) {
            return data;
        }
        Map<String, String> files = new LinkedHashMap<>();
        items.forEach(item -> {
            if (data.containsKey(item.getKey())) {
                files.put(item.getPath(), data.get(item.getKey()));
            }
        });
        return files;
    }

    /** Kubernetes' $(VAR) expansion: defined variables are replaced, others left as they are. */
    private static String expand(String value, Map<String, String> environment) {
        if (value == null) {
            return "";
        }
        Matcher matcher = REFERENCE.matcher(value);
        StringBuilder expanded = new StringBuilder();
        while (matcher.find()) {
            String replacement = environment.getOrDefault(matcher.group(1), matcher.group());
            matcher.appendReplacement(expanded, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(expanded);
        return expanded.toString();
    }

    private static Optional<Map<String, String>> configMap(List<HasMetadata> objects, String name, String user,
                                                           List<String> problems) {
        Optional<Map<String, String>> data = objects.stream().filter(ConfigMap.class::isInstance)
                .map(ConfigMap.class::cast).filter(map -> map.getMetadata().getName().equals(name)).findFirst()
                .map(map -> Objects.requireNonNullElse(map.getData(), Map.<String, String>of()));
        if (data.isEmpty()) {
            problems.add(user + ": refers to the missing ConfigMap " + name);
        }
        return data;
    }

    private static Optional<Map<String, String>> secret(List<HasMetadata> objects, String name, String user,
                                                        List<String> problems) {
        Optional<Map<String, String>> data = objects.stream().filter(Secret.class::isInstance).map(Secret.class::cast)
                .filter(secret -> secret.getMetadata().getName().equals(name)).findFirst()
                .map(KustomizeOverlaysTest::secretData)
                .or(() -> Optional.ofNullable(ExternalSecrets.documented().get(name)));
        if (data.isEmpty()) {
            problems.add(user + ": refers to the Secret " + name + ", which no kubectl create secret command of"
                    + " k8s/README.md creates");
        }
        return data;
    }

    private static Map<String, String> secretData(Secret secret) {
        Map<String, String> data = new LinkedHashMap<>();
        Objects.requireNonNullElse(secret.getData(), Map.<String, String>of()).forEach((key, value) ->
                data.put(key, new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
        data.putAll(Objects.requireNonNullElse(secret.getStringData(), Map.of()));
        return data;
    }

    private static List<GenericKubernetesResource> custom(List<HasMetadata> objects, String kind) {
        return objects.stream().filter(GenericKubernetesResource.class::isInstance)
                .map(GenericKubernetesResource.class::cast).filter(object -> object.getKind().equals(kind)).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> matchLabels(GenericKubernetesResource monitor) {
        Map<String, Object> spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
        Map<String, Object> selector = (Map<String, Object>) spec.get("selector");
        return (Map<String, String>) selector.get("matchLabels");
    }

    /** The Secret a pod template's volume of that name projects. */
    private static String secretVolumeName(String overlay, Class<? extends HasMetadata> owner, String volume) {
        return podTemplates(overlay).entrySet().stream().filter(entry -> owner.isInstance(entry.getKey()))
                .flatMap(entry -> entry.getValue().getSpec().getVolumes().stream())
                .filter(v -> v.getName().equals(volume) && v.getSecret() != null)
                .map(v -> v.getSecret().getSecretName()).findFirst().orElseThrow();
    }

    private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
        List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(found).as(type.getSimpleName() + " objects").hasSize(1);
        return found.get(0);
    }

    private static int indexOf(List<EnvVar> env, String name) {
        for (int i = 0; i < env.size(); i++) {
            if (env.get(i).getName().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The fieldRef path of a variable defined before position {@code before} (Kubernetes expands in order). */
    private static String fieldRef(List<EnvVar> env, String name, int before) {
        int at = indexOf(env, name);
        assertThat(at).as(name + " is defined before it is used").isBetween(0, before - 1);
        assertThat(env.get(at).getValueFrom()).as(name + " from the downward API").isNotNull();
        return env.get(at).getValueFrom().getFieldRef().getFieldPath();
    }

    private static String id(HasMetadata object) {
        return object.getKind() + "/" + object.getMetadata().getName();
    }
}
