package io.streamrec.deploy;

import io.streamrec.app.StreamsAppConfig;
import io.streamrec.schemas.topics.ProvisionTopicsCommand;
import io.streamrec.trainer.service.TrainerServiceConfig;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The invariants every container of every deployment must hold, checked against the code. Each check adds a
 * readable problem instead of stopping at the first, so one renamed key shows every place that still uses it.
 */
final class WorkloadChecks {

    /** The provisioning command's flags whose values the check replaces to run the command here. */
    static final String BOOTSTRAP_FLAG = "--bootstrap-server";
    static final String COMMAND_CONFIG_FLAG = "--command-config";
    static final String TIMEOUT_FLAG = "--timeout-seconds";

    private WorkloadChecks() {
    }

    /** Every problem of the workload; empty when it holds every invariant. */
    static List<String> problems(Workload workload, Endpoints endpoints) {
        List<String> problems = new ArrayList<>();
        Program program = workload.invocation().program();
        Dockerfile dockerfile = workload.invocation().image().dockerfile();
        String where = workload.name() + " (" + program + "): ";

        workload.environment().keySet().forEach(variable ->
                ConfigKeys.problem(program, variable).ifPresent(problem -> problems.add(where + problem)));

        if (program.readsConfiguration()) {
            Map<String, Object> configuration = workload.configuration();
            try {
                ConfigKeys.validateValues(program, configuration);
            } catch (ConfigException e) {
                problems.add(where + "the program would refuse its configuration: " + e.getMessage());
                return problems;
            }
            checkFiles(workload, program, configuration, where, problems);
            if (program.serves()) {
                checkHttp(workload, program, configuration, dockerfile, endpoints, where, problems);
            }
        }
        if (program == Program.PROVISION_TOPICS) {
            checkProvisioning(workload, where, problems);
        }
        return problems;
    }

    private static void checkFiles(Workload workload, Program program, Map<String, Object> configuration,
                                   String where, List<String> problems) {
        if (program == Program.STREAMS_APP) {
            // Left unset, Kafka Streams' default (under java.io.tmpdir) is on no persistent volume: reported.
            String stateDir = ConfigKeys.value(program, configuration, StreamsConfig.STATE_DIR_CONFIG);
            writableDirectory(workload, StreamsConfig.STATE_DIR_CONFIG, stateDir, true, where, problems);
            String trusted = ConfigKeys.value(program, configuration, StreamsAppConfig.MODEL_TRUSTED_KEYS_FILE_CONFIG);
            if (trusted != null && !trusted.isBlank()) {
                readableFile(workload, StreamsAppConfig.MODEL_TRUSTED_KEYS_FILE_CONFIG, trusted, where, problems);
            }
        } else {
            String signingKey = ConfigKeys.value(program, configuration,
                    TrainerServiceConfig.RELEASE_SIGNING_KEY_FILE_CONFIG);
            if (signingKey != null && !signingKey.isBlank()) {
                readableFile(workload, TrainerServiceConfig.RELEASE_SIGNING_KEY_FILE_CONFIG, signingKey, where,
                        problems);
            }
            String reports = ConfigKeys.value(program, configuration, TrainerServiceConfig.REPORT_DIR_CONFIG);
            writableDirectory(workload, TrainerServiceConfig.REPORT_DIR_CONFIG, reports, false, where, problems);
            String warmStart = ConfigKeys.value(program, configuration, TrainerServiceConfig.TRAIN_WARM_START_DIR_CONFIG);
            if (warmStart != null && !warmStart.isBlank()) {
                writableDirectory(workload, TrainerServiceConfig.TRAIN_WARM_START_DIR_CONFIG, warmStart, true, where,
                        problems);
            }
            String artifacts = ConfigKeys.value(program, configuration,
                    TrainerServiceConfig.RELEASE_ARTIFACT_DIR_CONFIG);
            if (artifacts != null && !artifacts.isBlank()) {
                writableDirectory(workload, TrainerServiceConfig.RELEASE_ARTIFACT_DIR_CONFIG, artifacts, true, where,
                        problems);
            }
        }
        for (String key : List.of(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG)) {
            Object location = configuration.get(key);
            if (location != null) {
                readableFile(workload, key, location.toString(), where, problems);
            }
        }
    }

