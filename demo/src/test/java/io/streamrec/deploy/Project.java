package io.streamrec.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The repository's deployment files, as the deployment tests read them. Stateless. */
final class Project {

    /** One YAML reader for compose, kustomize output and JSON arrays in Dockerfiles (JSON is YAML). */
    static final YAMLMapper YAML = new YAMLMapper();

    private Project() {
    }

    /** The repository root (the surefire configuration of the parent pom passes it). */
    static Path root() {
        return Path.of(System.getProperty("streamrec.project.root", "..")).toAbsolutePath().normalize();
    }

    static Path file(String relative) {
        return root().resolve(relative);
    }

    static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode readYaml(Path path) {
        try {
            return YAML.readTree(path.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + path, e);
        }
    }

    /**
     * The variables of an env file as docker compose and kustomize read it: {@code NAME=value} lines, blank
     * lines and {@code #} comments skipped, the value taken verbatim to the end of the line.
     */
    static Map<String, String> readEnvFile(Path path) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String line : read(path).split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException(path + ": not NAME=value: " + line);
            }
            variables.put(trimmed.substring(0, equals), trimmed.substring(equals + 1));
        }
        return variables;
    }

    /** The value of a property of a module's pom, e.g. {@code app.main.class}; fails when absent. */
    static String pomProperty(String module, String property) {
        String pom = read(file(module).resolve("pom.xml"));
        String open = "<" + property + ">";
        int from = pom.indexOf(open);
        int to = pom.indexOf("</" + property + ">");
        if (from < 0 || to < from) {
            throw new IllegalStateException(module + "/pom.xml has no <" + property + ">");
        }
        return pom.substring(from + open.length(), to).strip();
    }
}
