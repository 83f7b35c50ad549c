package io.streamrec.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One container of a deployment (a compose service or a container of a Kubernetes pod template), reduced to
 * what the invariants are about, so that compose and every kustomize overlay go through the same checks.
 *
 * @param name           where it comes from, for messages (e.g. "prod StatefulSet/streams-app")
 * @param invocation     the program the image's entrypoint runs and its arguments
 * @param environment    the variables the deployment sets, resolved (ConfigMaps, Secrets, $(VAR) references);
 *                       the image's own ENV is not included
 * @param mounts         the container's volumes
 * @param containerPorts the container ports the deployment declares or publishes
 * @param probes         health checks, probes and the Prometheus scrape target, with what each must point at
 * @param runAsUser      the uid the container runs as, when the deployment sets one
 * @param fsGroup        the pod's fsGroup, when set
 */
record Workload(String name, Program.Invocation invocation, Map<String, String> environment, List<Mount> mounts,
                List<Integer> containerPorts, List<Probe> probes, Optional<Long> runAsUser, Optional<Long> fsGroup) {

    /** Where a volume's content comes from. */
    enum Source {
        /** Survives the container: a PersistentVolumeClaim or a docker named volume. */
        PERSISTENT,
        EMPTY_DIR,
        CONFIG_MAP,
        SECRET
    }

    /**
     * A volume mounted into the container.
     *
     * @param path     the mount path
     * @param volume   the volume's name (a compose named volume is shared by name across services)
     * @param source   its kind
     * @param readOnly mounted read-only
     * @param files    for ConfigMaps and Secrets: file name to content as the volume projects them
     * @param mode     for ConfigMaps and Secrets: the files' mode, when set
     */
    record Mount(String path, String volume, Source source, boolean readOnly, Map<String, String> files,
                 Optional<Integer> mode) {

        /** The path relative to this mount, or empty when the path is not inside it. */
        Optional<String> relative(String file) {
            String prefix = path.endsWith("/") ? path : path + "/";
            if (file.equals(path)) {
                return Optional.of("");
            }
            return file.startsWith(prefix) ? Optional.of(file.substring(prefix.length())) : Optional.empty();
        }
    }

    /**
     * A health check, probe or scrape target.
     *
     * @param role     e.g. "readinessProbe", "healthcheck", "prometheus.io"
     * @param expected what the path must be on the program's API
     * @param path     the HTTP path
     * @param port     the port it is sent to
     */
    record Probe(String role, Endpoints.Kind expected, String path, int port) {
    }

    /** The configuration the program sees: the image's ENV, then the deployment's variables over it. */
    Map<String, Object> configuration() {
        Map<String, String> variables = new LinkedHashMap<>(invocation.image().dockerfile().runtimeEnv());
        variables.putAll(environment);
        return ConfigKeys.fromEnvironment(variables);
    }

    /** The mount a file lies in (the innermost one), if any. */
    Optional<Mount> mountOf(String file) {
        return mounts.stream().filter(mount -> mount.relative(file).isPresent())
                .max(java.util.Comparator.comparingInt(mount -> mount.path().length()));
    }
}