    /**
     * Every streams app can read the files the trainers write to {@code release.artifact.dir}: a release names them
     * by {@code file://} URI, so each app mounts the trainer's volume at the same path (read-only is enough).
     */
    static List<String> sharedArtifactProblems(List<Workload> workloads) {
        List<String> problems = new ArrayList<>();
        for (Workload trainer : workloads) {
            Optional<String> artifacts = artifactDirectory(trainer);
            Optional<Workload.Mount> written = artifacts.flatMap(trainer::mountOf);
            if (written.isEmpty()) {
                continue; // none configured, or reported by the trainer's own checks
            }
            for (Workload app : workloads) {
                if (app.invocation().program() != Program.STREAMS_APP) {
                    continue;
                }
                Optional<Workload.Mount> read = app.mountOf(artifacts.get());
                if (read.isEmpty() || !read.get().volume().equals(written.get().volume())
                        || !read.get().path().equals(written.get().path())) {
                    problems.add(app.name() + " cannot read the release files " + trainer.name() + " writes to "
                            + artifacts.get() + ": it mounts " + read.map(m -> "volume '" + m.volume() + "' at "
                            + m.path()).orElse("nothing there") + ", not volume '" + written.get().volume()
                            + "' at " + written.get().path());
                }
            }
        }
        return problems;
    }

    /** The trainer's {@code release.artifact.dir}, when set. */
    private static Optional<String> artifactDirectory(Workload workload) {
        Program program = workload.invocation().program();
        if (program != Program.TRAINER_SERVE && program != Program.TRAINER_ONCE) {
            return Optional.empty();
        }
        String directory = ConfigKeys.value(program, workload.configuration(),
                TrainerServiceConfig.RELEASE_ARTIFACT_DIR_CONFIG);
        return directory == null || directory.isBlank() ? Optional.empty() : Optional.of(directory);
    }

    /** The file exists in a mounted ConfigMap, Secret or volume, and the container's user can read it. */
    static Optional<Workload.Mount> readableFile(Workload workload, String key, String file, String where,
                                                 List<String> problems) {
        Optional<Workload.Mount> mount = workload.mountOf(file);
        if (mount.isEmpty()) {
            problems.add(where + key + "=" + file + " is in no mounted volume");
            return mount;
        }
        Workload.Mount found = mount.get();
        String relative = found.relative(file).orElseThrow();
        switch (found.source()) {
            case CONFIG_MAP, SECRET -> {
                if (!found.files().containsKey(relative)) {
                    problems.add(where + key + "=" + file + ": the " + found.source() + " volume '" + found.volume()
                            + "' has no file '" + relative + "' (it has " + found.files().keySet() + ")");
                }
                int mode = found.mode().orElse(0644);
                boolean readable = (mode & 0004) != 0 || ((mode & 0040) != 0 && workload.fsGroup().isPresent());
                if (!readable) {
                    problems.add(where + key + "=" + file + ": mode " + Integer.toOctalString(mode) + " of volume '"
                            + found.volume() + "' lets the non-root user read it only with a group-read bit and"
                            + " an fsGroup");
                }
            }
            case EMPTY_DIR -> problems.add(where + key + "=" + file + " is in an emptyDir: the file cannot exist at"
                    + " start-up");
            case PERSISTENT -> {
                // written by another container (compose keygen): checked by the compose tests
            }
            default -> throw new IllegalStateException(found.source().name());
        }
        return mount;
    }

    private static void writableDirectory(Workload workload, String key, String directory, boolean persistent,
                                          String where, List<String> problems) {
        Optional<Workload.Mount> mount = workload.mountOf(directory);
        if (mount.isEmpty()) {
            problems.add(where + key + "=" + directory + " is in no mounted volume (the root file system may be"
                    + " read-only, and the data would die with the container)");
            return;
        }
        Workload.Mount found = mount.get();
        boolean writable = !found.readOnly()
                && (found.source() == Workload.Source.PERSISTENT || found.source() == Workload.Source.EMPTY_DIR);
        if (!writable) {
            problems.add(where + key + "=" + directory + " is on the read-only volume '" + found.volume() + "'");
        }
        if (persistent && found.source() != Workload.Source.PERSISTENT) {
            problems.add(where + key + "=" + directory + " must be on a persistent volume, not " + found.source());
        }
    }

