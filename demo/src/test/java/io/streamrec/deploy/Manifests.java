package io.streamrec.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * A kustomize overlay rendered by {@code kubectl kustomize} and read into fabric8's typed Kubernetes model
 * (fabric8 8 binds with Jackson 3; the YAML stream is split with the project's Jackson 2 YAML reader and each
 * document handed over as JSON). Stateless.
 */
final class Manifests {

    private static final JsonMapper KUBERNETES_JSON = JsonMapper.builder().build();

    /**
     * API groups of the custom resources the overlays ship (prometheus-operator's, Strimzi's), which have no typed
     * class here: they stay generic, their fields checked by the tests of their overlays.
     */
    static final java.util.Set<String> CUSTOM_API_GROUPS = java.util.Set.of("monitoring.coreos.com", "kafka.strimzi.io");

    private Manifests() {
    }

    /** Why kubectl cannot render here, or empty when it can. */
    static Optional<String> kubectlUnavailable() {
        try {
            Process process = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return Optional.of("kubectl version --client failed");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("kubectl is not on the PATH (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /** {@code kubectl kustomize DIR}: the rendered YAML; fails with kubectl's message. */
    static String render(Path kustomization) {
        try {
            Process process = new ProcessBuilder("kubectl", "kustomize", kustomization.toString()).start();
            ByteArrayOutputStream errors = new ByteArrayOutputStream();
            Thread drain = new Thread(() -> copy(process.getErrorStream(), errors));
            drain.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kubectl kustomize " + kustomization + " did not finish");
            }
            drain.join();
            if (process.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + kustomization + " failed: "
                        + errors.toString(StandardCharsets.UTF_8));
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every document as its typed fabric8 class, or generic for the {@link #CUSTOM_API_GROUPS}; any other kind
     * fabric8 does not know fails.
     */
    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        try {
            for (JsonNode document : Project.YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
                if (document == null || document.isNull() || document.isEmpty()) {
                    continue;
                }
                KubernetesResource resource = KUBERNETES_JSON.readValue(document.toString(), KubernetesResource.class);
                if (resource instanceof GenericKubernetesResource custom
                        && CUSTOM_API_GROUPS.contains(custom.getApiVersion().split("/")[0])) {
                    objects.add(custom);
                    continue;
                }
                if (!(resource instanceof HasMetadata object) || resource instanceof GenericKubernetesResource) {
                    throw new IllegalStateException("no typed model class for " + document.path("apiVersion").asText()
                            + "/" + document.path("kind").asText());
                }
                objects.add(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    /**
     * Fields the typed model did not recognise: fabric8 keeps them in {@code additionalProperties} instead of
     * failing, so a misspelt field ({@code readinesProbe}) would otherwise pass silently. Paths like
     * {@code spec.template.spec.containers[0].readinesProbe}.
     */
    static List<String> unknownFields(Object object) {
        List<String> unknown = new ArrayList<>();
        collectUnknown(object, "", unknown);
        return unknown;
    }

    private static void collectUnknown(Object value, String path, List<String> unknown) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> collection) {
            int index = 0;
            for (Object item : collection) {
                collectUnknown(item, path + "[" + index++ + "]", unknown);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> collectUnknown(item, path + "[" + key + "]", unknown));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class || !getter.getName().startsWith("get")) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue; // accessors that compute rather than return a field
            }
            String name = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            if (name.equals("additionalProperties") && child instanceof Map<?, ?> extra) {
                extra.keySet().forEach(key -> unknown.add((path.isEmpty() ? "" : path + ".") + key));
            } else if (!name.equals("class")) {
                collectUnknown(child, path.isEmpty() ? name : path + "." + name, unknown);
            }
        }
    }
}