    private static void checkHttp(Workload workload, Program program, Map<String, Object> configuration,
                                  Dockerfile dockerfile, Endpoints endpoints, String where, List<String> problems) {
        Map<String, Integer> ports = ConfigKeys.httpPorts(program, configuration);
        String apiKey = ports.keySet().iterator().next();
        int apiPort = ports.get(apiKey);
        String probeKey = ConfigKeys.probePortKey(program);
        int probePort = ports.get(probeKey);
        ports.forEach((key, port) -> {
            if (!dockerfile.exposedPorts().contains(port)) {
                problems.add(where + key + " " + port + " is not EXPOSEd by " + workload.invocation().image()
                        .dockerfilePath() + " (it exposes " + dockerfile.exposedPorts() + ")");
            }
        });
        if (!workload.containerPorts().contains(apiPort)) {
            problems.add(where + "declares no container port for " + apiKey + " " + apiPort);
        }
        workload.containerPorts().stream().filter(declared -> !ports.containsValue(declared)).forEach(declared ->
                problems.add(where + "container port " + declared + " is none of the program's ports " + ports));
        for (Workload.Probe probe : workload.probes()) {
            if (probe.port() != probePort) {
                problems.add(where + probe.role() + " goes to port " + probe.port() + ", not " + probeKey + " "
                        + probePort + (probeKey.equals(apiKey) ? "" : " (the listener whose threads the API's"
                        + " traffic cannot take)"));
            }
            boolean onManagementListener = !probeKey.equals(apiKey) && probe.port() == probePort;
            Optional<Endpoints.Kind> kind = endpoints.kindOf(program, probe.path(), onManagementListener);
            if (kind.isEmpty()) {
                problems.add(where + probe.role() + " path " + probe.path() + " is no endpoint of " + program
                        + (onManagementListener ? "'s management listener" : ""));
            } else if (kind.get() != probe.expected()) {
                problems.add(where + probe.role() + " path " + probe.path() + " is a " + kind.get() + " endpoint, not "
                        + probe.expected());
            }
        }
    }

    private static void checkProvisioning(Workload workload, String where, List<String> problems) {
        List<String> arguments = new ArrayList<>(workload.invocation().arguments());
        int bootstrap = arguments.indexOf(BOOTSTRAP_FLAG);
        if (bootstrap < 0 || bootstrap + 1 >= arguments.size()) {
            problems.add(where + "no " + BOOTSTRAP_FLAG + " HOST:PORT");
            return;
        }
        if (!arguments.get(bootstrap + 1).matches("[^\\s:,]+:\\d+(,[^\\s:,]+:\\d+)*")) {
            problems.add(where + BOOTSTRAP_FLAG + " " + arguments.get(bootstrap + 1) + " is not HOST:PORT[,HOST:PORT]");
        }
        // A closed loopback port: the command gets as far as talking to a cluster and stops there.
        arguments.set(bootstrap + 1, "127.0.0.1:1");
        int commandConfig = arguments.indexOf(COMMAND_CONFIG_FLAG);
        try {
            if (commandConfig >= 0) {
                String file = arguments.get(commandConfig + 1);
                Optional<Workload.Mount> mount = readableFile(workload, COMMAND_CONFIG_FLAG, file, where, problems);
                String content = mount.map(m -> m.files().get(m.relative(file).orElseThrow())).orElse("");
                Properties properties = new Properties();
                properties.load(new StringReader(content == null ? "" : content));
                properties.stringPropertyNames().stream().filter(key -> !AdminClientConfig.configNames().contains(key))
                        .forEach(key -> problems.add(where + COMMAND_CONFIG_FLAG + " file sets '" + key
                                + "', which is no admin client key"));
                // Its settings (SASL_SSL with placeholder credentials) cannot connect here; an empty file can.
                Path empty = Files.createTempFile("provision-client", ".properties");
                empty.toFile().deleteOnExit();
                arguments.set(commandConfig + 1, empty.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        arguments.add(TIMEOUT_FLAG);
        arguments.add("2");
        int exit;
        try {
            exit = ProvisionTopicsCommand.run(arguments.toArray(String[]::new));
        } catch (RuntimeException e) {
            problems.add(where + "the provisioning command fails on its arguments " + arguments + ": " + e);
            return;
        }
        // 1: it parsed every flag and tried the (unreachable) cluster; 2 would be a refused command line.
        if (exit != 1) {
            problems.add(where + "the provisioning command exited " + exit + " on " + workload.invocation().arguments()
                    + " (expected 1: arguments accepted, cluster unreachable)");
        }
    }
}
